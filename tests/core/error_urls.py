"""The site's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def fails(request):
    raise RuntimeError("the database went away")


def refuses(request):
    raise PermissionDenied


def refuses_with_reason(request):
    raise PermissionDenied("Chỉ lãnh đạo đơn vị được ký duyệt hồ sơ này.")


def suspicious(request):
    raise SuspiciousOperation("bad header")


def broken_context_processor(request):
    raise RuntimeError("a context processor that fails")


urlpatterns = [
    path("thu-loi/500/", fails),
    path("thu-loi/403/", refuses),
    path("thu-loi/403-ly-do/", refuses_with_reason),
    path("thu-loi/400/", suspicious),
    *site_urlpatterns,
]
handler404 = "cqtt.core.views.page_not_found"
