import pytest
from django import forms

from huiyuan.core.forms import YuanField


@pytest.mark.parametrize(
    ("typed", "fen"), [("10", 1000), ("12.5", 1250), ("¥1,234.56", 123456), ("", None)]
)
def test_yuan_field_cleans_to_fen(typed, fen):
    assert YuanField(required=False).clean(typed) == fen


@pytest.mark.parametrize(
    ("typed", "positive", "code"),
    [("1.234", False, "invalid"), ("abc", False, "invalid"), ("-5", False, "negative"),
     ("10000000000", False, "too_large"), ("0", True, "not_positive")],
)  # fmt: skip
def test_yuan_field_refuses(typed, positive, code):
    with pytest.raises(forms.ValidationError) as error:
        YuanField(positive=positive).clean(typed)
    assert error.value.code == code


def test_yuan_field_shows_fen_in_yuan():
    assert YuanField().prepare_value(123456) == "1234.56"
    assert YuanField().prepare_value("12.5") == "12.5"
