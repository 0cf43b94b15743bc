"""The site's error pages (config.urls handler404, settings CSRF_FAILURE_VIEW); 400, 403 and 500 use Django's own
handlers with templates/400.html, 403.html and 500.html."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 in the site's layout, with the view's own explanation when it gave one (our Http404 messages are
    Vietnamese and name no object the user may not see); an unknown address gets the general text only."""
    message = ""
    if isinstance(exception, Http404) and not isinstance(exception, Resolver404) and exception.args:
        message = exception.args[0] if isinstance(exception.args[0], str) else ""
    return render(request, "404.html", {"message": message}, status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: usually a page left open for long or cookies blocked."""
    return render(request, "403_csrf.html", status=403)
