from django.urls import path

from huiyuan.sales import till_views

app_name = "till"
urlpatterns = [
    path("", till_views.page, name="page"),
    path("price/", till_views.price, name="price"),
    path("member/", till_views.member, name="member"),
    path("suspend/", till_views.suspend, name="suspend"),
    path("suspended/", till_views.suspended, name="suspended"),
    path("suspended/<int:pk>/resume/", till_views.resume, name="resume"),
    path("pay/", till_views.pay, name="pay"),
]
