from django.urls import path

from huiyuan.sales import orders_views as views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("members/<str:member_no>/panel/", views.member_panel, name="member_panel"),
    path("<str:order_no>/", views.order_detail, name="detail"),
    path("<str:order_no>/receipt/", views.receipt, name="receipt"),
]
