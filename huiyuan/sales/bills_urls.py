from django.urls import path

from huiyuan.sales import bills_views as views

app_name = "bills"
urlpatterns = [
    path("", views.bill_list, name="list"),
]
