from django.urls import path

from huiyuan.points import config_views, views

app_name = "points"
urlpatterns = [
    path("rules/", config_views.rule_list, name="rules"),
    path("rules/new/", config_views.rule_create, name="rule_create"),
    path("rules/<int:pk>/", config_views.rule_edit, name="rule_edit"),
    path("rules/example/", config_views.rule_preview, name="rule_preview"),
    path("days/new/", config_views.day_create, name="day_create"),
    path("days/<int:pk>/", config_views.day_edit, name="day_edit"),
    path("settings/", config_views.program, name="program"),
    path("member/<str:member_no>/panel/", views.member_panel, name="member_panel"),
    path("member/<str:member_no>/", views.ledger, name="ledger"),
    path("member/<str:member_no>/adjust/", views.adjust, name="adjust"),
    path("member/<str:member_no>/redeem/", views.redeem, name="redeem"),
]
