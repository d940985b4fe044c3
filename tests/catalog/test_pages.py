import pytest

from huiyuan.catalog.models import Attribute, Category, Product, Supplier

pytestmark = pytest.mark.django_db


def test_the_tree_page_adds_moves_and_edits_attributes(admin_client, tree):
    page = admin_client.get("/catalog/categories/", {"selected": tree["clothes"].pk})
    assert page.status_code == 200
    assert "继承自母婴" in page.content.decode()

    admin_client.post(
        "/catalog/categories/add/", {"name": "童鞋", "code": "050102", "parent": tree["baby"].pk}
    )
    shoes = Category.objects.get(code="050102")
    admin_client.post(f"/catalog/categories/{shoes.pk}/shift/", {"up": "1"})
    children = Category.objects.get_children(Category.objects.get(pk=tree["baby"].pk))
    assert [c.name for c in children] == ["童鞋", "童装"]

    response = admin_client.post(
        f"/catalog/categories/{shoes.pk}/attributes/",
        {"name": "产地", "kind": "text"},
        follow=True,
    )
    assert "上级或下级类别已有同名属性“产地”" in response.content.decode()
    admin_client.post(
        f"/catalog/categories/{shoes.pk}/attributes/",
        {"name": "鞋码", "kind": "choice", "choices": "30、31，32", "required": "on"},
    )
    assert Attribute.objects.get(name="鞋码").choices == ["30", "31", "32"]


def test_the_product_form_shows_exactly_the_category_attributes(admin_client, tree):
    fragment = admin_client.get(
        "/catalog/products/attribute-fields/", {"category": tree["clothes"].pk}
    ).content.decode()
    assert "产地 *" in fragment
    assert "尺码（cm）" in fragment
    fragment = admin_client.get(
        "/catalog/products/attribute-fields/", {"category": tree["baby"].pk}
    ).content.decode()
    assert "尺码" not in fragment


def _product_data(tree, **extra):
    return {
        "code": "B001",
        "name": "婴儿连体衣",
        "category": tree["clothes"].pk,
        "unit": "件",
        "retail_price_fen": "89.00",
        "status": "active",
        "earns_points": "on",
        "barcodes": "6901234567892",
        **extra,
    }


def test_creating_a_product_requires_the_inherited_attribute(admin_client, tree):
    page = admin_client.post("/catalog/products/new/", _product_data(tree))
    assert page.status_code == 200
    assert "请填写“产地”" in page.content.decode()
    assert not Product.objects.exists()

    data = _product_data(tree, **{tree["origin"].key: "上海", tree["size"].key: "73"})
    response = admin_client.post("/catalog/products/new/", data)
    product = Product.objects.get(code="B001")
    assert response.status_code == 302
    assert product.retail_price_fen == 8900
    assert product.attributes == {tree["origin"].key: "上海", tree["size"].key: "73"}
    assert product.barcodes.get().code == "6901234567892"

    edit = admin_client.get(f"/catalog/products/{product.pk}/").content.decode()
    assert 'value="89.00"' in edit
    assert "selected>\u3000童装" in edit
    assert 'value="上海"' in edit


def test_a_wrong_check_digit_is_shown_on_the_form(admin_client, tree):
    data = _product_data(tree, barcodes="6901234567893", **{tree["origin"].key: "上海"})
    page = admin_client.post("/catalog/products/new/", data)
    assert "条码校验位错误或格式不对" in page.content.decode()


def test_the_list_searches_and_filters_by_attribute(admin_client, tree, make_product):
    make_product(
        code="B001",
        name="婴儿连体衣",
        category=tree["baby"],
        attributes={tree["origin"].key: "上海"},
    )
    make_product(
        code="B002", name="婴儿帽", category=tree["baby"], attributes={tree["origin"].key: "广州"}
    )
    page = admin_client.get(
        "/catalog/products/", {"category": tree["baby"].pk, tree["origin"].key: "广州"}
    ).content.decode()
    assert "B002" in page
    assert "B001" not in page
    page = admin_client.get("/catalog/products/", {"q": "yelty"}).content.decode()
    assert "B001" in page
    assert "B002" not in page


def test_suppliers_page(admin_client):
    admin_client.post("/catalog/suppliers/new/", {"name": "光明乳业", "is_active": "on"})
    page = admin_client.get("/catalog/suppliers/").content.decode()
    assert "光明乳业" in page
    assert Supplier.objects.get().is_active


def test_cashiers_view_but_do_not_edit(client, make_operator, tree):
    client.force_login(make_operator("cashier"))
    assert client.get("/catalog/products/").status_code == 200
    assert client.get("/catalog/categories/").status_code == 200
    assert client.get("/catalog/products/new/").status_code == 403
    assert client.post("/catalog/categories/add/", {"name": "x", "code": "x"}).status_code == 403
