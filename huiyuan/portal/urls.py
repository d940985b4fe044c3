from django.urls import path

from huiyuan.portal import views

app_name = "portal"
urlpatterns = [
    path("join/", views.join, name="join"),
    path("join/code/", views.send_code, name="send_code"),
]
