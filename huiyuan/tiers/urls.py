from django.urls import path

from huiyuan.tiers import views

app_name = "tiers"
urlpatterns = [
    path("", views.tier_list, name="list"),
    path("new/", views.tier_create, name="create"),
    path("<int:pk>/", views.tier_edit, name="edit"),
    path("program/", views.program_edit, name="program"),
    path("review/", views.run_review, name="run_review"),
    path("member/<str:member_no>/", views.member_panel, name="member_panel"),
    path("member/<str:member_no>/history/", views.history, name="history"),
    path("member/<str:member_no>/override/", views.override, name="override"),
    path("member/<str:member_no>/end-override/", views.end_override, name="end_override"),
]
