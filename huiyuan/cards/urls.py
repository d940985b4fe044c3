from django.urls import path

from huiyuan.cards import views

app_name = "cards"
urlpatterns = [
    path("issue/<str:member_no>/", views.issue, name="issue"),
    path("<str:number>/<slug:action>/", views.card_action, name="action"),
]
