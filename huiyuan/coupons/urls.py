from django.urls import path

from huiyuan.coupons import bulk_views, config_views, template_views, views

app_name = "coupons"
urlpatterns = [
    path("", views.coupon_list, name="list"),
    path("c/<str:code>/", views.coupon_detail, name="detail"),
    path("c/<str:code>/revoke/", views.revoke, name="revoke"),
    path("members/<str:member_no>/panel/", views.member_panel, name="member_panel"),
    path("members/<str:member_no>/issue/", views.issue, name="issue"),
    path("templates/", template_views.template_list, name="templates"),
    path("templates/add/", template_views.template_create, name="template_create"),
    path("templates/<int:pk>/", template_views.template_edit, name="template_edit"),
    path("templates/preview/", template_views.template_preview, name="template_preview"),
    path("bulk/", bulk_views.bulk_issue, name="bulk"),
    path("bulk/<int:pk>/", bulk_views.job, name="job"),
    path("bulk/<int:pk>/progress/", bulk_views.job_progress, name="job_progress"),
    path("triggers/", config_views.trigger_list, name="triggers"),
    path("triggers/add/", config_views.trigger_create, name="trigger_create"),
    path("triggers/<int:pk>/", config_views.trigger_edit, name="trigger_edit"),
    path("rebate/", config_views.rebate_settings, name="rebate"),
    path("rebate/<str:start>/", config_views.rebate_preview, name="rebate_preview"),
    path("rebate/<str:start>/run/", config_views.rebate_run, name="rebate_run"),
    path("rebate/runs/<int:pk>/", config_views.rebate_run_detail, name="rebate_run_detail"),
]
