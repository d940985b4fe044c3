from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    name = "huiyuan.core"
    label = "core"
    verbose_name = pgettext_lazy("app name", "基础")
