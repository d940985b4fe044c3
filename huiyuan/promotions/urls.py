from django.urls import path

from huiyuan.promotions import views

app_name = "promotions"
urlpatterns = [
    path("", views.promotion_list, name="list"),
    path("new/<str:kind>/", views.promotion_create, name="create"),
    path("preview/<str:kind>/", views.promotion_preview, name="preview"),
    path("<int:pk>/", views.promotion_detail, name="detail"),
    path("<int:pk>/edit/", views.promotion_edit, name="edit"),
    path("<int:pk>/status/", views.promotion_status, name="status"),
    path("member-days/", views.member_day_list, name="member_days"),
    path("member-days/new/", views.member_day_create, name="member_day_create"),
    path("member-days/preview/", views.member_day_preview, name="member_day_preview"),
    path("member-days/<int:pk>/", views.member_day_edit, name="member_day_edit"),
]
