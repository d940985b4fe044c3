"""Personal data at rest (DESIGN §6): encrypted with Fernet, looked up by HMAC, shown masked."""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet
from django.conf import settings


@cache
def _fernet() -> Fernet:
    return Fernet(settings.FIELD_ENCRYPTION_KEY.encode())


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def lookup_hash(text: str) -> str:
    """A keyed hash for exact lookup and uniqueness without storing the value in clear."""
    key = settings.LOOKUP_HMAC_KEY.encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def mask(text: str, keep_start: int = 4, keep_end: int = 4) -> str:
    """'110101199003071234' → '1101**********1234'; short values keep less."""
    if len(text) <= keep_start + keep_end:
        keep_start, keep_end = min(1, len(text)), min(1, max(len(text) - 1, 0))
    hidden = len(text) - keep_start - keep_end
    return text[:keep_start] + "*" * hidden + (text[-keep_end:] if keep_end else "")
