"""Demo members: a few thousand believable people with STD cards, a few lost and replaced.

They go in through the bulk import path (`imports.import_rows`), so loading them takes about a
second. `people()` is also what the import tests and `bench/import_members.py` generate.
"""

import datetime
import random
from collections.abc import Iterator

from stdnum.cn import ric

from huiyuan.cards import services as card_services
from huiyuan.cards.models import Card
from huiyuan.core.actors import Actor
from huiyuan.core.models import Store
from huiyuan.members import imports
from huiyuan.members.models import Member

DEMO_NOTE = "演示会员"
PER_STORE = {"SH01": 1500, "SH02": 1000, "HZ01": 800}
LOST, REPLACED = 12, 8

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
)
DOUBLE_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方")
GIVEN = (
    *("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰"),
    *("娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建国", "红梅", "玉兰", "志强"),
    *("海燕", "波", "辉", "鹏", "宇", "浩然", "子涵", "欣怡", "梓萱", "一诺", "思远", "雨桐"),
    *("佳琪", "俊杰", "博文", "晨曦", "嘉怡", "梦瑶", "天佑", "宇轩", "若曦", "雅琴", "晓东"),
    *("春燕", "丹丹", "婷婷", "琳琳", "建平", "永刚", "淑珍", "国华", "文静", "晓燕", "家豪"),
)
PHONE_PREFIXES = [f"13{d}" for d in range(10)] + [
    *("150", "151", "152", "153", "155", "156", "157", "158", "159", "173", "176", "177"),
    *("178", "180", "181", "182", "183", "185", "186", "187", "188", "189", "198", "199"),
]
AREAS = ("110101", "110102", "110105", "110108", "310101", "310104", "310105", "310110", "120101")
STREETS = ("南京东路", "淮海中路", "延安路", "解放路", "中山路", "人民路", "建国路", "文一路")
CITIES = ("上海市黄浦区", "上海市徐汇区", "杭州市上城区", "杭州市西湖区", "南京市玄武区")


def people(count: int, *, seed: int = 2024, first: int = 0) -> Iterator[dict]:
    """`count` distinct people as template rows (keys of `imports.COLUMNS`), deterministic per
    seed: unique phones and ID numbers, birthdays spread over the year, most with an ID number."""
    rng = random.Random(seed)
    # A permutation of serials, so phones look random but never repeat within one seed.
    spread = 99_999_989  # a prime below 10⁸: n*step mod prime is a bijection
    step = 7_919_993
    ids: set[str] = set()
    for n in range(first, first + count):
        surname = rng.choice(DOUBLE_SURNAMES) if rng.random() < 0.02 else rng.choice(SURNAMES)
        given = rng.choice(GIVEN)
        serial = (n * step + seed) % spread % 100_000_000
        phone = PHONE_PREFIXES[n % len(PHONE_PREFIXES)] + f"{serial:08d}"
        birthday = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 55))
        gender = rng.choice(("男", "女"))
        row = {
            "name": surname + given,
            "phone": phone,
            "gender": gender,
            "birthday": birthday,
            "id_type": "",
            "id_number": "",
            "email": f"user{n}@example.com" if rng.random() < 0.3 else "",
            "address": f"{rng.choice(CITIES)}{rng.choice(STREETS)} {rng.randrange(1, 999)} 号",
            "card_type": "STD",
            "notes": "",
        }
        if rng.random() < 0.8:
            row["id_type"] = "居民身份证"
            row["id_number"] = resident_id(AREAS[n % len(AREAS)], birthday, n, gender, ids)
        yield row


def resident_id(area: str, birthday: datetime.date, n: int, gender: str, taken: set) -> str:
    """A well-formed resident ID (GB 11643; odd sequence for men), not yet in `taken`."""
    sequence = (n % 500) * 2 + (1 if gender == "男" else 0)
    while True:
        body = f"{area}{birthday:%Y%m%d}{sequence % 1000:03d}"
        number = body + ric.calc_check_digit(body + "0")
        if number not in taken:
            taken.add(number)
            return number
        sequence += 2


def load() -> int:
    """Create the demo members unless they exist; returns how many were created."""
    if Member.objects.filter(notes=DEMO_NOTE).exists():
        return 0
    created = 0
    first = 0
    keys = [key for key, _required, _help in imports.COLUMNS.values()]
    for code, count in PER_STORE.items():
        store = Store.objects.get(code=code)
        actor = Actor(store=store)
        rows = (
            tuple({**row, "notes": DEMO_NOTE}[key] for key in keys)
            for row in people(count, seed=7, first=first)
        )
        report = imports.import_rows(keys, enumerate(rows, start=2), actor=actor, store=store)
        created += report.created
        first += count
    _lose_and_replace()
    return created


def _lose_and_replace() -> None:
    """A few cards reported lost, and a few of those replaced with a new number."""
    cards = list(
        Card.objects.filter(member__notes=DEMO_NOTE, status=Card.Status.ACTIVE)
        .select_related("store")
        .order_by("pk")[: LOST + REPLACED]
    )
    for index, card in enumerate(cards):
        actor = Actor(store=card.store)
        lost = card_services.report_card_loss(actor=actor, card=card, reason="顾客遗失")
        if index >= LOST:
            card_services.replace_card(actor=actor, card=lost, reason="补办新卡", fee_fen=0)
