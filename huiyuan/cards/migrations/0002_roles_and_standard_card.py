from django.db import migrations

from huiyuan.cards.defaults import ensure_standard_card_type
from huiyuan.staff.roles import sync_builtin_roles


def grant_and_create(apps, schema_editor):
    sync_builtin_roles(apps)
    ensure_standard_card_type(apps.get_model("cards", "CardType"))


class Migration(migrations.Migration):
    dependencies = [
        ("cards", "0001_initial"),
        ("members", "0001_initial"),
        ("staff", "0002_builtin_roles"),
    ]

    operations = [migrations.RunPython(grant_and_create, migrations.RunPython.noop)]
