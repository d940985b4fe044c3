import pytest

from huiyuan.catalog import categories, services
from huiyuan.core.actors import Actor

SYSTEM = Actor.system()


@pytest.fixture
def tree(db):
    """母婴 (defines 产地 required, 颜色 choice) > 童装 (defines 尺码 number, cm)."""
    baby = categories.create_category(actor=SYSTEM, name="母婴", code="05")
    clothes = categories.create_category(actor=SYSTEM, name="童装", code="0501", parent=baby)
    attrs = {
        "origin": categories.add_attribute(actor=SYSTEM, category=baby, name="产地", required=True),
        "colour": categories.add_attribute(
            actor=SYSTEM, category=baby, name="颜色", kind="choice", choices=["红", "蓝"]
        ),
        "size": categories.add_attribute(
            actor=SYSTEM, category=clothes, name="尺码", kind="number", unit="cm"
        ),
    }
    return {"baby": baby, "clothes": clothes, **attrs}


@pytest.fixture
def fresh(db):
    return categories.create_category(actor=SYSTEM, name="生鲜", code="01")


@pytest.fixture
def make_product(fresh):
    def make(code="P001", name="红富士苹果", category=None, barcode_codes=(), **fields):
        fields.setdefault("retail_price_fen", 1280)
        return services.create_product(
            actor=SYSTEM,
            code=code,
            name=name,
            category=category or fresh,
            barcode_codes=barcode_codes,
            **fields,
        )

    return make
