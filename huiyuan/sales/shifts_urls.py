from django.urls import path

from huiyuan.sales import shifts_views as views

app_name = "shifts"
urlpatterns = [
    path("", views.shift_list, name="list"),
    path("open/", views.open_shift, name="open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/print/", views.print_report, name="print"),
]
