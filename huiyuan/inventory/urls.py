from django.urls import path

from huiyuan.inventory import report_views, views
from huiyuan.inventory.kinds import KINDS

app_name = "inventory"
urlpatterns = [
    path("stock/", report_views.levels, name="levels"),
    path("stock/back-room/", report_views.back_room, name="back_room"),
    path("stock/<int:pk>/minimum/", report_views.minimum, name="minimum"),
    path("moves/", report_views.movements, name="movements"),
    path("valuation/", report_views.valuation, name="valuation"),
    # One named address per document list, for the navigation.
    *(
        path(f"{slug}/", views.document_list, {"slug": slug}, name=slug.replace("-", "_"))
        for slug in KINDS
    ),
    path("<slug:slug>/", views.document_list, name="documents"),
    path("<slug:slug>/new/", views.document_create, name="document_create"),
    path("<slug:slug>/<str:number>/", views.document_detail, name="document"),
    path("<slug:slug>/<str:number>/print/", views.document_print, name="print"),
    path("<slug:slug>/<str:number>/lines/", views.add_line, name="add_line"),
    path(
        "<slug:slug>/<str:number>/lines/<int:line_id>/remove/",
        views.remove_line,
        name="remove_line",
    ),
    path("<slug:slug>/<str:number>/receive/", views.receive, name="receive"),
    path("<slug:slug>/<str:number>/<str:action>/", views.step, name="step"),
]
