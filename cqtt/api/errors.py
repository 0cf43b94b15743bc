"""Every API error answers JSON with a `detail` and, for bad input, field-by-field `errors`, in the language of the
request (Vietnamese unless the language cookie chooses English)."""

import math

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
# DRF's own messages for these are English (its Vietnamese catalogue leaves them untranslated): ours instead.
NOT_AUTHENTICATED = gettext_noop(
    "Chưa xác thực. Hãy gửi mã truy cập trong tiêu đề Authorization: Token <mã> (lấy tại /api/v1/auth/token/)."
)
# one message for a wrong, revoked or malformed token and for a disabled account: nothing to learn from it
AUTHENTICATION_FAILED = gettext_noop(
    "Mã truy cập không hợp lệ, đã bị thu hồi hoặc tài khoản không còn hoạt động. Hãy lấy mã mới."
)
PERMISSION_DENIED = gettext_noop("Bạn không có quyền thực hiện thao tác này.")
THROTTLED = gettext_noop("Quá nhiều yêu cầu. Vui lòng thử lại sau %(seconds)d giây.")
THROTTLED_NO_WAIT = gettext_noop("Quá nhiều yêu cầu. Vui lòng thử lại sau.")


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
    if isinstance(exc, exceptions.NotAuthenticated):
        # the same exception, so DRF keeps its status (401 with WWW-Authenticate) and headers
        exc.detail = exceptions.ErrorDetail(_(NOT_AUTHENTICATED), code="not_authenticated")
    elif isinstance(exc, exceptions.AuthenticationFailed):
        exc.detail = exceptions.ErrorDetail(_(AUTHENTICATION_FAILED), code="authentication_failed")
    elif isinstance(exc, exceptions.PermissionDenied):
        # DRF's default wording only; the messages of our services already say what is not allowed
        if str(exc.detail) == str(exceptions.PermissionDenied.default_detail):
            exc.detail = exceptions.ErrorDetail(_(PERMISSION_DENIED), code="permission_denied")
    elif isinstance(exc, exceptions.Throttled):
        message = _(THROTTLED) % {"seconds": math.ceil(exc.wait)} if exc.wait else _(THROTTLED_NO_WAIT)
        exc.detail = exceptions.ErrorDetail(message, code="throttled")
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return Response({"detail": _(INVALID), "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
