import pytest
from django.urls import reverse

from huiyuan.api.models import ApiKey
from huiyuan.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_admin_creates_a_key_sees_it_once_and_only_its_hash_is_stored(admin_client, store):
    page = admin_client.post(reverse("api_keys:list"), {"name": "2号收银机", "store": store.pk})
    raw_key = page.context["new_key"]
    assert raw_key.startswith("hy_")
    api_key = ApiKey.objects.get(name="2号收银机")
    assert api_key.key_hash == ApiKey.hash(raw_key)
    assert raw_key not in str(ApiKey.objects.values())
    assert AuditEvent.objects.filter(action="api_key.create", target_id=str(api_key.pk)).exists()
    assert raw_key not in admin_client.get(reverse("api_keys:list")).text


def test_admin_revokes_a_key_and_the_api_refuses_it(admin_client, client, api_key_pair):
    api_key, raw_key = api_key_pair
    admin_client.post(reverse("api_keys:revoke", args=[api_key.pk]))
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_key.revoke").count() == 1
    answer = client.get("/api/v1/terminal", HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "API_KEY_REVOKED"


def test_a_key_needs_a_name(admin_client, store):
    page = admin_client.post(reverse("api_keys:list"), {"name": " ", "store": store.pk})
    assert page.status_code == 200
    assert not ApiKey.objects.exists()
