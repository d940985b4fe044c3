"""The 合并重复会员 page: find the other record, confirm side by side, merge with a reason."""

import pytest
from django.urls import reverse

from huiyuan.core.actors import Actor
from huiyuan.core.models import AuditEvent
from huiyuan.members.models import Member
from huiyuan.points.selectors import points_balance

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, make_operator):
    client.force_login(make_operator("member_service"))
    return client


@pytest.fixture
def pair(register, earn):
    kept = register(name="张三", phone="13800138000")
    absorbed = register(name="张三", phone="13900139000")
    earn(absorbed, 120)
    return kept, absorbed


def url(member):
    return reverse("members:merge", args=[member.member_no])


@pytest.mark.parametrize("role", ["admin", "store_manager", "member_service"])
def test_the_desk_roles_may_merge(client, make_operator, pair, role):
    client.force_login(make_operator(role))
    page = client.get(reverse("members:detail", args=[pair[0].member_no]))
    assert 'data-testid="merge-action"' in page.content.decode()
    assert client.get(url(pair[0])).status_code == 200


@pytest.mark.parametrize("role", ["cashier", "marketing", "finance"])
def test_other_roles_may_not(client, make_operator, pair, role):
    client.force_login(make_operator(role))
    page = client.get(reverse("members:detail", args=[pair[0].member_no]))
    assert 'data-testid="merge-action"' not in page.content.decode()
    assert client.get(url(pair[0])).status_code == 403
    assert (
        client.post(url(pair[0]), {"absorbed": pair[1].member_no, "reason": "x"}).status_code == 403
    )


def test_the_confirmation_shows_both_members_and_what_moves(desk, pair):
    kept, absorbed = pair
    card = absorbed.cards.get()
    page = desk.get(url(kept), {"other": absorbed.phone})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="merge-form"' in html
    assert "积分 120" in html
    assert f"卡 {card.number} 将注销" in html
    assert AuditEvent.objects.filter(action="member.merge").count() == 0


@pytest.mark.parametrize(
    ("other", "message"),
    [
        ("99999999", "没有找到该会员"),
        ("13800138000", "不能把会员与自己合并"),
    ],
)
def test_a_wrong_other_member_is_refused_on_the_field(desk, pair, other, message):
    page = desk.get(url(pair[0]), {"other": other})
    assert message in page.content.decode()
    assert 'data-testid="merge-form"' not in page.content.decode()


def test_the_merge_moves_everything_and_the_old_number_points_to_the_kept_member(desk, pair):
    kept, absorbed = pair
    answer = desk.post(url(kept), {"absorbed": absorbed.member_no, "reason": "同一人重复登记"})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("members:detail", args=[kept.member_no])
    assert points_balance(kept) == 120
    absorbed.refresh_from_db()
    assert absorbed.status == Member.Status.MERGED

    old = desk.get(reverse("members:detail", args=[absorbed.member_no])).content.decode()
    assert 'data-testid="merged-notice"' in old
    assert reverse("members:detail", args=[kept.member_no]) in old
    assert 'data-testid="merge-action"' not in old
    lookup = desk.get(reverse("members:search"), {"lookup": absorbed.member_no}).content.decode()
    found = lookup.split('data-testid="lookup-result"')[1]
    assert f"（{kept.member_no}）" in found
    again = desk.get(url(kept), {"other": absorbed.member_no}).content.decode()
    assert "已合并到其他会员" in again


def test_a_merge_without_a_reason_writes_nothing(desk, pair):
    kept, absorbed = pair
    page = desk.post(url(kept), {"absorbed": absorbed.member_no, "reason": " "})
    assert page.status_code == 200
    assert "这个字段是必填项" in page.content.decode()
    assert points_balance(absorbed) == 120
    assert not AuditEvent.objects.filter(action="member.merge").exists()


def test_a_cancelled_member_cannot_be_merged(desk, pair):
    from huiyuan.members.services import cancel_member

    kept, absorbed = pair
    cancel_member(actor=Actor.system(), member=absorbed, reason="本人申请")
    page = desk.post(url(kept), {"absorbed": absorbed.member_no, "reason": "重复"})
    assert "该会员已注销" in page.content.decode()
    assert points_balance(kept) == 0
