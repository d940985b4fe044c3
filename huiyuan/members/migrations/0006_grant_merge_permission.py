from django.db import migrations

from huiyuan.staff.roles import sync_builtin_roles


def grant(apps, schema_editor):
    sync_builtin_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("members", "0005_member_merge")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
