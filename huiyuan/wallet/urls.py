from django.urls import path

from huiyuan.wallet import config_views, ledger_views, views

app_name = "wallet"
urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("members/<str:member_no>/panel/", views.member_panel, name="member_panel"),
    path("members/<str:member_no>/ledger/", ledger_views.stored_value, name="ledger"),
    path(
        "members/<str:member_no>/count-cards/ledger/",
        ledger_views.count_cards,
        name="count_card_ledger",
    ),
    path("members/<str:member_no>/top-up/", views.top_up, name="top_up"),
    path("members/<str:member_no>/password/", views.payment_password, name="password"),
    path("members/<str:member_no>/count-cards/sell/", views.sell_count_card, name="sell"),
    path("members/<str:member_no>/count-cards/<int:pk>/use/", views.use_count_card, name="use"),
    path("topups/<str:number>/slip/", views.slip, name="slip"),
    path("topups/<str:number>/refund/", views.refund, name="refund"),
    path("rules/", config_views.rule_list, name="rules"),
    path("rules/add/", config_views.rule_create, name="rule_create"),
    path("rules/<int:pk>/", config_views.rule_edit, name="rule_edit"),
    path("packages/", config_views.package_list, name="packages"),
    path("packages/add/", config_views.package_create, name="package_create"),
    path("packages/<int:pk>/", config_views.package_edit, name="package_edit"),
    path("settings/", config_views.settings_page, name="settings"),
]
