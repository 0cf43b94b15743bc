import re

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cqtt.core.serializer_fields import BoundedCharField, TextField

from . import rules
from .selectors import calendar_years, due_for, workday_unit_get

# A '+' left unencoded in a query string arrives as a space: "…T10:00:00 07:00".
_SPACED_OFFSET = re.compile(r" (\d{2}(:?\d{2})?)$")


@extend_schema_serializer(component_name="DueDateExplanation")
class ExplanationSerializer(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField()


class DueDateApi(APIView):
    """Due date of a dossier received at `received_at`, with the day-by-day explanation (public)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    class InputSerializer(serializers.Serializer):
        received_at = TextField(
            help_text=_("ISO 8601; không có múi giờ thì hiểu là giờ Việt Nam (Asia/Ho_Chi_Minh)."),
            error_messages={
                "required": _("Vui lòng nhập thời điểm tiếp nhận (received_at)."),
                "blank": _("Vui lòng nhập thời điểm tiếp nhận (received_at)."),
            },
        )
        amount = TextField(
            required=False,
            help_text=_("Số ngày hoặc số giờ làm việc, theo bước 0,5; không bắt buộc khi unit=same_day."),
            error_messages={"blank": _("Vui lòng nhập thời hạn (amount).")},
        )
        unit = serializers.ChoiceField(
            choices=[c for c, _label in rules.PERIOD_UNIT_CHOICES],
            error_messages={
                "required": _("Vui lòng chọn đơn vị tính (unit)."),
                "invalid_choice": _("Đơn vị tính phải là working_days, working_hours hoặc same_day."),
            },
        )
        unit_code = BoundedCharField(
            required=False, max_length=32, help_text=_("Mã xã, phường hoặc tỉnh; mặc định lịch toàn quốc.")
        )

        def validate_received_at(self, raw):
            value = None
            try:
                value = parse_datetime(_SPACED_OFFSET.sub(r"+\1", raw.strip()))
            except ValueError:
                pass
            if value is None:
                raise serializers.ValidationError(
                    _("Thời điểm tiếp nhận không hợp lệ; dùng ISO 8601, ví dụ 2026-02-13T10:00:00+07:00.")
                )
            if timezone.is_naive(value):
                value = value.replace(tzinfo=rules.TZ)
            value = value.astimezone(rules.TZ)
            first, last = calendar_years()
            if not first <= value.year <= last:
                raise serializers.ValidationError(
                    _("Thời điểm tiếp nhận phải thuộc các năm %(a)s–%(b)s.") % {"a": first, "b": last}
                )
            return value

        def validate_amount(self, raw):
            return raw.strip()

        def validate_unit_code(self, code):
            unit = workday_unit_get(code.strip())
            if unit is None:
                raise serializers.ValidationError(_("Không tìm thấy đơn vị có mã “%(c)s”.") % {"c": code})
            return unit

        def validate(self, attrs):
            raw = attrs.get("amount")
            if attrs["unit"] == rules.PeriodUnit.SAME_DAY:
                # the amount means nothing for a same-day procedure; 0 or 1 are both fine, garbage is not
                if raw and raw.replace(",", ".").replace(".", "", 1).isdigit():
                    attrs["amount"] = None
                    return attrs
                if raw:
                    raise ValidationError({"amount": [_("Số lượng phải là một số, ví dụ 1 hoặc 2,5.")]})
                return attrs
            if raw is None:
                raise ValidationError({"amount": [_("Vui lòng nhập thời hạn (amount).")]})
            try:
                attrs["amount"] = rules.parse_amount(raw)
            except rules.InvalidAmount as exc:
                raise ValidationError({"amount": [str(exc)]}) from None
            return attrs

    @extend_schema_serializer(component_name="DueDate")
    class OutputSerializer(serializers.Serializer):
        due_at = serializers.DateTimeField(help_text=_("Thời điểm hẹn trả, ISO 8601 với +07:00."))
        explanation = serializers.ListField(child=ExplanationSerializer())

    @extend_schema(
        operation_id="workdays_due_date",
        summary="Tính ngày hẹn trả kết quả",
        parameters=[InputSerializer],
        responses={
            200: OpenApiResponse(
                response=OutputSerializer,
                description="due_at và giải thích từng ngày",
                examples=[
                    OpenApiExample(
                        "Tết 2026",
                        value={
                            "due_at": "2026-02-23T17:00:00+07:00",
                            "explanation": [
                                {"date": "2026-02-13", "reason": "Ngày tiếp nhận, không tính"},
                                {"date": "2026-02-14", "reason": "Thứ Bảy"},
                            ],
                        },
                    )
                ],
            ),
        },
    )
    def get(self, request):
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        try:
            result = due_for(
                data["received_at"], data.get("amount") or 1, data["unit"], data.get("unit_code")
            )
        except rules.OutOfCalendar as exc:
            raise ValidationError({"received_at": [str(exc)]}) from None
        return Response(
            {
                "due_at": result.due_at.astimezone(rules.TZ).isoformat(),
                "explanation": [item.as_dict() for item in result.explanation],
            }
        )
