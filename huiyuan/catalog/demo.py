"""Demo catalogue: a 3-level category tree with extension attributes on some branches, suppliers,
about 370 products with valid 69x EAN-13 barcodes, and weighed fresh goods with scale PLUs.

`load()` is idempotent (it does nothing once the 生鲜 category exists). Everything goes through
the services, so the audit log shows it as the system's doing."""

import itertools
import random

from huiyuan.catalog import barcodes, categories, services
from huiyuan.catalog.models import Category
from huiyuan.core.actors import Actor

SYSTEM = Actor.system()
SUPPLIERS = (
    ("光明乳业", "王经理", "021-54584520"),
    ("农夫山泉", "李经理", "0571-87631800"),
    ("蓝月亮", "陈经理", "020-82228866"),
    ("美的电器", "赵经理", "0757-26338888"),
    ("海澜之家", "周经理", "0510-86121688"),
    ("贝亲婴童", "吴经理", "021-62881111"),
    ("南汇果园", "孙师傅", "13916000001"),
    ("康师傅", "郑经理", "022-25321999"),
)
# (code, name, [attributes], {child: {grandchild: [(item, spec, unit, yuan)]}})
TEXT, NUMBER, CHOICE = "text", "number", "choice"
TREE = (
    ("01", "生鲜", [], {
        "水果": {
            "国产水果": [("红富士苹果", "", "千克", 12.8), ("砀山梨", "", "千克", 8.6),
                         ("麒麟西瓜", "", "千克", 4.5), ("阳光玫瑰葡萄", "", "千克", 29.9)],
            "进口水果": [("智利车厘子", "", "千克", 89.0), ("新西兰奇异果", "", "千克", 25.8),
                         ("泰国榴莲", "", "千克", 59.9)],
        },
        "蔬菜": {
            "叶菜": [("上海青", "", "千克", 6.8), ("菠菜", "", "千克", 9.8)],
            "根茎": [("土豆", "", "千克", 3.9), ("胡萝卜", "", "千克", 4.2),
                     ("山药", "", "千克", 12.8)],
        },
        "肉禽蛋": {
            "猪肉": [("猪里脊", "", "千克", 39.8), ("五花肉", "", "千克", 35.6)],
            "禽蛋": [("鸡翅中", "", "千克", 45.8), ("土鸡蛋", "30枚", "盒", 32.9)],
        },
    }),
    ("02", "食品", [("保质期", NUMBER, True, [], "天"), ("产地", TEXT, False, [], "")], {
        "休闲零食": {
            "饼干": [("苏打饼干", "400g", "袋", 9.9), ("夹心饼干", "300g", "袋", 12.5)],
            "膨化食品": [("薯片原味", "104g", "袋", 7.5), ("虾条", "80g", "袋", 5.5)],
        },
        "粮油调味": {
            "米面": [("东北大米", "5kg", "袋", 49.9), ("高筋面粉", "2.5kg", "袋", 22.8)],
            "食用油": [("花生油", "5L", "桶", 129.0), ("菜籽油", "5L", "桶", 79.9)],
            "调味品": [("生抽", "500ml", "瓶", 12.9), ("香醋", "500ml", "瓶", 9.8)],
        },
        "饮料": {
            "饮用水": [("饮用天然水", "550ml", "瓶", 2.0), ("矿泉水", "1.5L", "瓶", 4.5)],
            "乳品": [("纯牛奶", "250ml*12", "箱", 59.0), ("酸奶", "200g", "杯", 6.5)],
        },
    }),
    ("03", "日化", [], {
        "洗护": {
            "洗发水": [("去屑洗发水", "750ml", "瓶", 59.9)],
            "沐浴露": [("沐浴露", "1L", "瓶", 45.9)],
        },
        "清洁": {
            "洗衣液": [("洗衣液", "3kg", "瓶", 49.9), ("洗洁精", "1.5kg", "瓶", 16.9)],
            "纸品": [("抽纸", "3层*20包", "提", 39.9), ("卷纸", "4层*10卷", "提", 35.9)],
        },
    }),
    ("04", "家电", [("保修期", NUMBER, True, [], "月"), ("功率", NUMBER, False, [], "W"),
                   ("能效等级", CHOICE, False, ["一级", "二级", "三级"], "")], {
        "厨房电器": {
            "电饭煲": [("智能电饭煲", "4L", "台", 299.0)],
            "电水壶": [("电水壶", "1.7L", "台", 99.0)],
        },
        "生活电器": {
            "吹风机": [("负离子吹风机", "", "台", 199.0)],
            "电风扇": [("落地扇", "", "台", 159.0)],
        },
    }),
    ("05", "服饰", [("尺码", CHOICE, True, ["S", "M", "L", "XL", "XXL"], ""),
                   ("颜色", CHOICE, False, ["黑", "白", "蓝", "灰", "红"], "")], {
        "男装": {
            "T恤": [("纯棉圆领T恤", "", "件", 79.0)],
            "衬衫": [("商务长袖衬衫", "", "件", 199.0)],
        },
        "女装": {
            "连衣裙": [("碎花连衣裙", "", "件", 259.0)],
            "针织衫": [("开衫", "", "件", 169.0)],
        },
    }),
    ("06", "母婴", [("产地", TEXT, True, [], ""),
                   ("颜色", CHOICE, False, ["粉", "蓝", "黄", "白"], ""),
                   ("适用年龄", TEXT, False, [], "")], {
        "奶粉": {
            "婴儿奶粉": [("婴儿配方奶粉1段", "800g", "罐", 358.0),
                         ("婴儿配方奶粉2段", "800g", "罐", 338.0)],
        },
        "童装": {
            "婴儿服": [("婴儿连体衣", "73cm", "件", 89.0)],
            "童鞋": [("学步鞋", "", "双", 129.0)],
        },
        "用品": {
            "纸尿裤": [("纸尿裤", "L码*54片", "包", 99.0)],
            "奶瓶": [("宽口径奶瓶", "240ml", "个", 69.0)],
        },
    }),
)  # fmt: skip
BRANDS = {
    "01": [""],
    "02": ["康师傅", "金龙鱼", "海天", "农夫山泉"],
    "03": ["蓝月亮", "清风", "海飞丝"],
    "04": ["美的", "苏泊尔", "飞科"],
    "05": ["海澜之家", "优衣库", "森马"],
    "06": ["贝亲", "飞鹤", "好孩子"],
}
# Packaged goods come in a few variants each (weighed goods are one product per PLU).
VARIANTS = ("", "（经典款）", "（家庭装）")
SAMPLES = {
    "产地": ["上海", "广州", "杭州", "新西兰", "日本"],
    "适用年龄": ["0-6个月", "6-12个月", "1-3岁"],
}


