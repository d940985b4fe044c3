"""Checking each row: the registration rules and what the file itself gets wrong."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.cards.models import CardType
from huiyuan.core import pii
from huiyuan.core.errors import DomainError
from huiyuan.members import validation
from huiyuan.members.imports.files import DATE_FORMATS, GENDERS, ID_TYPES, MAX_LENGTH, _text
from huiyuan.members.models import Member


@dataclass(slots=True)
class GoodRow:
    row: int
    name: str
    phone: str
    gender: str
    birthday: datetime.date | None
    id_type: str
    id_number: str
    email: str
    address: str
    card_type: CardType | None
    notes: str


@dataclass
class Report:
    total: int = 0
    good: int = 0
    created: int = 0
    errors: list = field(default_factory=list)  # [{"row", "name", "reasons": [...]}]


# --- Checking ----------------------------------------------------------------------------------


class RowChecker:
    """The registration rules for one file's rows, and what the file itself gets wrong."""

    def __init__(self):
        self.today = timezone.localdate()
        self.card_types = {t.code.upper(): t for t in CardType.objects.filter(is_active=True)}
        self.phones: dict[str, int] = {}  # first row of each phone in the file
        self.id_hashes: dict[str, int] = {}

    def check(self, number: int, values: dict) -> tuple[GoodRow | None, list[str], str]:
        """(the row ready to insert, or None; the reasons it is refused; its ID number's HMAC)."""
        reasons = []
        name = _text(values.get("name"))
        if not name:
            reasons.append(_("姓名为空"))
        elif len(name) > MAX_LENGTH["name"]:
            reasons.append(_("姓名超过 50 字"))
        phone = ""
        try:
            phone = validation.normalize_phone(_text(values.get("phone")))
        except DomainError:
            reasons.append(_("手机号无效"))
        gender_text = _text(values.get("gender")).upper()
        gender = GENDERS.get(gender_text, "")
        if gender_text and not gender:
            reasons.append(_("性别无效（应为 男 或 女）"))
        birthday = None
        try:
            birthday = _date(values.get("birthday"))
        except ValueError:
            reasons.append(_("生日格式不正确"))
        if birthday and birthday > self.today:
            reasons.append(_("生日晚于今天"))
        elif birthday and birthday.year < 1900:
            reasons.append(_("生日不正确"))
        id_type, id_number, id_hash = "", "", ""
        raw_id = _text(values.get("id_number"))
        type_text = _text(values.get("id_type"))
        if raw_id or type_text:
            id_type = ID_TYPES.get(type_text, "") if type_text else validation.RESIDENT_ID
            if not id_type:
                reasons.append(_("证件类型无效"))
            elif not raw_id:
                reasons.append(_("填写了证件类型但缺少证件号码"))
            else:
                try:
                    id_number = validation.normalize_id_number(id_type, raw_id)
                    id_hash = pii.lookup_hash(id_number)
                except DomainError:
                    reasons.append(
                        _("身份证号校验不通过")
                        if id_type == validation.RESIDENT_ID
                        else _("证件号码格式不正确")
                    )
        email = _text(values.get("email"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                reasons.append(_("邮箱格式不正确"))
        address, notes = _text(values.get("address")), _text(values.get("notes"))
        if len(address) > MAX_LENGTH["address"]:
            reasons.append(_("地址超过 200 字"))
        if len(notes) > MAX_LENGTH["notes"]:
            reasons.append(_("备注超过 2000 字"))
        card_type = None
        code = _text(values.get("card_type")).upper()
        if code:
            card_type = self.card_types.get(code)
            if card_type is None:
                reasons.append(_("卡类型“%(code)s”不存在或已停用") % {"code": code})
        # Duplicates within the file: the first occurrence stands, later ones are refused.
        if phone:
            first = self.phones.setdefault(phone, number)
            if first != number:
                reasons.append(_("手机号文件内重复（同第 %(row)s 行）") % {"row": first})
        if id_hash:
            first = self.id_hashes.setdefault(id_hash, number)
            if first != number:
                reasons.append(_("证件号码文件内重复（同第 %(row)s 行）") % {"row": first})
        if reasons:
            return None, reasons, id_hash
        good = GoodRow(
            number, name, phone, gender, birthday, id_type, id_number, email, address,
            card_type, notes,
        )  # fmt: skip
        return good, [], id_hash


def _date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _refuse_existing(batch: list[tuple[GoodRow, str]], report: Report) -> list[GoodRow]:
    """Rows whose phone or ID an active member already holds are reported, the rest returned."""
    phones = dict(
        Member.objects.filter(
            status=Member.Status.ACTIVE, phone__in=[row.phone for row, _h in batch]
        ).values_list("phone", "member_no")
    )
    hashes = dict(
        Member.objects.filter(
            status=Member.Status.ACTIVE, id_number_hash__in=[h for _r, h in batch if h]
        ).values_list("id_number_hash", "member_no")
    )
    kept = []
    for row, id_hash in batch:
        reasons = []
        if row.phone in phones:
            reasons.append(_("已是会员：手机号已登记（会员号 %(no)s）") % {"no": phones[row.phone]})
        if id_hash and id_hash in hashes:
            reasons.append(
                _("已是会员：该证件已办理会员卡（会员号 %(no)s）") % {"no": hashes[id_hash]}
            )
        if reasons:
            _add_error(report, row.row, row.name, reasons)
        else:
            kept.append(row)
    return kept


def _add_error(report: Report, row: int, name: str, reasons: list[str]) -> None:
    report.errors.append({"row": row, "name": name[:50], "reasons": reasons})
