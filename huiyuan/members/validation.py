"""Chinese specifics: mobile numbers (phonenumbers) and ID documents (python-stdnum `cn.ric`)."""

import re

import phonenumbers
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from huiyuan.core.errors import DomainError

RESIDENT_ID = "resident_id"
PASSPORT = "passport"
HK_MACAO_PERMIT = "hk_macao_permit"
TAIWAN_PERMIT = "taiwan_permit"

# Formats of the documents that have no checksum: letters/digits as printed on the card.
DOCUMENT_PATTERNS = {
    PASSPORT: re.compile(r"[A-Z0-9]{5,17}"),
    HK_MACAO_PERMIT: re.compile(r"[HM][0-9]{8,10}"),
    TAIWAN_PERMIT: re.compile(r"[0-9]{8}|T[0-9]{8}"),
}


def normalize_phone(raw: str) -> str:
    """A Chinese mainland mobile number as its 11 digits, or PHONE_INVALID."""
    text = re.sub(r"[\s-]", "", str(raw or ""))
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise DomainError("PHONE_INVALID", field="phone") from None
    mobile = phonenumbers.number_type(number) in {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
    if number.country_code != 86 or not phonenumbers.is_valid_number(number) or not mobile:
        raise DomainError("PHONE_INVALID", field="phone")
    return str(number.national_number)


def normalize_id_number(id_type: str, raw: str) -> str:
    """The document number in its canonical form, or ID_NUMBER_INVALID."""
    text = re.sub(r"\s", "", str(raw or "")).upper()
    if id_type == RESIDENT_ID:
        try:
            return ric.validate(text)
        except stdnum_errors.ValidationError:
            raise DomainError("ID_NUMBER_INVALID", field="id_number") from None
    pattern = DOCUMENT_PATTERNS.get(id_type)
    if pattern is None:
        raise DomainError("ID_NUMBER_INVALID", _("证件类型无效"), field="id_type")
    if not pattern.fullmatch(text):
        raise DomainError("ID_NUMBER_INVALID", field="id_number")
    return text
