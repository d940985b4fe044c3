from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD


def test_import_previews_bad_rows_then_imports_the_good_ones(
    page, live_server, make_operator, fresh, tmp_path
):
    book = Workbook()
    book.active.append(["商品编码", "名称", "类别编码", "零售价", "条码"])
    book.active.append(["A001", "红富士苹果", "01", "12.8", "6901234567892"])
    book.active.append(["A002", "砀山梨", "01", "8.6", "6901234567893"])
    path = tmp_path / "products.xlsx"
    book.save(path)

    login(page, live_server, make_operator("admin").username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/catalog/products/")
    page.get_by_role("link", name="导入商品").click()
    page.get_by_label("xlsx 文件").set_input_files(path)
    page.get_by_role("button", name="上传并检查").click()

    preview = page.get_by_test_id("import-preview")
    expect(preview).to_contain_text("可导入 1 行，有问题 1 行")
    expect(page.get_by_test_id("import-errors")).to_contain_text("条码校验位错误或格式不对")
    preview.get_by_role("button", name="导入 1 个商品").click()

    expect(page.get_by_text("已导入 1 个商品")).to_be_visible()
    expect(page.get_by_test_id("product-table")).to_contain_text("红富士苹果")
    expect(page.get_by_test_id("product-table")).not_to_contain_text("砀山梨")


def test_moving_a_category_under_another(page, live_server, make_operator, tree):
    login(page, live_server, make_operator("admin").username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/catalog/categories/?selected={tree['clothes'].pk}")
    move = page.get_by_test_id("category-move")
    move.get_by_label("移到").select_option(label="（顶级类别）")
    move.get_by_role("button", name="移动").click()
    expect(page.get_by_text("类别已移动")).to_be_visible()
    expect(page.get_by_test_id("attribute-table")).not_to_contain_text("继承自母婴")
