from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "huiyuan.api"
    label = "api"
    verbose_name = "接口"
