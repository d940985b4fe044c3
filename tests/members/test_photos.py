"""Member photos (members.photos): only real images, re-encoded without EXIF, bounded in size,
replaced and removed with an audit of file names and the old files gone after commit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent
from huiyuan.members import photos
from tests.members import photo_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

NOT_AN_IMAGE = "不是有效的图片文件（支持 JPEG、PNG、WebP）"
TOO_MANY_PIXELS = "图片像素过多（上限 5000 万像素）"


def stored(member, *, thumb=False) -> Image.Image:
    with photos.storage().open(photos.file_path(member.photo, thumb=thumb)) as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
        return image


def refusal(upload) -> str:
    with pytest.raises(DomainError) as refused:
        photos.prepare(upload)
    assert refused.value.code == "VALIDATION_ERROR"
    return refused.value.fields["photo"]


def test_a_photo_is_turned_upright_resized_with_a_thumbnail_and_loses_its_exif(register):
    member = register()
    upload = photo_files.jpeg((2000, 1000), orientation=photo_files.ROTATED_90)
    member = photos.set_photo(actor=Actor.system(), member=member, upload=upload)
    photo, thumb = stored(member), stored(member, thumb=True)
    assert photo.format == thumb.format == "JPEG"
    assert photo.size == (400, 800)  # upright (portrait), longest side 800
    assert thumb.size == (80, 160)
    assert not photo.getexif()  # no orientation, no camera maker
    assert not thumb.getexif()
    assert len(member.photo) == len("0123456789abcdef0123456789abcdef.jpg")  # not the upload's


@pytest.mark.parametrize(
    ("upload", "size"),
    [(photo_files.png((300, 200)), (300, 200)), (photo_files.webp((1200, 900)), (800, 600))],
)
def test_png_and_webp_become_jpeg_never_enlarged(register, upload, size):
    member = photos.set_photo(actor=Actor.system(), member=register(), upload=upload)
    photo = stored(member)
    assert (photo.format, photo.size) == ("JPEG", size)


def test_a_transparent_background_becomes_white():
    photo, _thumb = photos.prepare(photo_files.png((20, 20), mode="RGBA"))
    assert Image.open(io.BytesIO(photo)).getpixel((10, 10)) >= (250, 250, 250)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("photo.jpg", "这不是图片".encode() * 10), NOT_AN_IMAGE),
        (photo_files.gif(), NOT_AN_IMAGE),
        (SimpleUploadedFile("photo.jpg", photo_files.jpeg().read()[:300]), NOT_AN_IMAGE),
        (photo_files.bomb_png(), TOO_MANY_PIXELS),  # Pillow's own bomb guard
        (photo_files.bomb_png(8000, 8000), TOO_MANY_PIXELS),  # over our 50-megapixel limit
        (
            SimpleUploadedFile("big.jpg", b"\xff" * (5 * 1024 * 1024 + 1)),
            "照片文件过大（上限 5 MB）",
        ),
    ],
    ids=["text", "gif", "truncated", "bomb", "too-many-pixels", "too-big"],
)
def test_what_is_not_a_usable_image_is_refused_in_chinese(upload, message):
    assert refusal(upload) == message


def test_a_refused_upload_writes_nothing(register, private_media):
    member = register()
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError):
        photos.set_photo(actor=Actor.system(), member=member, upload=photo_files.gif())
    member.refresh_from_db()
    assert member.photo == ""
    assert AuditEvent.objects.count() == before
    assert not private_media.exists() or not any(private_media.rglob("*.jpg"))


def test_replacing_audits_file_names_and_deletes_the_old_files_after_commit(
    register, private_media, django_capture_on_commit_callbacks
):
    member = register()
    with django_capture_on_commit_callbacks(execute=True):
        first = photos.set_photo(actor=Actor.system(), member=member, upload=photo_files.jpeg())
    old = first.photo
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = photos.set_photo(actor=Actor.system(), member=member, upload=photo_files.webp())
        assert photos.storage().exists(photos.file_path(old))  # still there until commit
    assert len(callbacks) == 1
    files = sorted(path.name for path in private_media.rglob("*.jpg"))
    assert files == sorted([second.photo, photos.thumb_name(second.photo)])
    event = AuditEvent.objects.filter(action="member.update").latest("id")
    assert event.before == {"photo": old}
    assert event.after == {"photo": second.photo}


def test_removing_the_photo(register, private_media, django_capture_on_commit_callbacks):
    member = register()
    member = photos.set_photo(actor=Actor.system(), member=member, upload=photo_files.jpeg())
    name = member.photo
    with django_capture_on_commit_callbacks(execute=True):
        member = photos.remove_photo(actor=Actor.system(), member=member)
    assert member.photo == ""
    assert not any(private_media.rglob("*.jpg"))
    event = AuditEvent.objects.filter(action="member.update").latest("id")
    assert (event.before, event.after) == ({"photo": name}, {"photo": None})
    with pytest.raises(DomainError) as refused:
        photos.remove_photo(actor=Actor.system(), member=member)
    assert refused.value.fields["photo"] == "该会员没有照片"


def test_a_cancelled_member_gets_no_photo(register):
    from huiyuan.members.services import cancel_member

    member = cancel_member(actor=Actor.system(), member=register(), reason="搬家")
    with pytest.raises(DomainError) as refused:
        photos.set_photo(actor=Actor.system(), member=member, upload=photo_files.jpeg())
    assert refused.value.code == "MEMBER_CANCELLED"
