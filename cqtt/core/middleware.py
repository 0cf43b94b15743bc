import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _


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
        request.LANGUAGE_CODE = language
        # override, not activate: the thread's language is given back after the request (a worker thread, or
        # the next request's code that runs before this middleware, must not inherit the last user's choice)
        with translation.override(language):
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


LOGIN_AT = "cqtt_login_at"
SEEN_AT = "cqtt_seen_at"
# the idle clock is written to the session at most this often (one session write a minute, not one a request)
SEEN_RESOLUTION = 60


def session_started(sender, request, user, **kwargs):
    """`user_logged_in` receiver (connected in CoreConfig.ready): the working day and the idle clock start."""
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


class SessionExpiryMiddleware:
    """A staff session ends SESSION_COOKIE_AGE seconds after the login, however busy the officer (a working day,
    SESSION_MAX_HOURS), and after SESSION_IDLE_SECONDS without a request (SESSION_IDLE_MINUTES). The login time
    is written into the session at the login (`session_started`) and never moved by activity; the last request
    time moves with the requests. Only the session's user is concerned: token-authenticated API calls have no
    session (DRF authenticates them inside the view, after this middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            message = self._ended(session, now)
            if message:
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(request, message)
            else:
                session.setdefault(LOGIN_AT, now)  # a session opened before this middleware existed
                if now - session.get(SEEN_AT, 0) >= SEEN_RESOLUTION:
                    session[SEEN_AT] = now
        return self.get_response(request)

    @staticmethod
    def _ended(session, now: float) -> str | None:
        login_at = session.get(LOGIN_AT)
        if login_at is not None and now - login_at > settings.SESSION_COOKIE_AGE:
            return _(
                "Phiên làm việc đã hết sau %(hours)s giờ kể từ khi đăng nhập. Vui lòng đăng nhập lại."
            ) % {"hours": f"{settings.SESSION_COOKIE_AGE / 3600:g}"}
        seen_at = session.get(SEEN_AT)
        if seen_at is not None and now - seen_at > settings.SESSION_IDLE_SECONDS:
            return _(
                "Phiên làm việc đã kết thúc vì không có thao tác trong %(minutes)s phút. Vui lòng đăng nhập lại."
            ) % {"minutes": f"{settings.SESSION_IDLE_SECONDS / 60:g}"}
        return None


class NulPathMiddleware:
    """A page whose path holds a NUL character (U+0000) names nothing: 404 before any view (PostgreSQL cannot
    compare a text holding NUL, so a lookup by such a code or token would be a 500). The API's views answer
    the same themselves, as JSON (tests/api/test_nul_characters.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path and not request.path.startswith("/api/"):
            raise Http404(_("Không tìm thấy trang này."))
        return self.get_response(request)
