from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "huiyuan.core"
    label = "core"
    verbose_name = "基础"
