from django.db import migrations

from huiyuan.staff.roles import sync_builtin_roles


def grant(apps, schema_editor):
    sync_builtin_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("sales", "0002_r_returns"), ("staff", "0002_builtin_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
