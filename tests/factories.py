"""Test data. Operators and API keys go through the same services as the pages."""

import factory
from factory.django import DjangoModelFactory

from huiyuan.core.models import Store

TEST_PASSWORD = "Secret-pass-2026"


class StoreFactory(DjangoModelFactory):
    class Meta:
        model = Store
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"测试门店{n}")
    address = "上海市测试路 1 号"
    phone = "021-00000000"
