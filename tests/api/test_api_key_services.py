import io

import pytest
from django.core.management import CommandError, call_command

from huiyuan.api.models import ApiKey
from huiyuan.api.services import authenticate_api_key
from huiyuan.core.errors import DomainError
from huiyuan.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_api_key_command_prints_a_working_key_once(store):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_key", "--store", "sh01", "--name", "3号收银机", stdout=out, stderr=err)
    raw_key = out.getvalue().strip()
    assert authenticate_api_key(raw_key).store == store
    assert "只显示这一次" in err.getvalue()
    assert AuditEvent.objects.filter(action="api_key.create", api_key=None, operator=None).exists()


def test_create_api_key_command_refuses_an_unknown_store(db):
    with pytest.raises(CommandError, match="门店不存在"):
        call_command("create_api_key", "--store", "XX99", "--name", "终端")
    assert not ApiKey.objects.exists()


def test_a_closed_stores_keys_are_refused(api_key_pair, store):
    store.is_active = False
    store.save()
    with pytest.raises(DomainError) as refused:
        authenticate_api_key(api_key_pair[1])
    assert refused.value.code == "API_KEY_REVOKED"
