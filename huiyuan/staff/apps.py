from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class StaffConfig(AppConfig):
    name = "huiyuan.staff"
    label = "staff"
    verbose_name = pgettext_lazy("app name", "员工与权限")
