from django.urls import path

from huiyuan.notifications import views

app_name = "notifications"
urlpatterns = [path("outbox/", views.dev_outbox, name="dev_outbox")]
