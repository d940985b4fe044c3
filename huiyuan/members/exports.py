"""Member lists to xlsx: any list the search page can show, ID numbers masked unless the operator
may see them (members.view_id_number). Phones are shown as on the search page."""

import io

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from huiyuan.cards.models import Card

CHUNK = 2_000


def export_workbook(members, *, show_id_numbers: bool) -> bytes:
    """The members as one xlsx sheet (write-only, so memory stays flat for large lists)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("会员"))
    header = [
        _("会员号"), _("姓名"), _("手机号"), _("性别"), _("生日"), _("证件类型"), _("证件号码"),
        _("邮箱"), _("地址"), _("卡号"), _("卡类型"), _("卡状态"), _("注册门店"), _("注册渠道"),
        _("注册时间"), _("状态"), _("备注"),
    ]  # fmt: skip
    sheet.append(header)
    live = Card.objects.filter(status__in=Card.LIVE).select_related("card_type")
    members = members.prefetch_related(Prefetch("cards", queryset=live, to_attr="live_cards"))
    for member in members.iterator(chunk_size=CHUNK):
        card = member.live_cards[0] if member.live_cards else None
        birthday = WriteOnlyCell(sheet, member.birthday)
        birthday.number_format = "yyyy-mm-dd"
        sheet.append(
            [
                member.member_no,
                member.name,
                member.phone,
                member.get_gender_display(),
                birthday,
                member.get_id_type_display(),
                member.id_number if show_id_numbers else member.id_number_masked,
                member.email,
                member.address,
                card.number if card else "",
                card.card_type.name if card else "",
                card.get_status_display() if card else "",
                member.store.name,
                member.get_channel_display(),
                timezone.localtime(member.created_at).strftime("%Y-%m-%d %H:%M"),
                member.get_status_display(),
                member.notes,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
