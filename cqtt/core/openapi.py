"""The API's OpenAPI schema tells the whole truth (settings DEFAULT_SCHEMA_CLASS and SPECTACULAR_SETTINGS): every
operation lists the error answers it can give, in the body format of `cqtt.api.errors`.

The answers that follow from an operation's shape are added here (`AutoSchema`): 400 for a body or query, 401
where a token is read, 403 for a session's missing CSRF token, 404 for a path parameter or a page number, 415 for a
body, 429 for a throttled view. Views add the answers only they know of with `errors(...)` in their
`@extend_schema(responses=...)` (403 for a role, 409, 422). Both use the components `Error` and
`ValidationError`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse, extend_schema_serializer
from rest_framework import serializers


@extend_schema_serializer(component_name="Error")
class ErrorOutput(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Lời giải thích, theo ngôn ngữ của yêu cầu."))


@extend_schema_serializer(component_name="ValidationError")
class ValidationErrorOutput(ErrorOutput):
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text=_(
            "Lỗi theo từng trường: tên trường → danh sách thông báo (trường lồng nhau: đối tượng hoặc danh sách "
            "như dữ liệu gửi lên). Không có khi nội dung gửi lên không đọc được."
        ),
    )


RESPONSES = {
    400: OpenApiResponse(ValidationErrorOutput, _("Dữ liệu không hợp lệ.")),
    401: OpenApiResponse(ErrorOutput, _("Chưa xác thực, hoặc mã truy cập không hợp lệ hay đã bị thu hồi.")),
    403: OpenApiResponse(ErrorOutput, _("Không có quyền thực hiện thao tác này.")),
    404: OpenApiResponse(ErrorOutput, _("Không tìm thấy, hoặc ngoài phạm vi của người dùng.")),
    409: OpenApiResponse(
        ErrorOutput,
        _("Thao tác không được phép ở trạng thái hiện tại, hoặc hồ sơ vừa được người khác cập nhật."),
    ),
    415: OpenApiResponse(ErrorOutput, _("Kiểu nội dung (Content-Type) không được hỗ trợ.")),
    422: OpenApiResponse(ErrorOutput, _("Idempotency-Key đã được dùng cho một yêu cầu khác.")),
    429: OpenApiResponse(ErrorOutput, _("Quá nhiều yêu cầu; thử lại sau số giây trong Retry-After.")),
}
HEADERS = {
    401: {"WWW-Authenticate": _("Cách xác thực: Token.")},
    429: {"Retry-After": _("Số giây cần chờ trước khi gửi lại.")},
}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The shared error answers `codes`, for an operation's `@extend_schema(responses=...)`."""
    return {code: RESPONSES[code] for code in codes}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema with the error answers that follow from each operation's shape."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and not parameter.get("required"):
                # DRF reads an optional query parameter sent empty (`?unit=`) as one left out
                parameter["allowEmptyValue"] = True
        responses = operation["responses"]
        for code in self.error_codes(operation):
            responses.setdefault(str(code), self.error_response(code))
        for code, headers in HEADERS.items():
            if str(code) in responses:
                responses[str(code)]["headers"] = {
                    name: {"schema": {"type": "string"}, "description": text}
                    for name, text in headers.items()
                }
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_codes(self, operation: dict) -> list[int]:
        """The error answers this operation can give whatever the view does."""
        where = {p["in"] for p in operation.get("parameters", [])}
        names = {p["name"] for p in operation.get("parameters", [])}
        body = "requestBody" in operation
        schemes = {name for requirement in operation.get("security", []) for name in requirement}
        codes = []
        if body or where & {"query", "header"}:
            codes.append(400)
        if schemes:
            codes.append(401)  # a missing, wrong or revoked token
        if "cookieAuth" in schemes and self.method in UNSAFE_METHODS:
            codes.append(403)  # a session without its CSRF token
        if "path" in where or "page" in names:
            codes.append(404)  # no such object, or no such page
        if body:
            codes.append(415)
        if self.view.get_throttles():
            codes.append(429)
        return codes

    def error_response(self, code: int) -> dict:
        shared = RESPONSES[code]
        component = self.resolve_serializer(shared.response, "response")
        return {
            "description": shared.description,
            "content": {"application/json": {"schema": component.ref}},
        }
