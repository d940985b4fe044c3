from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD


def test_a_child_category_product_needs_the_parent_attribute(page, live_server, make_operator):
    manager = make_operator("store_manager")
    login(page, live_server, manager.username, TEST_PASSWORD)
    page.get_by_test_id("navigation").get_by_role("link").filter(has_text="商品类别").click()

    add = page.get_by_test_id("category-add")
    add.get_by_label("类别名称").fill("母婴")
    add.get_by_label("类别编码").fill("05")
    add.get_by_role("button", name="添加").click()
    expect(page.get_by_text("已添加类别“母婴”")).to_be_visible()

    page.get_by_test_id("attribute-add").locator("summary").click()
    attribute = page.get_by_test_id("attribute-add")
    attribute.get_by_label("属性名称").fill("产地")
    attribute.get_by_label("必填").check()
    attribute.get_by_role("button", name="添加属性").click()
    expect(page.get_by_text("已添加属性“产地”")).to_be_visible()

    add = page.get_by_test_id("category-add")
    add.get_by_label("上级类别").select_option(label="母婴")
    add.get_by_label("类别名称").fill("童装")
    add.get_by_label("类别编码").fill("0501")
    add.get_by_role("button", name="添加").click()
    expect(page.get_by_test_id("attribute-table")).to_contain_text("继承自母婴")

    page.get_by_test_id("navigation").get_by_role("link").filter(has_text="商品资料").click()
    page.get_by_role("link", name="新建商品").click()
    form = page.get_by_test_id("product-form")
    form.get_by_label("商品编码").fill("B001")
    form.get_by_label("名称").first.fill("婴儿连体衣")
    expect(page.get_by_test_id("attribute-fields")).not_to_contain_text("产地")
    form.get_by_label("类别").select_option(label="　童装")
    expect(page.get_by_test_id("attribute-fields")).to_contain_text("产地 *")
    form.get_by_label("零售价（元）").fill("89")
    form.get_by_label("条码").fill("6901234567892")
    form.get_by_role("button", name="保存").click()
    expect(form.get_by_text("请填写“产地”")).to_be_visible()

    page.get_by_test_id("product-form").get_by_label("产地 *").fill("上海")
    page.get_by_test_id("product-form").get_by_role("button", name="保存").click()
    expect(page.get_by_text("商品“婴儿连体衣”已保存")).to_be_visible()
    expect(page.get_by_test_id("barcodes")).to_contain_text("6901234567892")

    page.get_by_test_id("navigation").get_by_role("link").filter(has_text="商品资料").click()
    search = page.get_by_test_id("product-search")
    search.get_by_label("查找商品").fill("yelty")
    search.get_by_role("button", name="查找").click()
    expect(page.get_by_test_id("product-table")).to_contain_text("婴儿连体衣")
