from huiyuan.catalog import demo
from huiyuan.catalog.models import Barcode, Category, Product
from huiyuan.catalog.selectors import find_by_barcode


def test_demo_catalogue_loads_once_with_valid_barcodes(db):
    demo.load()
    demo.load()
    assert Category.objects.filter(depth=3).count() == 30
    assert 300 <= Product.objects.count() <= 600
    assert Product.objects.filter(is_weighed=True, plu__isnull=False).count() >= 10
    code = Barcode.objects.first().code
    assert code.startswith("69")
    assert find_by_barcode(code).product.barcodes.filter(code=code).exists()
