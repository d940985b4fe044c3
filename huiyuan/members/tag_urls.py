from django.urls import path

from huiyuan.members import tag_views as views

app_name = "member_tags"
urlpatterns = [
    path("", views.tag_list, name="list"),
    path("<int:pk>/rename/", views.tag_rename, name="rename"),
    path("<int:pk>/delete/", views.tag_delete, name="delete"),
]