def load() -> None:
    if Category.objects.filter(code="01").exists():
        return
    rng = random.Random(6)
    suppliers = [
        services.create_supplier(actor=SYSTEM, name=name, contact=contact, phone=phone)
        for name, contact, phone in SUPPLIERS
    ]
    serial = iter(range(1, 100_000))
    plu = iter(range(1, 1000))
    for code, name, attributes, children in TREE:
        top = categories.create_category(actor=SYSTEM, name=name, code=code)
        defined = [
            categories.add_attribute(
                actor=SYSTEM, category=top, name=a, kind=kind, required=req, choices=ch, unit=unit
            )
            for a, kind, req, ch, unit in attributes
        ]
        for i, (child_name, leaves) in enumerate(children.items(), start=1):
            child = categories.create_category(
                actor=SYSTEM, name=child_name, code=f"{code}{i:02d}", parent=top
            )
            for j, (leaf_name, items) in enumerate(leaves.items(), start=1):
                leaf = categories.create_category(
                    actor=SYSTEM, name=leaf_name, code=f"{code}{i:02d}{j:02d}", parent=child
                )
                for item, brand in itertools.product(items, BRANDS[code]):
                    variants = VARIANTS[:1] if item[2] == "千克" else VARIANTS
                    for variant in variants:
                        named = (f"{brand}{item[0]}{variant}", *item[1:])
                        _product(rng, leaf, brand, named, defined, suppliers, serial, plu)


def _product(rng, category, brand, item, attributes, suppliers, serial, plu):
    name, spec, unit, yuan = item
    number = next(serial)
    weighed = unit == "千克"
    price = round(yuan * 100 * rng.uniform(0.9, 1.2))
    values = {a.key: _sample(rng, a) for a in attributes}
    services.create_product(
        actor=SYSTEM,
        code=f"{category.code[:2]}{number:06d}",
        name=name,
        category=category,
        supplier=rng.choice(suppliers),
        unit=unit,
        spec=spec,
        brand=brand,
        retail_price_fen=price,
        member_price_fen=price * 95 // 100 if number % 3 == 0 else None,
        cost_price_fen=price * 70 // 100,
        is_weighed=weighed,
        plu=str(next(plu)) if weighed else None,
        attributes=values,
        barcode_codes=[] if weighed else [barcodes.with_check_digit(f"69{number:010d}")],
    )


def _sample(rng, attribute):
    if attribute.kind == "choice":
        return rng.choice(attribute.choices)
    if attribute.kind == "number":
        return str(rng.choice([12, 24, 180, 365, 800, 1200]))
    return rng.choice(SAMPLES.get(attribute.name, ["—"]))
