from decimal import Decimal

import pytest

from huiyuan.catalog import barcodes
from huiyuan.catalog.selectors import find_by_barcode
from huiyuan.core.errors import DomainError


@pytest.mark.parametrize(
    "code", ["6901234567892", "96385074", "036000291452", "ABC-001", "1234", "00012345678905"]
)
def test_valid_codes_and_in_store_codes_are_accepted(code):
    assert barcodes.normalize(f" {code} ") == code


@pytest.mark.parametrize(
    "code", ["6901234567893", "96385075", "036000291453", "00012345678906", "", "a b", "条码"]
)
def test_wrong_check_digit_or_characters_are_refused(code):
    with pytest.raises(DomainError) as exc:
        barcodes.normalize(code)
    assert exc.value.code == "BARCODE_INVALID"


def test_price_label_resolves_to_the_product_by_plu_with_the_price(make_product):
    apple = make_product(is_weighed=True, plu="00123")
    label = barcodes.with_check_digit("20" + "00123" + "01580")

    item = find_by_barcode(label)

    assert item.product == apple
    assert item.price_fen == 1580
    assert item.qty == Decimal("1.234")  # 15.80 / 12.80 per kg


def test_weight_label_gives_the_quantity(make_product, settings):
    settings.HUIYUAN_SCALE_LABEL = {"value": "weight", "decimals": 3}
    apple = make_product(is_weighed=True, plu="123")
    item = find_by_barcode(barcodes.with_check_digit("21" + "00123" + "01250"))
    assert (item.product, item.qty, item.price_fen) == (apple, Decimal("1.250"), 1600)


def test_layout_with_one_prefix_digit_and_six_digit_plu(make_product, settings):
    settings.HUIYUAN_SCALE_LABEL = {"prefix_len": 1, "plu_len": 6}
    apple = make_product(is_weighed=True, plu="654321")
    item = find_by_barcode(barcodes.with_check_digit("2" + "654321" + "00990"))
    assert (item.product, item.price_fen) == (apple, 990)


def test_scale_label_with_a_wrong_check_digit_is_refused(make_product):
    make_product(is_weighed=True, plu="123")
    label = barcodes.with_check_digit("20" + "00123" + "01580")
    wrong = label[:-1] + str((int(label[-1]) + 1) % 10)
    with pytest.raises(DomainError) as exc:
        find_by_barcode(wrong)
    assert exc.value.code == "BARCODE_INVALID"


def test_unknown_plu_and_unknown_barcode_are_not_found(make_product):
    make_product(is_weighed=True, plu="123")
    for code in (barcodes.with_check_digit("20" + "00999" + "01580"), "6901234567892"):
        with pytest.raises(DomainError) as exc:
            find_by_barcode(code)
        assert exc.value.code == "PRODUCT_NOT_FOUND"


def test_a_registered_barcode_wins_over_the_scale_layout(make_product):
    code = barcodes.with_check_digit("20" + "00123" + "01580")
    fixed = make_product(barcode_codes=[code])
    assert find_by_barcode(code).product == fixed
    assert find_by_barcode(code).price_fen is None


def test_a_bad_layout_is_a_configuration_error(settings):
    settings.HUIYUAN_SCALE_LABEL = {"plu_len": 6}
    with pytest.raises(ValueError):
        barcodes.scale_layout()
