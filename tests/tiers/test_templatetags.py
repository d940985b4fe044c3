import pytest
from django.utils import translation

from huiyuan.tiers.templatetags.tiers import discount, times


@pytest.mark.parametrize(
    ("permille", "zh", "en"),
    [
        (1000, "无折扣", "No discount"),
        (950, "95折", "5% off"),
        (900, "9折", "10% off"),
        (880, "88折", "12% off"),
        (955, "95.5折", "4.5% off"),
    ],
)
def test_discount_reads_as_each_language_says_it(permille, zh, en):
    with translation.override("zh-hans"):
        assert discount(permille) == zh
    with translation.override("en"):
        assert discount(permille) == en


def test_times():
    assert (times(1000), times(1500), times(None)) == ("×1", "×1.5", "—")
