"""Every API error answers JSON with a `detail` and, for bad input, field-by-field `errors`, in the language of the
request (Vietnamese unless the language cookie chooses English)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cqtt.core.errors import NotInScope, RequestKeyReused, TransitionNotAllowed

INVALID = gettext_noop("Dữ liệu không hợp lệ. Vui lòng kiểm tra các trường được nêu.")


def _django_validation_to_dict(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    return {"non_field_errors": exc.messages}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        return Response(
            {"detail": _(INVALID), "errors": _django_validation_to_dict(exc)},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, TransitionNotAllowed):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RequestKeyReused):
        return Response({"detail": str(exc)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, NotInScope):
        exc = exceptions.NotFound(str(exc))
    if isinstance(exc, DjangoPermissionDenied) and not isinstance(exc, exceptions.PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Không tìm thấy."))
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return Response({"detail": _(INVALID), "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
