from django.urls import path

from huiyuan.gifts import views

app_name = "gifts"
urlpatterns = [
    path("", views.gift_list, name="list"),
    path("new/", views.gift_create, name="create"),
    path("<int:pk>/", views.gift_edit, name="edit"),
    path("stock-preview/", views.stock_preview, name="stock_preview"),
    path("desk/", views.desk, name="desk"),
    path("desk/<str:member_no>/", views.redeem, name="redeem"),
    path("redemptions/", views.redemption_list, name="redemptions"),
    path("redemptions/<str:number>/", views.bill, name="bill"),
]
