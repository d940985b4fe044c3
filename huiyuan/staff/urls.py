from django.contrib.auth import views as auth_views
from django.urls import path

from huiyuan.staff import views

app_name = "staff"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.change_password, name="change_password"),
    path("store/", views.switch_store, name="switch_store"),
    path("operators/", views.operator_list, name="operator_list"),
    path("operators/new/", views.operator_create, name="operator_create"),
    path("operators/<int:pk>/", views.operator_edit, name="operator_edit"),
    path(
        "operators/<int:pk>/password/",
        views.operator_reset_password,
        name="operator_reset_password",
    ),
    path("roles/", views.role_list, name="role_list"),
    path("roles/new/", views.role_create, name="role_create"),
    path("roles/<int:pk>/", views.role_edit, name="role_edit"),
    path("roles/<int:pk>/delete/", views.role_delete, name="role_delete"),
]
