from django.urls import path

from huiyuan.sales import returns_views as views

app_name = "returns"
urlpatterns = [
    path("", views.start, name="start"),
    path("settings/", views.settings_page, name="settings"),
    path("order/<str:order_no>/", views.new, name="new"),
    path("<str:return_no>/", views.slip, name="slip"),
]
