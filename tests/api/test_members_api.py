"""The members calls of API.md: register, lookup, read, edit, search, issue a card.

Each refusal is checked for its contract code and for having written nothing.
"""

import datetime

import pytest

from huiyuan.cards.models import Card, CardEvent, CardType
from huiyuan.core.models import AuditEvent, IdempotencyRecord
from huiyuan.members.models import Member, Tag
from tests.conftest import RESIDENT_IDS
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db

MEMBERS = "/api/v1/members"


def post(api, url, data=None, **extra):
    return api.post(url, data if data is not None else {}, content_type="application/json", **extra)


def patch(api, url, data):
    return api.patch(url, data, content_type="application/json")


def error_of(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    return body["error"]


def written():
    """What a refused call must not have changed."""
    return (
        Member.objects.count(),
        Card.objects.count(),
        CardEvent.objects.count(),
        AuditEvent.objects.count(),
        IdempotencyRecord.objects.count(),
    )


# --- POST /members -----------------------------------------------------------------------------


def test_register_without_a_card_type_registers_no_card(api, api_key_pair, store):
    response = post(api, MEMBERS, {"name": " 王 五 ", "phone": "139 0013 9000"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["member_no"].isdigit()
    assert body["name"] == "王 五"
    assert body["phone"] == "13900139000"
    assert body["card"] is None
    assert (body["channel"], body["store_code"], body["status"]) == ("api", "SH01", "active")
    assert body["created_at"].endswith("+08:00")
    member = Member.objects.get(member_no=body["member_no"])
    assert member.registered_by is None
    event = AuditEvent.objects.get(action="member.register")
    assert (event.api_key, event.store, event.target_id) == (api_key_pair[0], store, str(member.pk))


def test_register_with_every_field_and_a_card(api, register):
    referrer = register(name="推荐人", phone="13700137000")
    other = StoreFactory(code="BJ01", name="北京店")

    response = post(
        api,
        MEMBERS,
        {
            "name": "张三",
            "phone": "13800138000",
            "gender": "M",
            "birthday": "1990-03-07",
            "id_number": RESIDENT_IDS[1],
            "email": "zhangsan@example.cn",
            "address": "上海市黄浦区南京东路 1 号",
            "store_code": "BJ01",
            "card_type_code": "STD",
            "card_medium": "magnetic",
            "referrer_member_no": referrer.member_no,
            "consents": {"sms": True, "wechat": True},
            "notes": "老顾客",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id_type"] == "resident_id"  # the default when an ID number is given
    assert body["id_number_masked"] == "1101**********4477"
    assert (body["gender"], body["birthday"], body["store_code"]) == ("M", "1990-03-07", "BJ01")
    assert body["referrer_member_no"] == referrer.member_no
    assert (body["consent_sms"], body["consent_email"], body["consent_wechat"]) == (
        True,
        False,
        True,
    )
    card = body["card"]
    assert (card["card_type_code"], card["medium"], card["status"]) == ("STD", "magnetic", "active")
    assert (card["store_code"], card["member_no"]) == ("BJ01", body["member_no"])
    member = Member.objects.get(member_no=body["member_no"])
    assert member.store == other
    assert member.id_number == RESIDENT_IDS[1]
    assert member.cards.get().number == card["card_no"]


def test_register_with_a_passport(api):
    response = post(
        api,
        MEMBERS,
        {
            "name": "John Smith",
            "phone": "13800138000",
            "id_type": "passport",
            "id_number": "e1234567",
        },
    )

    assert response.status_code == 201, response.content
    assert response.json()["id_type"] == "passport"
    assert response.json()["id_number_masked"] == "E******7"
    assert Member.objects.get().id_number == "E1234567"


def test_duplicate_phone_is_member_exists_naming_the_holder(api, register):
    holder = register()
    before = written()

    error = error_of(
        post(api, MEMBERS, {"name": "李四", "phone": "13800138000"}), 409, "MEMBER_EXISTS"
    )

    assert error["fields"]["holder"] == holder.member_no
    assert written() == before


def test_an_id_that_already_holds_a_card_is_refused(api, register):
    holder = register(id_type="resident_id", id_number=RESIDENT_IDS[0])
    before = written()

    response = post(
        api,
        MEMBERS,
        {"name": "李四", "phone": "13900139000", "id_number": RESIDENT_IDS[0].lower()},
    )

    error = error_of(response, 409, "ID_NUMBER_ALREADY_HAS_CARD")
    assert error["fields"]["holder"] == holder.member_no
    assert written() == before


@pytest.mark.parametrize(
    ("changes", "status", "code", "field"),
    [
        ({"phone": "12345"}, 422, "PHONE_INVALID", "phone"),
        ({"phone": "021-63220001"}, 422, "PHONE_INVALID", "phone"),
        ({"id_number": "110101199003074478"}, 422, "ID_NUMBER_INVALID", "id_number"),
        ({"id_type": "passport", "id_number": "!!"}, 422, "ID_NUMBER_INVALID", "id_number"),
        ({"name": "  "}, 422, "VALIDATION_ERROR", "name"),
        ({"name": ""}, 422, "VALIDATION_ERROR", "name"),
        ({"name": "名" * 51}, 422, "VALIDATION_ERROR", "name"),
        ({"birthday": "2999-01-01"}, 422, "VALIDATION_ERROR", "birthday"),
        ({"birthday": "1850-01-01"}, 422, "VALIDATION_ERROR", "birthday"),
        ({"birthday": "not a date"}, 422, "VALIDATION_ERROR", "birthday"),
        ({"gender": "X"}, 422, "VALIDATION_ERROR", "gender"),
        ({"id_type": "spaceship"}, 422, "VALIDATION_ERROR", "id_type"),
        ({"email": "not-an-email"}, 422, "VALIDATION_ERROR", "email"),
        ({"consents": {"sms": "yes"}}, 422, "VALIDATION_ERROR", "consents.sms"),
        ({"card_medium": "paper"}, 422, "VALIDATION_ERROR", "card_medium"),
        ({"referrer_member_no": "abc"}, 422, "VALIDATION_ERROR", "referrer_member_no"),
        ({"referrer_member_no": "99999999"}, 404, "MEMBER_NOT_FOUND", "referrer_member_no"),
        ({"store_code": "NOPE"}, 404, "STORE_NOT_FOUND", "store_code"),
        ({"card_type_code": "GOLD"}, 404, "CARD_TYPE_NOT_FOUND", "card_type_code"),
        (
            {"card_type_code": "STD", "card_medium": "rfid"},
            422,
            "CARD_MEDIUM_NOT_ALLOWED",
            "medium",
        ),
    ],
)
def test_bad_registrations_are_refused_and_write_nothing(api, store, changes, status, code, field):
    before = written()

    response = post(api, MEMBERS, {"name": "李四", "phone": "13900139000", **changes})

    error = error_of(response, status, code)
    assert field in error["fields"]
    assert written() == before


@pytest.mark.parametrize("missing", ["name", "phone"])
def test_name_and_phone_are_required(api, store, missing):
    body = {"name": "李四", "phone": "13900139000"}
    del body[missing]

    error = error_of(post(api, MEMBERS, body), 422, "VALIDATION_ERROR")

    assert missing in error["fields"]
    assert not Member.objects.exists()


def test_a_refused_card_leaves_no_member_behind(api, store):
    """The card is issued in the member's transaction: if it is refused, so is the member."""
    before = written()

    response = post(
        api,
        MEMBERS,
        {"name": "李四", "phone": "13900139000", "card_type_code": "STD", "card_medium": "rfid"},
    )

    error_of(response, 422, "CARD_MEDIUM_NOT_ALLOWED")
    assert written() == before


def test_an_idempotent_repeat_registers_once(api):
    body = {"name": "李四", "phone": "13900139000", "card_type_code": "STD"}

    first = post(api, MEMBERS, body, HTTP_IDEMPOTENCY_KEY="reg-1")
    again = post(api, MEMBERS, body, HTTP_IDEMPOTENCY_KEY="reg-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Member.objects.count() == 1
    assert Card.objects.count() == 1
    assert AuditEvent.objects.filter(action="member.register").count() == 1
    # The same key with another body is refused; without a key, the phone is already taken.
    other = post(api, MEMBERS, {**body, "name": "李五"}, HTTP_IDEMPOTENCY_KEY="reg-1")
    error_of(other, 409, "IDEMPOTENCY_KEY_REUSED")
    error_of(post(api, MEMBERS, body), 409, "MEMBER_EXISTS")


def test_a_refused_registration_can_be_retried_with_the_same_key(api):
    bad = post(api, MEMBERS, {"name": "李四", "phone": "123"}, HTTP_IDEMPOTENCY_KEY="reg-2")
    error_of(bad, 422, "PHONE_INVALID")

    good = post(
        api, MEMBERS, {"name": "李四", "phone": "13900139000"}, HTTP_IDEMPOTENCY_KEY="reg-2"
    )

    assert good.status_code == 201, good.content


def test_a_very_long_chinese_name_fits_the_search_columns(api):
    response = post(api, MEMBERS, {"name": "庄" * 50, "phone": "13900139000"})

    assert response.status_code == 201, response.content
    member = Member.objects.get()
    assert member.name_pinyin == ("zhuang" * 50)[:200]
    found = api.get(MEMBERS, {"q": "zhuangzhuang"}).json()
    assert [item["member_no"] for item in found["items"]] == [member.member_no]


# --- GET /members/lookup ----------------------------------------------------------------------


@pytest.fixture
def member(register):
    return register(id_type="resident_id", id_number=RESIDENT_IDS[0])


@pytest.mark.parametrize("by", ["card", "phone", "member_no"])
def test_lookup_by_any_number(api, member, by):
    card = member.cards.get()
    q = {"card": card.number, "phone": member.phone, "member_no": member.member_no}[by]

    response = api.get(f"{MEMBERS}/lookup", {"q": q})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["member_no"] == member.member_no
    assert body["card"]["card_no"] == card.number
    assert body["tier"] is None
    assert body["discount_permille"] == 1000
    assert body["balances"] == {
        "points": 0,
        "stored_value_fen": 0,
        "principal_fen": 0,
        "bonus_fen": 0,
    }
    assert body["available_coupons"] == []


def test_lookup_gives_the_card_types_discount(api, register):
    gold = CardType.objects.create(
        code="GOLD", name="金卡", discount_permille=950, number_prefix="66", media=["ic"]
    )
    member = register(card_type=gold, card_medium="ic")

    body = api.get(f"{MEMBERS}/lookup", {"q": member.phone}).json()

    assert body["discount_permille"] == 950
    assert body["card"]["card_type_code"] == "GOLD"


def test_lookup_of_a_member_without_a_card(api, register):
    member = register(card_type=None)

    body = api.get(f"{MEMBERS}/lookup", {"q": member.member_no}).json()

    assert body["card"] is None
    assert body["discount_permille"] == 1000


@pytest.mark.parametrize("q", ["13000000000", "99999999", "880000000000", "张三"])
def test_lookup_of_nobody_is_member_not_found(api, member, q):
    error = error_of(api.get(f"{MEMBERS}/lookup", {"q": q}), 404, "MEMBER_NOT_FOUND")

    assert "q" in error["fields"]


@pytest.mark.parametrize("query", ["", "?q=", "?q=" + "1" * 201, "?q=%00"])
def test_lookup_needs_a_sensible_q(api, query):
    error_of(api.get(f"{MEMBERS}/lookup{query}"), 422, "VALIDATION_ERROR")


def test_lookup_of_a_cancelled_member(api, member, admin, store):
    from huiyuan.core.actors import Actor
    from huiyuan.members.services import cancel_member

    cancel_member(actor=Actor(operator=admin, store=store), member=member, reason="本人申请")

    # A cancelled membership is nobody at the till; its card says why.
    error_of(api.get(f"{MEMBERS}/lookup", {"q": member.member_no}), 404, "MEMBER_NOT_FOUND")
    card = member.cards.get()
    error_of(api.get(f"{MEMBERS}/lookup", {"q": card.number}), 409, "CARD_CANCELLED")


# --- GET /members/{member_no} ----------------------------------------------------------------


def test_read_a_member(api, member):
    response = api.get(f"{MEMBERS}/{member.member_no}")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["member_no"] == member.member_no
    assert body["id_number_masked"] == "1101**********002X"
    assert "id_number" not in body
    assert body["card"]["card_no"] == member.cards.get().number


def test_read_shows_a_lost_card_as_the_members_card(api, member, admin, store):
    from huiyuan.cards.services import report_card_loss
    from huiyuan.core.actors import Actor

    report_card_loss(actor=Actor(operator=admin, store=store), card=member.cards.get())

    assert api.get(f"{MEMBERS}/{member.member_no}").json()["card"]["status"] == "lost"


def test_reading_an_unknown_member_is_member_not_found(api, member):
    error_of(api.get(f"{MEMBERS}/99999999"), 404, "MEMBER_NOT_FOUND")


@pytest.mark.parametrize("member_no", ["abc", "1234567", "1" * 13, "1000000%2F1", "%00"])
def test_a_malformed_member_number_never_reaches_the_database(api, member_no):
    response = api.get(f"{MEMBERS}/{member_no}")

    assert response.status_code in (404, 422), response.content
    assert response.json()["error"]["code"] in ("VALIDATION_ERROR", "NOT_FOUND")


# --- PATCH /members/{member_no} --------------------------------------------------------------


def test_edit_the_profile_is_audited(api, api_key_pair, member):
    vip = Tag.objects.create(name="VIP")

    response = patch(
        api,
        f"{MEMBERS}/{member.member_no}",
        {
            "name": "张三丰",
            "phone": "13700137000",
            "email": "z@example.cn",
            "birthday": "1980-01-02",
            "tags": ["VIP"],
            "consent_sms": True,
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["phone"], body["tags"]) == ("张三丰", "13700137000", ["VIP"])
    assert (body["birthday"], body["consent_sms"]) == ("1980-01-02", True)
    member.refresh_from_db()
    assert member.name_initials == "zsf"
    assert list(member.tags.all()) == [vip]
    event = AuditEvent.objects.get(action="member.update")
    assert event.api_key == api_key_pair[0]
    assert event.before["phone"] == "13800138000"
    assert event.after["phone"] == "13700137000"
    assert "email" in event.after


def test_edit_only_changes_what_is_sent(api, member):
    response = patch(api, f"{MEMBERS}/{member.member_no}", {"notes": "喜欢绿茶"})

    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert (member.notes, member.name, member.id_number) == ("喜欢绿茶", "张三", RESIDENT_IDS[0])


def test_edit_the_id_number(api, member):
    response = patch(api, f"{MEMBERS}/{member.member_no}", {"id_number": RESIDENT_IDS[2]})

    assert response.status_code == 200, response.content
    assert response.json()["id_number_masked"] == "4403**********0012"
    member.refresh_from_db()
    assert (member.id_type, member.id_number) == ("resident_id", RESIDENT_IDS[2])
    event = AuditEvent.objects.get(action="member.update")
    assert event.after == {"id_number_masked": "4403**********0012"}


def test_birthday_can_be_cleared(api, register):
    member = register(birthday=datetime.date(1990, 1, 1))

    response = patch(api, f"{MEMBERS}/{member.member_no}", {"birthday": None})

    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert member.birthday is None


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"phone": "12345"}, 422, "PHONE_INVALID"),
        ({"phone": "13700137000"}, 409, "MEMBER_EXISTS"),
        ({"id_number": "110101199003074478"}, 422, "ID_NUMBER_INVALID"),
        ({"id_number": RESIDENT_IDS[1]}, 409, "ID_NUMBER_ALREADY_HAS_CARD"),
        ({"id_type": "passport"}, 422, "VALIDATION_ERROR"),
        ({"name": None}, 422, "VALIDATION_ERROR"),
        ({"name": " "}, 422, "VALIDATION_ERROR"),
        ({"birthday": "2999-01-01"}, 422, "VALIDATION_ERROR"),
        ({"tags": ["没有这个标签"]}, 422, "VALIDATION_ERROR"),
        ({"consent_sms": 1}, 422, "VALIDATION_ERROR"),
        ({"member_no": "1"}, 200, None),  # unknown fields are ignored, never applied
    ],
)
def test_bad_edits_are_refused_and_change_nothing(api, member, register, changes, status, code):
    register(name="李四", phone="13700137000", id_type="resident_id", id_number=RESIDENT_IDS[1])
    before = written()

    response = patch(api, f"{MEMBERS}/{member.member_no}", {"name": "王五", **changes})

    if code is None:
        assert response.status_code == 200
        member.refresh_from_db()
        assert member.member_no != "1"
        return
    error_of(response, status, code)
    assert written() == before
    member.refresh_from_db()
    assert (member.name, member.phone, member.id_number) == ("张三", "13800138000", RESIDENT_IDS[0])


def test_editing_a_cancelled_member_is_refused(api, member, admin, store):
    from huiyuan.core.actors import Actor
    from huiyuan.members.services import cancel_member

    cancel_member(actor=Actor(operator=admin, store=store), member=member, reason="本人申请")

    error_of(patch(api, f"{MEMBERS}/{member.member_no}", {"name": "王五"}), 409, "MEMBER_CANCELLED")


def test_editing_an_unknown_member_is_member_not_found(api, member):
    error_of(patch(api, f"{MEMBERS}/99999999", {"name": "王五"}), 404, "MEMBER_NOT_FOUND")


# --- GET /members -----------------------------------------------------------------------------


@pytest.fixture
def three(register):
    zhang = register()
    li = register(name="李四", phone="13900139000")
    wang = register(name="王五", phone="13700137000", card_type=None)
    return zhang, li, wang


def numbers(response):
    assert response.status_code == 200, response.content
    return [item["member_no"] for item in response.json()["items"]]


@pytest.mark.parametrize("how", ["initials", "pinyin", "name", "phone", "card", "member_no"])
def test_search(api, three, how):
    li = three[1]
    q = {
        "initials": "ls",
        "pinyin": "lisi",
        "name": "李",
        "phone": li.phone,
        "card": li.cards.get().number,
        "member_no": li.member_no,
    }[how]

    assert numbers(api.get(MEMBERS, {"q": q})) == [li.member_no]


def test_search_by_id_number_is_exact(api, register, three):
    member = register(
        name="赵六", phone="13600136000", id_type="resident_id", id_number=RESIDENT_IDS[2]
    )

    assert numbers(api.get(MEMBERS, {"q": RESIDENT_IDS[2]})) == [member.member_no]


def test_search_lists_everyone_newest_first_with_a_count(api, three):
    response = api.get(MEMBERS, {"limit": 2})

    assert numbers(response) == [three[2].member_no, three[1].member_no]
    assert response.json()["count"] == 3
    assert numbers(api.get(MEMBERS, {"limit": 2, "offset": 2})) == [three[0].member_no]


def test_search_by_tag_and_status(api, three, admin, store):
    from huiyuan.core.actors import Actor
    from huiyuan.members.services import cancel_member

    vip = Tag.objects.create(name="VIP")
    three[0].tags.add(vip)
    three[1].tags.add(vip)
    cancel_member(actor=Actor(operator=admin, store=store), member=three[1], reason="本人申请")

    assert numbers(api.get(MEMBERS, {"tag": "VIP"})) == [three[1].member_no, three[0].member_no]
    assert numbers(api.get(MEMBERS, {"tag": "VIP", "status": "active"})) == [three[0].member_no]
    assert numbers(api.get(MEMBERS, {"status": "cancelled"})) == [three[1].member_no]
    assert numbers(api.get(MEMBERS, {"tag": "没有"})) == []


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=201", "offset=-1", "status=gone", "q=" + "a" * 101, "q=%00"]
)
def test_search_refuses_bad_parameters(api, query):
    error_of(api.get(f"{MEMBERS}?{query}"), 422, "VALIDATION_ERROR")


# --- POST /members/{member_no}/cards ------------------------------------------------------------


def test_issue_a_card(api, api_key_pair, register, store):
    member = register(card_type=None)

    response = post(
        api,
        f"{MEMBERS}/{member.member_no}/cards",
        {"card_type_code": "STD", "medium": "ic", "fee_fen": 500},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["member_no"], body["medium"], body["store_code"]) == (
        member.member_no,
        "ic",
        "SH01",
    )
    event = CardEvent.objects.get(card__number=body["card_no"])
    assert (event.kind, event.fee_fen, event.store) == ("issue", 500, store)
    assert AuditEvent.objects.get(action="card.issue").api_key == api_key_pair[0]


def test_issue_a_card_idempotently(api, register):
    member = register(card_type=None)
    url = f"{MEMBERS}/{member.member_no}/cards"

    first = post(api, url, {"card_type_code": "STD"}, HTTP_IDEMPOTENCY_KEY="card-1")
    again = post(api, url, {"card_type_code": "STD"}, HTTP_IDEMPOTENCY_KEY="card-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Card.objects.count() == 1


@pytest.mark.parametrize(
    ("member_no", "body", "status", "code"),
    [
        ("99999999", {"card_type_code": "STD"}, 404, "MEMBER_NOT_FOUND"),
        (None, {"card_type_code": "GOLD"}, 404, "CARD_TYPE_NOT_FOUND"),
        (None, {"card_type_code": "STD", "medium": "rfid"}, 422, "CARD_MEDIUM_NOT_ALLOWED"),
        (None, {"card_type_code": "STD", "fee_fen": "500"}, 422, "VALIDATION_ERROR"),
        (None, {"card_type_code": "STD", "fee_fen": 5.0}, 422, "VALIDATION_ERROR"),
        (None, {"card_type_code": "STD", "fee_fen": -1}, 422, "VALIDATION_ERROR"),
        (None, {}, 422, "VALIDATION_ERROR"),
        ("holder", {"card_type_code": "STD"}, 409, "MEMBER_ALREADY_HAS_CARD"),
    ],
)
def test_issuing_a_card_refused(api, register, member_no, body, status, code):
    no_card = register(card_type=None)
    holder = register(name="李四", phone="13900139000")
    before = written()
    member_no = {None: no_card.member_no, "holder": holder.member_no}.get(member_no, member_no)

    error_of(post(api, f"{MEMBERS}/{member_no}/cards", body), status, code)

    assert written() == before


# --- authentication, and the ID number never leaving in clear -------------------------------------


ROUTES = [
    ("post", MEMBERS),
    ("get", f"{MEMBERS}/lookup?q=13800138000"),
    ("get", MEMBERS),
    ("get", f"{MEMBERS}/10000001"),
    ("patch", f"{MEMBERS}/10000001"),
    ("post", f"{MEMBERS}/10000001/cards"),
]


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_every_call_needs_a_key(client, register, method, url):
    register()
    before = written()

    response = getattr(client, method)(url, {"name": "李四"}, content_type="application/json")

    error_of(response, 401, "AUTH_REQUIRED")
    assert written() == before


def test_the_raw_id_number_appears_in_no_api_response(api, register):
    clear = RESIDENT_IDS[0]
    birth = clear[6:14]
    bodies = []

    def call(response):
        bodies.append(response.content.decode())
        return response

    created = call(
        post(
            api,
            MEMBERS,
            {"name": "张三", "phone": "13800138000", "id_number": clear, "card_type_code": "STD"},
        )
    ).json()
    member_no, card_no = created["member_no"], created["card"]["card_no"]
    call(post(api, MEMBERS, {"name": "李四", "phone": "13900139000", "id_number": clear}))
    call(
        post(api, MEMBERS, {"name": "李四", "phone": "13900139000", "id_number": clear[:-1] + "1"})
    )
    call(api.get(f"{MEMBERS}/{member_no}"))
    call(api.get(f"{MEMBERS}/lookup", {"q": card_no}))
    call(api.get(MEMBERS, {"q": clear}))
    call(api.get(MEMBERS))
    call(patch(api, f"{MEMBERS}/{member_no}", {"id_number": clear.lower(), "notes": "x"}))
    call(patch(api, f"{MEMBERS}/{member_no}", {"id_type": "resident_id", "id_number": clear}))
    call(post(api, f"/api/v1/cards/{card_no}/replace"))
    call(api.get("/api/v1/openapi.json"))

    assert len(bodies) == 11
    for body in bodies:
        assert clear not in body
        assert clear.lower() not in body
        assert birth not in body
    assert "1101**********002X" in bodies[0]


def test_messages_follow_accept_language(api, member):
    response = api.patch(
        f"{MEMBERS}/{member.member_no}",
        {"tags": ["没有"]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    error = error_of(response, 422, "VALIDATION_ERROR")
    assert error["fields"]["tags"] == "No such tags: 没有"
    body_error = error_of(
        api.post(
            f"/api/v1/cards/{member.cards.get().number}/freeze",
            "[]",
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        ),
        422,
        "VALIDATION_ERROR",
    )
    assert body_error["fields"]["__all__"] == "The request body must be a JSON object"


def test_lookup_by_e_card_token(api, member, admin, store):
    from huiyuan.cards import ecard
    from huiyuan.cards.services import report_card_loss
    from huiyuan.core.actors import Actor

    card = member.cards.get()
    token = ecard.make_token(card)

    body = api.get(f"{MEMBERS}/lookup", {"q": token}).json()
    assert (body["member_no"], body["card"]["card_no"]) == (member.member_no, card.number)
    # A scanner that sends lower case still works.
    assert api.get(f"{MEMBERS}/lookup", {"q": token.lower()}).status_code == 200
    expired = ecard.make_token(card, now=0)
    error_of(api.get(f"{MEMBERS}/lookup", {"q": expired}), 409, "ECARD_TOKEN_EXPIRED")
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    error_of(api.get(f"{MEMBERS}/lookup", {"q": forged}), 400, "ECARD_TOKEN_INVALID")
    report_card_loss(actor=Actor(operator=admin, store=store), card=card)
    error_of(api.get(f"{MEMBERS}/lookup", {"q": token}), 409, "CARD_LOST")


def test_remove_the_id_document(api, member):
    response = patch(api, f"{MEMBERS}/{member.member_no}", {"id_number": ""})

    assert response.status_code == 200, response.content
    assert (response.json()["id_type"], response.json()["id_number_masked"]) == ("", "")
    member.refresh_from_db()
    assert (member.id_type, member.id_number, member.id_number_hash) == ("", "", None)


def test_a_page_of_members_costs_a_few_queries(api, register, django_assert_max_num_queries):
    vip = Tag.objects.create(name="VIP")
    for n in range(20):
        register(name=f"会员{n}", phone=f"1380013{n:04d}").tags.add(vip)

    with django_assert_max_num_queries(12):
        response = api.get(MEMBERS, {"limit": 200})

    items = response.json()["items"]
    assert len(items) == 20
    assert all(
        item["tags"] == ["VIP"] and item["card"]["card_type_code"] == "STD" for item in items
    )


def test_lookup_gives_balances_tier_and_the_better_discount(
    api, register, stored_value_card_type, bonus_rules, tiers, earn
):
    """Points, principal and bonus as the ledgers hold them; the tier the member earned; the
    better of the card type's (1000) and the tier's (银卡 950) discount."""
    from huiyuan.core.actors import Actor
    from huiyuan.wallet.services import top_up

    member = register(card_type=stored_value_card_type, card_medium="ic")
    earn(member, 320)
    top_up(actor=Actor.system(), member=member, amount_fen=50_000, payment_method="cash")

    body = api.get(f"{MEMBERS}/lookup", {"q": member.phone}).json()

    assert body["tier"] == "银卡"
    assert body["discount_permille"] == 950
    assert body["balances"] == {
        "points": 320,
        "stored_value_fen": 55_000,
        "principal_fen": 50_000,
        "bonus_fen": 5_000,
    }


def test_search_by_tier(api, register, tiers, earn):
    silver, plain = register(), register(name="李四", phone="13900139000")
    earn(silver, 300)

    def found(tier):
        items = api.get(MEMBERS, {"tier": tier}).json()["items"]
        return {item["member_no"] for item in items}

    assert found("银卡") == {silver.member_no}
    assert found("普通") == {plain.member_no}
    assert found("钻石") == set()
    assert found("没有这个等级") == set()
