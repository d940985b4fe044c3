"""Demo stores and staff: three stores, the administrator, and one operator per role per store."""

import os

from huiyuan.core import services as store_services
from huiyuan.core.actors import Actor
from huiyuan.core.models import Store
from huiyuan.staff import services
from huiyuan.staff.models import Operator, Role

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = os.environ.get("HUIYUAN_ADMIN_PASSWORD", "admin12345")
DEMO_PASSWORD = os.environ.get("HUIYUAN_DEMO_PASSWORD", "demo12345")

STORES = (
    ("SH01", "南京路旗舰店", "上海市黄浦区南京东路 300 号", "021-63220001"),
    ("SH02", "徐家汇店", "上海市徐汇区虹桥路 1 号", "021-64070002"),
    ("HZ01", "杭州湖滨店", "杭州市上城区延安路 98 号", "0571-87010003"),
)
# Role code → username stem and a believable name per store.
STAFF = (
    ("store_manager", "manager", ("王建国", "李明", "周涛")),
    ("cashier", "cashier", ("张丽", "刘芳", "陈静")),
    ("member_service", "service", ("赵敏", "孙悦", "吴倩")),
    ("marketing", "marketing", ("郑凯", "冯雪", "褚磊")),
    ("finance", "finance", ("卫红", "蒋平", "沈洁")),
)


OTHER_STORES_HINT = "manager_sh02, cashier_hz01, … (用户名 = 角色_门店编码)"


def load() -> list[tuple[str, str, str]]:
    """Create what is missing; returns one login per role (role, username, password) to print."""
    actor = Actor.system()
    stores = [_store(actor, *row) for row in STORES]
    logins = [("系统管理员", ADMIN_USERNAME, ADMIN_PASSWORD)]
    _operator(actor, ADMIN_USERNAME, ADMIN_PASSWORD, "系统管理员", stores, "admin")
    for role_code, stem, names in STAFF:
        role_name = Role.objects.get(code=role_code).name
        for store, name in zip(stores, names, strict=True):
            _operator(
                actor, f"{stem}_{store.code.lower()}", DEMO_PASSWORD, name, [store], role_code
            )
        logins.append(
            (f"{role_name}（{stores[0].name}）", f"{stem}_{stores[0].code.lower()}", DEMO_PASSWORD)
        )
    return logins


def _store(actor, code, name, address, phone) -> Store:
    existing = Store.objects.filter(code=code).first()
    return existing or store_services.create_store(
        actor=actor, code=code, name=name, address=address, phone=phone
    )


def _operator(actor, username, password, full_name, stores, role_code) -> None:
    if not Operator.objects.filter(username=username).exists():
        services.create_operator(
            actor=actor,
            username=username,
            password=password,
            full_name=full_name,
            stores=stores,
            roles=[Role.objects.get(code=role_code)],
        )
