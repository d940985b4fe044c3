import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from huiyuan.core.errors import ERRORS, DomainError


def test_every_code_of_the_api_contract_is_registered():
    api_md = (Path(__file__).resolve().parents[3] / "shared" / "API.md").read_text()
    listed = api_md.split("## Error codes", 1)[1]
    codes = set(re.findall(r"`([A-Z][A-Z_]+)`", listed))
    assert codes, "API.md lists no codes"
    assert codes <= set(ERRORS), sorted(codes - set(ERRORS))


def test_every_code_has_a_chinese_and_an_english_message_and_an_error_status():
    for code, entry in ERRORS.items():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]+", code)
        assert re.search(r"[\u4e00-\u9fff]", entry.zh), code
        assert entry.en.isascii(), code
        assert entry.en, code
        assert 400 <= entry.status < 600, code


def test_message_follows_the_active_language():
    error = DomainError("CARD_LOST")
    with translation.override("zh-hans"):
        assert error.message == "该卡已挂失"
    with translation.override("en"):
        assert error.message == "This card has been reported lost"
    assert error.status == 409


def test_unregistered_codes_are_refused():
    with pytest.raises(ValueError, match="unregistered"):
        DomainError("NO_SUCH_CODE")


def test_field_names_the_input_at_fault():
    error = DomainError("STORE_CODE_EXISTS", field="code")
    assert error.as_dict() == {
        "error": {
            "code": "STORE_CODE_EXISTS",
            "message": "门店编码已存在",
            "fields": {"code": "门店编码已存在"},
        }
    }


def test_validation_errors_become_validation_error_with_fields():
    error = DomainError.from_validation(
        ValidationError({"name": ["不能为空"], "code": ["太长", "非法"]})
    )
    assert error.code == "VALIDATION_ERROR"
    assert error.fields == {"name": "不能为空", "code": "太长；非法"}
