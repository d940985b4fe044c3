from django.urls import path

from huiyuan.members import merge_views, photo_views, views

app_name = "members"
urlpatterns = [
    path("", views.search, name="search"),
    path("register/", views.register, name="register"),
    path("register/check-phone/", views.check_phone, name="check_phone"),
    path("register/check-id/", views.check_id, name="check_id"),
    path("<str:member_no>/", views.detail, name="detail"),
    path("<str:member_no>/edit/", views.edit, name="edit"),
    path("<str:member_no>/cancel/", views.cancel, name="cancel"),
    path("<str:member_no>/merge/", merge_views.merge, name="merge"),
    path("<str:member_no>/welcome/", views.welcome_slip, name="welcome_slip"),
    path("<str:member_no>/photo/", photo_views.photo, name="photo"),
    path("<str:member_no>/photo/thumb/", photo_views.photo, {"size": "thumb"}, name="photo_thumb"),
    path("<str:member_no>/photo/upload/", photo_views.upload, name="photo_upload"),
    path("<str:member_no>/photo/remove/", photo_views.remove, name="photo_remove"),
]
