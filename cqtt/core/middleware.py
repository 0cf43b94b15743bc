from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class VietnameseFirstLocaleMiddleware:
    """Vietnamese for everyone unless the user chose another language (the language cookie set by
    /i18n/setlang/). The browser's Accept-Language is ignored: a counter officer on an English-language
    browser still works in Vietnamese."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` (Django's never-cache headers) on every answer whose view did not choose a
    Cache-Control of its own: staff pages, the public lookup, the API, PDFs and spreadsheets. Public pages
    without personal data opt in to caching with `cqtt.core.caching.free_of_personal_data`. Static files are
    answered by WhiteNoise before this middleware and keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
