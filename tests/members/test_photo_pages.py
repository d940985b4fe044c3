"""Member photo pages: uploaded on the member page, streamed only to operators who may see the
member's photo (view permission, the member's store), never cached publicly."""

import pytest
from django.urls import reverse

from huiyuan.core.actors import Actor
from huiyuan.members import photos
from huiyuan.members.models import Member
from huiyuan.staff import services as staff_services
from tests.factories import TEST_PASSWORD
from tests.members import photo_files
from tests.members.test_pages import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


@pytest.fixture
def member(register):
    member = register()
    return photos.set_photo(actor=Actor.system(), member=member, upload=photo_files.jpeg())


def urls(member):
    no = member.member_no
    return reverse("members:photo", args=[no]), reverse("members:photo_thumb", args=[no])


def test_the_photo_is_streamed_privately_to_an_operator_of_the_members_store(
    client, make_operator, member
):
    client.force_login(make_operator("cashier"))
    for url in urls(member):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, max-age=3600"
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


def test_anonymous_visitors_go_to_the_login_page(client, member):
    for url in urls(member):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("staff:login"))


def test_another_stores_operator_gets_not_found(client, make_operator, member, other_store):
    client.force_login(make_operator("member_service", stores=[other_store]))
    for url in urls(member):
        assert client.get(url).status_code == 404
    upload = reverse("members:photo_upload", args=[member.member_no])
    assert client.post(upload, {"photo": photo_files.jpeg()}).status_code == 404
    remove = reverse("members:photo_remove", args=[member.member_no])
    assert client.post(remove).status_code == 404
    page = client.get(reverse("members:detail", args=[member.member_no]))
    assert 'data-testid="photo-thumb"' not in page.text
    assert "照片仅注册门店可见" in page.text


def test_an_administrator_sees_every_stores_photos(client, make_operator, member, other_store):
    client.force_login(make_operator("admin", stores=[other_store]))
    assert client.get(urls(member)[1]).status_code == 200


def test_an_operator_without_the_view_permission_is_refused(client, store, member):
    role = staff_services.create_role(actor=Actor.system(), name="仓管", permissions=[])
    operator = staff_services.create_operator(
        actor=Actor.system(),
        username="keeper",
        password=TEST_PASSWORD,
        stores=[store],
        roles=[role],
    )
    client.force_login(operator)
    for url in urls(member):
        assert client.get(url).status_code == 403


def test_a_cashier_may_see_but_not_change_the_photo(client, make_operator, member):
    client.force_login(make_operator("cashier"))
    upload = reverse("members:photo_upload", args=[member.member_no])
    assert client.post(upload, {"photo": photo_files.jpeg()}).status_code == 403
    page = client.get(reverse("members:detail", args=[member.member_no]))
    assert 'data-testid="photo-thumb"' in page.text
    assert 'data-testid="photo-form"' not in page.text


def test_no_photo_is_not_found(client, make_operator, register):
    client.force_login(make_operator("cashier"))
    assert client.get(urls(register(phone="13900139000"))[0]).status_code == 404


def test_upload_on_the_member_page(client, make_operator, register):
    client.force_login(make_operator("member_service"))
    member = register()
    url = reverse("members:photo_upload", args=[member.member_no])
    response = client.post(url, {"photo": photo_files.png()}, follow=True)
    assert "会员照片已更新" in response.text
    member.refresh_from_db()
    assert member.photo
    assert f"?v={member.photo}" in response.text


def test_a_bad_upload_shows_the_reason_next_to_the_field(client, make_operator, register):
    client.force_login(make_operator("member_service"))
    member = register()
    url = reverse("members:photo_upload", args=[member.member_no])
    response = client.post(url, {"photo": photo_files.gif()})
    assert response.status_code == 422
    assert "不是有效的图片文件（支持 JPEG、PNG、WebP）" in response.text
    response = client.post(url, {})
    assert response.status_code == 422
    assert "这个字段是必填项" in response.text or "必填" in response.text
    member.refresh_from_db()
    assert member.photo == ""


def test_search_results_show_the_thumbnail_where_it_may_be_seen(
    client, make_operator, member, other_store
):
    client.force_login(make_operator("cashier"))
    page = client.get(reverse("members:search"), {"q": member.phone})
    assert 'data-testid="search-thumb"' in page.text
    client.force_login(make_operator("cashier", stores=[other_store]))
    page = client.get(reverse("members:search"), {"q": member.phone})
    assert member.member_no in page.text
    assert 'data-testid="search-thumb"' not in page.text


def test_a_photo_can_come_with_the_counter_registration(client, make_operator, card_type):
    client.force_login(make_operator("member_service"))
    data = form_data(card_type=str(card_type.pk))
    page = client.post(reverse("members:register"), {**data, "photo": photo_files.gif()})
    assert page.status_code == 200
    assert page.context["form"].errors["photo"] == ["不是有效的图片文件（支持 JPEG、PNG、WebP）"]
    assert not Member.objects.exists()
    page = client.post(reverse("members:register"), {**data, "photo": photo_files.webp()})
    assert page.status_code == 302
    member = Member.objects.get()
    assert member.photo
    assert client.get(urls(member)[1]).status_code == 200


def test_the_identify_box_shows_the_photo_to_check_the_customer_against(
    client, make_operator, member, other_store
):
    client.force_login(make_operator("cashier"))
    page = client.get(reverse("members:search"), {"lookup": member.phone})
    assert 'data-testid="lookup-thumb"' in page.text
    client.force_login(make_operator("cashier", stores=[other_store]))
    page = client.get(reverse("members:search"), {"lookup": member.phone})
    assert member.member_no in page.text
    assert 'data-testid="lookup-thumb"' not in page.text
