from django.urls import path

from huiyuan.members import views

app_name = "members"
urlpatterns = [
    path("", views.search, name="search"),
    path("register/", views.register, name="register"),
    path("register/check-phone/", views.check_phone, name="check_phone"),
    path("register/check-id/", views.check_id, name="check_id"),
    path("<str:member_no>/", views.detail, name="detail"),
    path("<str:member_no>/edit/", views.edit, name="edit"),
    path("<str:member_no>/cancel/", views.cancel, name="cancel"),
    path("<str:member_no>/welcome/", views.welcome_slip, name="welcome_slip"),
]
