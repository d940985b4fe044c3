import pytest

from huiyuan.catalog import categories, services
from huiyuan.catalog.models import Barcode, Product
from huiyuan.catalog.selectors import filter_by_attributes, product_by_code, search_products
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent

from .conftest import SYSTEM


def test_a_product_gets_pinyin_barcodes_and_an_audit(make_product):
    product = make_product(name="红富士苹果", barcode_codes=["6901234567892", "ABC-1"])
    assert (product.name_pinyin, product.name_initials) == ("hongfushipingguo", "hfspg")
    assert set(product.barcodes.values_list("code", flat=True)) == {"6901234567892", "ABC-1"}
    event = AuditEvent.objects.get(action="product.create")
    assert event.after["barcodes"] == ["6901234567892", "ABC-1"]


def test_search_by_code_barcode_name_pinyin_and_initials(make_product):
    apple = make_product(barcode_codes=["6901234567892"])
    make_product(code="P002", name="香蕉")
    for q in ("P001", "6901234567892", "富士", "hongfu", "hfs"):
        assert list(search_products(q)) == [apple], q


def test_required_attribute_missing_names_the_attribute(tree, make_product):
    with pytest.raises(DomainError) as exc:
        make_product(category=tree["clothes"], attributes={tree["size"].key: "abc"})
    assert exc.value.code == "VALIDATION_ERROR"
    assert exc.value.fields == {
        tree["origin"].key: "请填写“产地”",
        tree["size"].key: "尺码：请填写数字",
    }
    assert not Product.objects.exists()


def test_attribute_values_are_checked_by_type_and_choices(tree, make_product):
    with pytest.raises(DomainError) as exc:
        make_product(
            category=tree["clothes"],
            attributes={tree["origin"].key: "上海", tree["colour"].key: "绿"},
        )
    assert exc.value.fields == {tree["colour"].key: "颜色：请从可选值中选择：红、蓝"}
    product = make_product(
        category=tree["clothes"],
        attributes={tree["origin"].key: " 上海 ", tree["size"].key: "90.0", "a999": "stray"},
    )
    assert product.attributes == {tree["origin"].key: "上海", tree["size"].key: "90"}


def test_products_filter_by_attribute_values(tree, make_product):
    red = make_product(
        category=tree["baby"], attributes={tree["origin"].key: "上海", tree["colour"].key: "红"}
    )
    make_product(
        code="P002",
        category=tree["baby"],
        attributes={tree["origin"].key: "上海", tree["colour"].key: "蓝"},
    )
    found = filter_by_attributes(Product.objects.all(), {tree["colour"].key: "红"})
    assert list(found) == [red]


def test_duplicate_code_and_barcode_are_refused(make_product):
    make_product(barcode_codes=["6901234567892"])
    with pytest.raises(DomainError) as exc:
        make_product()
    assert exc.value.code == "PRODUCT_CODE_DUPLICATE"
    with pytest.raises(DomainError) as exc:
        make_product(code="P002", barcode_codes=["6901234567892"])
    assert exc.value.code == "BARCODE_DUPLICATE"
    assert Product.objects.count() == 1


def test_adding_and_removing_barcodes(make_product):
    apple, pear = make_product(), make_product(code="P002", name="梨")
    services.add_barcode(actor=SYSTEM, product=apple, code="6901234567892")
    for code, error in (
        ("6901234567892", "BARCODE_DUPLICATE"),
        ("6901234567893", "BARCODE_INVALID"),
    ):
        with pytest.raises(DomainError) as exc:
            services.add_barcode(actor=SYSTEM, product=pear, code=code)
        assert exc.value.code == error
    services.remove_barcode(actor=SYSTEM, product=apple, code="6901234567892")
    assert not Barcode.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="product.barcode").count() == 2


def test_prices_plu_and_inactive_category_rules(make_product, fresh):
    cases = [
        ({"member_price_fen": 2000}, "member_price_fen"),
        ({"retail_price_fen": -1}, "retail_price_fen"),
        ({"is_weighed": True, "plu": "12a"}, "plu"),
    ]
    for fields, field in cases:
        with pytest.raises(DomainError) as exc:
            make_product(**fields)
        assert field in exc.value.fields
    assert make_product(plu="12").plu is None  # only weighed goods carry a PLU
    categories.update_category(actor=SYSTEM, category=fresh, is_active=False)
    with pytest.raises(DomainError) as exc:
        make_product(code="P009")
    assert "category" in exc.value.fields


def test_edit_is_audited_with_only_the_changes(make_product):
    product = make_product()
    services.update_product(actor=SYSTEM, product=product, retail_price_fen=1500, status="inactive")
    event = AuditEvent.objects.get(action="product.update")
    assert event.after == {"retail_price_fen": 1500, "status": "inactive"}
    assert product_by_code("P001").status == "inactive"
    with pytest.raises(DomainError) as exc:
        product_by_code("nope")
    assert exc.value.code == "PRODUCT_NOT_FOUND"


def test_suppliers(db):
    supplier = services.create_supplier(actor=SYSTEM, name=" 光明乳业 ", phone="021-1")
    assert supplier.name == "光明乳业"
    with pytest.raises(DomainError):
        services.create_supplier(actor=SYSTEM, name="光明乳业")
    services.update_supplier(actor=SYSTEM, supplier=supplier, is_active=False)
    assert AuditEvent.objects.filter(action__startswith="supplier.").count() == 2
