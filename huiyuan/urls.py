from django.urls import include, path, re_path

from huiyuan.api.conventions import error_response
from huiyuan.api.main import api
from huiyuan.core.errors import DomainError


def api_not_found(request, rest=""):
    return error_response(DomainError("NOT_FOUND"))


urlpatterns = [
    path("", include("huiyuan.core.urls")),
    path("staff/", include("huiyuan.staff.urls")),
    path("api-keys/", include("huiyuan.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
]

handler403 = "huiyuan.core.views.error_403"
handler404 = "huiyuan.core.views.error_404"
handler500 = "huiyuan.core.views.error_500"
