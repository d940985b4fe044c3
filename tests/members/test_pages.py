"""Member pages through Django's test client: permissions, Chinese errors next to the field,
nothing written on refusal, and query counts that don't grow with the rows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from huiyuan.cards.models import Card
from huiyuan.core.actors import Actor
from huiyuan.core.models import AuditEvent
from huiyuan.members.models import Member, Tag
from huiyuan.members.services import update_member
from tests.conftest import RESIDENT_IDS

pytestmark = pytest.mark.django_db


def form_data(**more):
    data = {
        "phone": "13800138000",
        "name": "张三",
        "gender": "M",
        "birthday": "1990-03-07",
        "id_type": "resident_id",
        "id_number": RESIDENT_IDS[1],
        "card_type": "1",
        "card_medium": "e_card",
        "consent_sms": "on",
    }
    data.update(more)
    return data


@pytest.fixture
def desk(client, make_operator):
    client.force_login(make_operator("member_service"))
    return client


@pytest.fixture
def data(card_type):
    return form_data(card_type=str(card_type.pk))


def test_member_pages_need_a_login(client):
    for url in (reverse("members:search"), reverse("members:register")):
        page = client.get(url)
        assert page.status_code == 302
        assert page["Location"].startswith(reverse("staff:login"))


def test_a_cashier_may_search_but_not_register(client, make_operator, data):
    client.force_login(make_operator("cashier"))
    assert client.get(reverse("members:search")).status_code == 200
    assert client.get(reverse("members:register")).status_code == 403
    page = client.post(reverse("members:register"), data)
    assert page.status_code == 403
    assert "无权访问" in page.text
    assert not Member.objects.exists()


def test_navigation_shows_the_member_pages_by_permission(client, make_operator):
    client.force_login(make_operator("cashier"))
    text = client.get(reverse("core:dashboard")).text
    assert "会员查询" in text
    assert "会员登记" not in text
    client.force_login(make_operator("member_service"))
    text = client.get(reverse("core:dashboard")).text
    assert "会员查询" in text
    assert "会员登记" in text


def test_register_page_has_the_fields_in_keyboard_order_and_phone_first(desk):
    page = desk.get(reverse("members:register"))
    assert page.status_code == 200
    names = list(page.context["form"].fields)
    assert names[:8] == [
        "phone",
        "name",
        "gender",
        "birthday",
        "id_type",
        "id_number",
        "card_type",
        "card_medium",
    ]
    html = page.text
    assert "autofocus" in html.split('name="phone"')[1].split(">")[0]
    assert reverse("members:check_phone") in html


def test_register_creates_the_member_and_card_at_the_operators_store(desk, data, store):
    page = desk.post(reverse("members:register"), data)
    member = Member.objects.get()
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("members:detail", args=[member.member_no]))
    assert member.store == store
    assert member.channel == "counter"
    assert member.registered_by is not None
    card = member.cards.get()
    assert card.status == "active"
    assert card.medium == "e_card"
    detail = desk.get(page["Location"])
    assert "登记成功" in detail.text
    assert card.number in detail.text
    assert "打印欢迎单" in detail.text


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"phone": "12345678901"}, "手机号码无效", "phone"),
        ({"id_number": "110101199003074478"}, "证件号码无效", "id_number"),
        ({"birthday": "2999-01-01"}, "生日不能晚于今天", "birthday"),
        ({"name": ""}, "这个字段是必填项。", "name"),
        ({"card_medium": "rfid"}, "该卡类型不支持此介质", None),
    ],
)
def test_register_refusals_are_chinese_and_write_nothing(desk, data, changes, message, field):
    page = desk.post(reverse("members:register"), {**data, **changes})
    assert page.status_code == 200
    assert message in page.text
    if field:
        assert message in " ".join(page.context["form"].errors[field])
    assert not Member.objects.exists()
    assert not Card.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="member.").exists()


def test_duplicate_phone_and_id_link_to_the_member_holding_them(desk, data, register):
    holder = register(phone="13800138000", id_type="resident_id", id_number=RESIDENT_IDS[1])
    link = reverse("members:detail", args=[holder.member_no])

    page = desk.post(reverse("members:register"), {**data, "id_number": ""})
    assert "该手机号已注册会员" in page.text
    assert link in page.text

    page = desk.post(reverse("members:register"), {**data, "phone": "13900139000"})
    assert "该证件已办理会员卡（一证一卡）" in page.text
    assert link in page.text
    assert Member.objects.count() == 1


def test_phone_check_as_you_type(desk, register):
    holder = register(phone="13800138000")
    url = reverse("members:check_phone")
    assert desk.get(url, {"phone": "1380"}).text.strip() == ""
    assert "手机号码无效" in desk.get(url, {"phone": "12345678901"}).text
    taken = desk.get(url, {"phone": "138 0013 8000"}).text
    assert "该手机号已是会员" in taken
    assert reverse("members:detail", args=[holder.member_no]) in taken
    assert "手机号可以登记" in desk.get(url, {"phone": "13900139000"}).text


def test_id_check_as_you_type(desk, register):
    holder = register(id_type="resident_id", id_number=RESIDENT_IDS[0])
    url = reverse("members:check_id")
    bad = desk.get(url, {"id_type": "resident_id", "id_number": "110101199003074478"}).text
    assert "证件号码校验不通过" in bad
    assert desk.get(url, {"id_type": "resident_id", "id_number": "1101"}).text.strip() == ""
    taken = desk.get(url, {"id_type": "resident_id", "id_number": RESIDENT_IDS[0].lower()}).text
    assert "该证件已办理会员卡" in taken
    assert holder.member_no in taken
    ok = desk.get(url, {"id_type": "resident_id", "id_number": RESIDENT_IDS[2]}).text
    assert "证件号码校验通过" in ok
    assert "证件号码校验不通过" in desk.get(url, {"id_type": "passport", "id_number": "a"}).text


def test_checks_need_the_register_permission(client, make_operator):
    client.force_login(make_operator("cashier"))
    assert client.get(reverse("members:check_phone"), {"phone": "13800138000"}).status_code == 403
    assert client.get(reverse("members:check_id")).status_code == 403


def test_search_by_phone_card_member_no_pinyin_and_id(desk, register):
    zhang = register(id_type="resident_id", id_number=RESIDENT_IDS[0])
    register(name="李四", phone="13900139000")
    card = zhang.cards.get()
    for q in ("13800138000", card.number, zhang.member_no, "zs", "zhang", "张", RESIDENT_IDS[0]):
        page = desk.get(reverse("members:search"), {"q": q})
        assert [m.pk for m in page.context["page"]] == [zhang.pk], q
    page = desk.get(reverse("members:search"), {"q": ""})
    assert len(page.context["page"]) == 2


def test_search_filters_status_store_tag_and_dates(desk, register, other_store, admin):
    zhang = register()
    li = register(name="李四", phone="13900139000")
    tag = Tag.objects.create(name="VIP")
    update_member(actor=Actor(operator=admin), member=li, tags=[tag])
    url = reverse("members:search")
    assert [m.pk for m in desk.get(url, {"tag": tag.pk}).context["page"]] == [li.pk]
    assert list(desk.get(url, {"store": other_store.pk}).context["page"]) == []
    assert len(desk.get(url, {"status": "active"}).context["page"]) == 2
    assert list(desk.get(url, {"status": "cancelled"}).context["page"]) == []
    today = timezone.localdate(zhang.created_at).isoformat()
    assert len(desk.get(url, {"date_from": today, "date_to": today}).context["page"]) == 2
    assert list(desk.get(url, {"date_from": "2099-01-01"}).context["page"]) == []
    assert desk.get(url, {"date_from": "nonsense", "page": "x"}).status_code == 200


def test_search_shows_the_id_masked_unless_the_role_may_see_it(client, make_operator, register):
    register(id_type="resident_id", id_number=RESIDENT_IDS[0])
    client.force_login(make_operator("cashier"))
    text = client.get(reverse("members:search"), {"q": "zs"}).text
    assert RESIDENT_IDS[0] not in text
    assert "1101**********002X" in text
    client.force_login(make_operator("member_service"))
    assert RESIDENT_IDS[0] in client.get(reverse("members:search"), {"q": "zs"}).text


def test_search_query_count_does_not_grow_with_rows(desk, register, django_assert_max_num_queries):
    for n in range(30):
        register(name=f"王{n}", phone=f"1390000{n:04d}")
    # A fixed number of queries (session, user, stores, tags, tiers, the page), whatever the rows.
    with django_assert_max_num_queries(13):
        page = desk.get(reverse("members:search"), {"q": ""})
    assert len(page.context["page"]) == 30


def test_lookup_box_refuses_a_lost_card(desk, register, admin):
    from huiyuan.cards.services import report_card_loss

    member = register()
    card = member.cards.get()
    url = reverse("members:search")
    page = desk.get(url, {"lookup": card.number})
    assert page.context["lookup"]["member"] == member
    report_card_loss(actor=Actor(operator=admin), card=card, reason="丢失")
    page = desk.get(url, {"lookup": card.number})
    assert "该卡已挂失" in page.text
    page = desk.get(url, {"lookup": "00000000"})
    assert "会员不存在" in page.text
    # The search still finds them by the lost number, with the status shown.
    page = desk.get(url, {"q": card.number})
    assert "已挂失" in page.text


def test_import_button_only_when_the_import_page_exists(desk):
    from django.urls import NoReverseMatch

    page = desk.get(reverse("members:search"))
    try:
        url = reverse("member_import:upload")
    except NoReverseMatch:
        assert page.context["import_url"] is None
    else:
        assert url in page.text


def test_detail_page_shows_profile_cards_and_history(desk, register, admin):
    member = register(id_type="resident_id", id_number=RESIDENT_IDS[0])
    page = desk.get(reverse("members:detail", args=[member.member_no]))
    assert page.status_code == 200
    assert RESIDENT_IDS[0] in page.text  # 会员专员 may see ID numbers
    assert member.cards.get().number in page.text
    assert "会员登记" in page.text
    assert "发卡" in page.text


def test_detail_page_masks_the_id_for_a_cashier(client, make_operator, register):
    member = register(id_type="resident_id", id_number=RESIDENT_IDS[0])
    client.force_login(make_operator("cashier"))
    page = client.get(reverse("members:detail", args=[member.member_no]))
    assert page.status_code == 200
    assert RESIDENT_IDS[0] not in page.text
    assert "1101**********002X" in page.text
    # No edit, no card buttons, no cancel for a role that may only look.
    assert page.context["edit_form"] is None
    assert page.context["cancel_form"] is None
    assert "确认挂失" not in page.text


def test_detail_of_unknown_member_is_404(desk):
    assert desk.get(reverse("members:detail", args=["999"])).status_code == 404


def test_detail_query_count_does_not_grow_with_history(
    desk, register, admin, django_assert_max_num_queries
):
    member = register()
    for n in range(20):
        update_member(actor=Actor(operator=admin), member=member, notes=f"第{n}次")
    with django_assert_max_num_queries(15):
        desk.get(reverse("members:detail", args=[member.member_no]))


def test_edit_profile_is_audited(desk, register):
    member = register()
    url = reverse("members:edit", args=[member.member_no])
    page = desk.post(url, {"name": "张三丰", "phone": "13800138000"})
    assert page.status_code == 302
    member.refresh_from_db()
    assert (member.name, member.name_initials) == ("张三丰", "zsf")
    event = AuditEvent.objects.get(action="member.update")
    assert event.before == {"name": "张三"}
    assert event.after == {"name": "张三丰"}


def test_edit_refusal_shows_next_to_the_field_and_writes_nothing(desk, register):
    member = register()
    other = register(name="李四", phone="13900139000")
    url = reverse("members:edit", args=[member.member_no])
    page = desk.post(url, {"name": "张三", "phone": "13900139000"})
    assert page.status_code == 200
    assert "该手机号已注册会员" in " ".join(page.context["edit_form"].errors["phone"])
    assert reverse("members:detail", args=[other.member_no]) in page.text
    member.refresh_from_db()
    assert member.phone == "13800138000"
    assert not AuditEvent.objects.filter(action="member.update").exists()


def test_edit_needs_change_permission(client, make_operator, register):
    member = register()
    client.force_login(make_operator("cashier"))
    page = client.post(
        reverse("members:edit", args=[member.member_no]), {"name": "X", "phone": "13800138000"}
    )
    assert page.status_code == 403
    member.refresh_from_db()
    assert member.name == "张三"


def test_cancel_member_needs_a_reason_then_cancels_the_card(desk, register):
    member = register()
    url = reverse("members:cancel", args=[member.member_no])
    page = desk.post(url, {"reason": ""})
    assert page.status_code == 200
    assert "这个字段是必填项。" in page.text
    member.refresh_from_db()
    assert member.status == "active"
    page = desk.post(url, {"reason": "本人申请"})
    assert page.status_code == 302
    member.refresh_from_db()
    assert member.status == "cancelled"
    assert member.cards.get().status == "cancelled"
    page = desk.get(reverse("members:detail", args=[member.member_no]))
    assert "本人申请" in page.text
    assert page.context["cancel_form"] is None


def test_welcome_slip_prints_member_card_and_barcode(desk, register):
    member = register()
    card = member.cards.get()
    page = desk.get(reverse("members:welcome_slip", args=[member.member_no]))
    assert page.status_code == 200
    assert member.member_no in page.text
    assert card.number in page.text
    assert "张三" in page.text
    assert "data:image/svg+xml;base64," in page.text


def test_member_pages_never_show_the_id_in_clear_to_roles_without_the_permission(
    client, make_operator, register
):
    member = register(id_type="resident_id", id_number=RESIDENT_IDS[0])
    client.force_login(make_operator("store_manager"))
    for url in (
        reverse("members:search") + "?q=zs",
        reverse("members:detail", args=[member.member_no]),
        reverse("members:welcome_slip", args=[member.member_no]),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert RESIDENT_IDS[0] not in page.text, url
        assert RESIDENT_IDS[0][6:14] not in page.text, url


def test_navigation_marks_only_the_page_being_shown(desk):
    def active(url):
        sections = desk.get(url).context["navigation"]
        return [i["label"] for s in sections for i in s["items"] if i["active"]]

    assert active(reverse("members:register")) == ["会员登记"]
    assert active(reverse("members:search")) == ["会员查询"]


def test_member_pages_in_english(desk, register, settings):
    member = register()
    desk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = desk.get(reverse("members:register"))
    assert "<title>Register member" in page.text
    assert "Register and issue card" in page.text
    page = desk.get(reverse("members:detail", args=[member.member_no]))
    assert "Print welcome slip" in page.text
    assert "Report loss" in page.text
    page = desk.get(reverse("members:check_phone"), {"phone": "13800138000"})
    assert "This phone number already belongs to a member" in page.text


def test_a_member_with_several_cards_is_listed_once(desk, register):
    from huiyuan.cards.services import replace_card

    member = register()
    old = member.cards.get()
    new = replace_card(actor=Actor.system(), card=old)
    for q in ("zs", "张三", old.number, new.number, ""):
        page = desk.get(reverse("members:search"), {"q": q})
        assert [m.pk for m in page.context["page"]] == [member.pk], q


JUNK = ("\x00", "x" * 5000, "１３８００１３８０００", "' OR 1=1 --", "\u202e", "<script>")


@pytest.mark.parametrize("junk", JUNK)
def test_junk_input_never_breaks_a_member_page(desk, register, data, junk):
    member = register()
    card = member.cards.get()
    gets = [
        (reverse("members:search"), {"q": junk, "status": junk, "store": junk, "tag": junk}),
        (reverse("members:search"), {"lookup": junk, "date_from": junk}),
        (reverse("members:check_phone"), {"phone": junk}),
        (reverse("members:check_id"), {"id_type": "resident_id", "id_number": junk}),
        (reverse("members:check_id"), {"id_type": junk, "id_number": junk}),
    ]
    for url, params in gets:
        assert desk.get(url, params).status_code == 200, (url, params)
    posts = [
        (reverse("members:register"), {**data, "phone": junk, "name": junk}),
        (reverse("members:register"), {**data, "id_type": junk, "birthday": junk}),
        (reverse("members:edit", args=[member.member_no]), {"name": junk, "phone": junk}),
        (reverse("cards:action", args=[card.number, "replace"]), {"medium": junk, "fee": junk}),
        (reverse("cards:action", args=[card.number, "freeze"]), {"reason": junk}),
    ]
    for url, body in posts:
        assert desk.post(url, body).status_code in (200, 302), (url, body)
    assert Member.objects.count() == 1
    card.refresh_from_db()
    assert card.status in (Card.Status.ACTIVE, Card.Status.FROZEN)  # a reason may be any text


def test_search_filters_by_tier(desk, register, tiers, earn):
    silver = register()
    register(name="李四", phone="13900139000")
    earn(silver, 300)

    page = desk.get(reverse("members:search"), {"tier": tiers["银卡"].pk})

    assert [member.member_no for member in page.context["page"]] == [silver.member_no]


def test_member_page_jump_links_lead_to_its_sections(admin_client, register):
    """Each jump link names a section on the page (the panels' placeholders carry the ids their
    loaded panels keep), and only the sections the operator may see are linked."""
    import re

    member = register()
    html = admin_client.get(reverse("members:detail", args=[member.member_no])).content.decode()
    start = html.index('data-testid="member-sections"')
    nav = html[start : html.index("</nav>", start)]
    targets = re.findall(r'href="#([\w-]+)"', nav)
    assert targets == [
        "profile",
        "cards",
        "points-panel",
        "wallet",
        "tier-panel",
        "coupons-panel",
        "orders-panel",
        "history",
    ]
    for target in targets:
        assert f'id="{target}"' in html
