from django.urls import path

from huiyuan.cards import ecard_views

app_name = "ecard"
urlpatterns = [
    path("<str:card_no>/", ecard_views.ecard_page, name="page"),
    path("<str:card_no>/codes/", ecard_views.ecard_codes, name="codes"),
]
