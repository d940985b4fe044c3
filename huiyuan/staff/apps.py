from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "huiyuan.staff"
    label = "staff"
    verbose_name = "员工与权限"
