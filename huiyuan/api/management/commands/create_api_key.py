from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from huiyuan.api.services import create_api_key
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.models import Store


class Command(BaseCommand):
    help = "为收银终端创建 API 密钥 / Create an API key for a POS terminal of a store."

    def add_arguments(self, parser):
        parser.add_argument("--store", required=True, help="门店编码 / store code, e.g. SH01")
        parser.add_argument("--name", required=True, help="终端名称 / terminal name")

    def handle(self, *args, store, name, **options):
        found = Store.objects.filter(code=store.strip().upper()).first()
        if found is None:
            raise CommandError(f"门店不存在 / no store with code {store!r}")
        try:
            with transaction.atomic():
                api_key, raw_key = create_api_key(actor=Actor.system(), store=found, name=name)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stderr.write(f"{api_key} @ {found}: 密钥只显示这一次 / shown only once:")
        self.stdout.write(raw_key)
