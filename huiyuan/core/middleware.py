from django.conf import settings
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are Chinese unless the operator picked English in the language switch (cookie).

    Store PCs often run an English browser, so the browser's Accept-Language is ignored on pages;
    the API still honours it, for integrators who want English error messages.
    """

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()


class RefuseNulMiddleware:
    """A page's path holding NUL (%00) names nothing here, and PostgreSQL refuses NUL in a text
    column: 404 before a view looks a member number, coupon code or bill number up with it (was
    a 500). The API's path parameters have patterns of their own (a JSON 422)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info and not request.path_info.startswith("/api/"):
            raise Http404
        return self.get_response(request)
