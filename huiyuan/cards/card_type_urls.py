from django.urls import path

from huiyuan.cards import card_type_views as views

app_name = "card_types"
urlpatterns = [
    path("", views.card_type_list, name="list"),
    path("new/", views.card_type_create, name="create"),
    path("<int:pk>/", views.card_type_edit, name="edit"),
]
