"""Member photos: set, replace and remove (audited), and who may see them.

An upload must be a real JPEG, PNG or WebP image. It is never stored as sent: it is decoded,
turned upright (EXIF orientation), re-encoded as JPEG without its EXIF (no GPS position, no
camera serial) and bounded to PHOTO_SIZE, with a THUMB_SIZE thumbnail. The files live under
PRIVATE_MEDIA_ROOT and leave only through the permission-checked `members:photo` view.
"""

import io
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from PIL import Image, ImageOps

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.members.models import Member
from huiyuan.staff.scope import sees_all_stores

MAX_BYTES = 5 * 1024 * 1024
# A 50-megapixel phone photo passes; a "decompression bomb" (a small file that decodes to
# gigabytes) is refused before its pixels are decoded.
MAX_PIXELS = 50_000_000
FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_SIZE = 800
THUMB_SIZE = 160
FOLDER = "member_photos"
NOT_AN_IMAGE = _lazy("不是有效的图片文件（支持 JPEG、PNG、WebP）")
TOO_MANY_PIXELS = _lazy("图片像素过多（上限 5000 万像素）")


def storage() -> FileSystemStorage:
    # No base_url: these files have no public address.
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def thumb_name(photo: str) -> str:
    return photo.replace(".jpg", "_thumb.jpg")


def file_path(photo: str, *, thumb: bool = False) -> str:
    return f"{FOLDER}/{thumb_name(photo) if thumb else photo}"


def may_see_photo(operator, member: Member) -> bool:
    """A face is sensitive personal data: shown to roles that may view members, and only for
    members registered in one of the operator's stores (chain-wide roles: all)."""
    if not operator.has_perm("members.view_member"):
        return False
    return sees_all_stores(operator) or operator.stores.filter(pk=member.store_id).exists()


def photo_stores(operator) -> set[int] | None:
    """The stores whose members' photos the operator may see (None: all), for lists."""
    if not operator.has_perm("members.view_member"):
        return set()
    if sees_all_stores(operator):
        return None
    return set(operator.stores.values_list("pk", flat=True))


def prepare(upload) -> tuple[bytes, bytes]:
    """(photo, thumbnail) as JPEG bytes, or VALIDATION_ERROR with a Chinese message on `photo`."""
    if upload.size > MAX_BYTES:
        raise _refused(_("照片文件过大（上限 5 MB）"))
    try:
        image = Image.open(upload)
        if image.format not in FORMATS:
            raise _refused(NOT_AN_IMAGE)
        if image.width * image.height > MAX_PIXELS:
            raise _refused(TOO_MANY_PIXELS)
        image.draft("RGB", (PHOTO_SIZE, PHOTO_SIZE))  # JPEG: decode at a reduced scale
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
        image = _flattened(image)
    except DomainError:
        raise
    except Image.DecompressionBombError:
        raise _refused(TOO_MANY_PIXELS) from None
    except Exception:  # a damaged or hostile file can fail in many ways inside a decoder
        raise _refused(NOT_AN_IMAGE) from None
    image.thumbnail((PHOTO_SIZE, PHOTO_SIZE), Image.Resampling.LANCZOS)
    return _jpeg(image, PHOTO_SIZE), _jpeg(image, THUMB_SIZE)


def set_photo(*, actor: Actor, member: Member, upload) -> Member:
    """Set or replace the photo. The image work happens before the transaction, so no lock is
    held while a large file is decoded."""
    return store_photo(actor=actor, member=member, images=prepare(upload))


def store_photo(*, actor: Actor, member: Member, images: tuple[bytes, bytes]) -> Member:
    """Store prepared images (`prepare`) as the member's photo; the old files go once the
    change is committed, the new ones if it fails."""
    name = f"{secrets.token_hex(16)}.jpg"
    files = storage()
    files.save(file_path(name), ContentFile(images[0]))
    files.save(file_path(name, thumb=True), ContentFile(images[1]))
    try:
        with transaction.atomic():
            return _change(actor, _locked(member), name)
    except BaseException:
        _delete_files(name)
        raise


@transaction.atomic
def remove_photo(*, actor: Actor, member: Member) -> Member:
    member = _locked(member)
    if not member.photo:
        raise _refused(_("该会员没有照片"))
    return _change(actor, member, "")


def _change(actor, member, name) -> Member:
    old = member.photo
    member.photo = name
    member.save(update_fields=["photo", "updated_at"])
    # File names only: the audit log never holds the image.
    audit.record(
        actor,
        "member.update",
        member,
        before={"photo": old or None},
        after={"photo": name or None},
        store=member.store,
    )
    if old:
        transaction.on_commit(lambda: _delete_files(old))
    return member


def _locked(member: Member) -> Member:
    member = Member.objects.select_for_update().select_related("store").get(pk=member.pk)
    member.check_active()
    return member


def _delete_files(name: str) -> None:
    files = storage()
    for path in (file_path(name), file_path(name, thumb=True)):
        files.delete(path)


def _flattened(image: Image.Image) -> Image.Image:
    """RGB; a transparent background (PNG, WebP) becomes white, not black."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image if image.mode == "RGBA" else image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image, size: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=85, optimize=True)  # no exif= argument: no EXIF written
    return out.getvalue()


def _refused(message: str) -> DomainError:
    return DomainError("VALIDATION_ERROR", fields={"photo": str(message)})
