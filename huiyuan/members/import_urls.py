from django.urls import path

from huiyuan.members import import_views as views

app_name = "member_import"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template.xlsx", views.template, name="template"),
    path("export.xlsx", views.export, name="export"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/commit/", views.commit, name="commit"),
    path("<int:pk>/discard/", views.discard, name="discard"),
]
