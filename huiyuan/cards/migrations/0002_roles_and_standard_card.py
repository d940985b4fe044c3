from django.db import migrations

from huiyuan.staff.roles import sync_builtin_roles


def grant_and_create(apps, schema_editor):
    sync_builtin_roles(apps)
    # A new installation can register members at once: one plain points card (e-card first).
    apps.get_model("cards", "CardType").objects.get_or_create(
        code="STD",
        defaults={
            "name": "普通会员卡",
            "has_points": True,
            "number_prefix": "8800",
            "number_length": 12,
            "media": ["e_card", "magnetic", "ic"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cards", "0001_initial"),
        ("members", "0001_initial"),
        ("staff", "0002_builtin_roles"),
    ]

    operations = [migrations.RunPython(grant_and_create, migrations.RunPython.noop)]
