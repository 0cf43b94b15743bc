"""REST API of the one-stop: intake, lists, detail, one endpoint per transition, public lookup."""

from __future__ import annotations

import re
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from cqtt.accounts.selectors import active_user_by_username
from cqtt.core.errors import PermissionDenied
from cqtt.core.openapi import errors
from cqtt.core.pagination import StandardPagination
from cqtt.core.ratelimit import rate_limited
from cqtt.core.serializer_fields import BoundedCharField, BoundedListField
from cqtt.units.models import Unit
from cqtt.units.selectors import office_of, unit_by_code

from . import rules, selectors, services
from .models import ApplicantKind, Channel, DocumentKind, Dossier, Status
from .rules import ITEM_MAX_LENGTH, ITEMS_MAX, NOTE_MAX_LENGTH, REASON_MAX_LENGTH

# --- serializers -------------------------------------------------------------------------------------------

# Every text and list of a request body is bounded, with the limits of the staff pages' forms (`rules`)


def _text(max_length: int, **kwargs) -> BoundedCharField:
    return BoundedCharField(max_length=max_length, **kwargs)


def _list(child: serializers.Field, max_length: int, **kwargs) -> BoundedListField:
    return BoundedListField(child=child, max_length=max_length, **kwargs)


def _note() -> serializers.CharField:
    return _text(NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="DossierApplicantInput")
class ApplicantInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicantKind.choices, default=ApplicantKind.PERSON)
    full_name = _text(
        200, error_messages={"required": _("Vui lòng nhập họ tên."), "blank": _("Vui lòng nhập họ tên.")}
    )
    id_number = _text(14, required=False, allow_blank=True, default="")
    phone = _text(
        20,
        error_messages={
            "required": _("Vui lòng nhập số điện thoại."),
            "blank": _("Vui lòng nhập số điện thoại."),
        },
    )
    email = _text(254, required=False, allow_blank=True, default="")
    address = _text(300, required=False, allow_blank=True, default="")
    commune_code = _text(32, required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="DossierDocumentInput")
class DocumentInput(serializers.Serializer):
    name = _text(ITEM_MAX_LENGTH)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.COPY)
    count = serializers.IntegerField(min_value=0, max_value=99, default=1)
    submitted = serializers.BooleanField(default=True)


@extend_schema_field(DocumentInput)
class DocumentField(serializers.Field):
    """A document as an object `{name, kind, count, submitted}`, or simply its name as a string."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = {"name": data}
        inner = DocumentInput(data=data)
        inner.is_valid(raise_exception=True)
        return inner.validated_data

    def to_representation(self, value):  # pragma: no cover - input only
        return value


@extend_schema_serializer(component_name="DossierEvent")
class EventOutput(serializers.Serializer):
    """Schema of a dossier's event (DossierDetailOutput writes the events directly)."""

    occurred_at = serializers.DateTimeField()
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True)
    note = serializers.CharField()


@extend_schema_serializer(component_name="DossierApplicant")
class ApplicantOutput(serializers.Serializer):
    """Schema of a dossier's applicant (DossierOutput writes it directly); ID number and phone masked for an
    observer (ADR 0013)."""

    kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    full_name = serializers.CharField()
    id_number = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()


@extend_schema_serializer(component_name="Dossier")
class DossierOutput(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    procedure_code = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    receiving_unit = serializers.CharField(source="receiving_unit.code")
    handling_unit = serializers.CharField(source="handling_unit.code")
    current_unit = serializers.CharField(source="current_unit.code")
    channel = serializers.CharField()
    delivery = serializers.CharField()
    applicant = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    original_due_at = serializers.DateTimeField(allow_null=True)
    extended = serializers.BooleanField(source="is_extended")
    assignee = serializers.CharField(source="assignee.username", default=None, allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    timeliness = serializers.SerializerMethodField()
    stat_timeliness = serializers.SerializerMethodField()
    book_number = serializers.IntegerField(allow_null=True)
    fees_total = serializers.IntegerField()
    version = serializers.IntegerField()
    lookup_url = serializers.SerializerMethodField()

    @extend_schema_field(ApplicantOutput)
    def get_applicant(self, d: Dossier) -> dict:
        shown = self._personal_data().of_dossier(d)
        return {
            "kind": d.applicant_kind,
            "full_name": d.applicant_name,
            "id_number": shown["id_number"],
            "phone": shown["phone"],
            "email": d.applicant_email,
            "address": d.applicant_address,
        }

    def _personal_data(self) -> selectors.PersonalData:
        """What of the ID number and phone the requesting user may see (ADR 0013); decided once per answer
        (the context is shared by every row of a list)."""
        context = self.context
        policy = context.get("personal_data")
        if policy is None:
            # no request (a serializer used outside a view): nobody to show full values to, masked
            user = getattr(context.get("request"), "user", None)
            policy = context["personal_data"] = selectors.dossier_personal_data_for(user=user)
        return policy

    def get_timeliness(self, d: Dossier) -> str | None:
        return d.timeliness or None

    def get_stat_timeliness(self, d: Dossier) -> str | None:
        return d.stat_timeliness or None

    def get_lookup_url(self, d: Dossier) -> str:
        request = self.context.get("request")
        path = selectors.dossier_lookup_path(d)
        return request.build_absolute_uri(path) if request else path

    def to_representation(self, d: Dossier) -> dict:
        """The fields above, written out directly: the same output as DRF's field-by-field path (a test holds
        them equal) at a fraction of its cost on the busiest answers of the API. The declared fields stay the
        schema."""
        assignee = d.assignee
        return {
            "code": d.code,
            "status": str(d.status),
            "status_label": _status_label(d.status),
            "procedure_code": d.procedure.code,
            "procedure_name": d.procedure.name,
            "receiving_unit": d.receiving_unit.code,
            "handling_unit": d.handling_unit.code,
            "current_unit": d.current_unit.code,
            "channel": str(d.channel),
            "delivery": str(d.delivery),
            "applicant": self.get_applicant(d),
            "submitted_at": _iso(d.submitted_at),
            "received_at": _iso(d.received_at),
            "due_at": _iso(d.due_at),
            "original_due_at": _iso(d.original_due_at),
            "extended": bool(d.is_extended),
            "assignee": assignee.username if assignee is not None else None,
            "finished_at": _iso(d.finished_at),
            "returned_at": _iso(d.returned_at),
            "timeliness": self.get_timeliness(d),
            "stat_timeliness": self.get_stat_timeliness(d),
            "book_number": d.book_number,
            "fees_total": d.fees_total,
            "version": d.version,
            "lookup_url": self.get_lookup_url(d),
        }


_STATUS_LABELS = dict(Status.choices)


def _status_label(value: str) -> str:
    """`get_status_display()` without its per-call rebuild of the choices table."""
    return str(_STATUS_LABELS.get(value, value))


def _iso(value: datetime | None) -> str | None:
    """A time as DRF's DateTimeField writes it: ISO 8601 in the current time zone."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


@extend_schema_serializer(component_name="DossierDetail")
class DossierDetailOutput(DossierOutput):
    events = serializers.SerializerMethodField()

    @extend_schema_field(EventOutput(many=True))
    def get_events(self, d: Dossier) -> list[dict]:
        return [
            {
                "occurred_at": _iso(at),
                "action": action,
                "from_status": from_status,
                "to_status": to_status,
                "actor": actor,
                "note": note,
            }
            for at, action, from_status, to_status, actor, note, _public in selectors.dossier_event_rows(
                dossier=d
            )
        ]

    def to_representation(self, d: Dossier) -> dict:
        return super().to_representation(d) | {"events": self.get_events(d)}


def _detail(request, dossier: Dossier, code=status.HTTP_200_OK) -> Response:
    return Response(DossierDetailOutput(dossier, context={"request": request}).data, status=code)


def _not_found() -> NotFound:
    return NotFound(_("Không tìm thấy hồ sơ hoặc bạn không có quyền xem hồ sơ này."))


def _code(code: str) -> str:
    """The dossier code of a path: one with a NUL character names no dossier (PostgreSQL cannot compare it)."""
    if "\x00" in code:
        raise _not_found()
    return code


def _access(user, code: str) -> Dossier:
    try:
        return selectors.access_dossier(user=user, code=_code(code))
    except PermissionDenied:
        raise _not_found() from None


def _unit(code: str, field: str) -> Unit:
    unit = unit_by_code(code=code)
    if unit is None:
        raise serializers.ValidationError(
            {field: [_("Không tìm thấy đơn vị có mã “%(code)s”.") % {"code": code}]}
        )
    return unit


# --- intake, list, detail ----------------------------------------------------------------------------------

IDEMPOTENCY_HEADER = "Idempotency-Key"


@extend_schema_serializer(component_name="NotifyChoice")
class NotifyInput(serializers.Serializer):
    """The citizen's notice channels for this dossier; left out: SMS when a phone is given, e-mail when an address
    is given, no Zalo."""

    sms = serializers.BooleanField(required=False, allow_null=True, default=None)
    email = serializers.BooleanField(required=False, allow_null=True, default=None)
    zalo = serializers.BooleanField(required=False, default=False)


class DossierListCreateApi(APIView):
    pagination_class = StandardPagination

    @extend_schema_serializer(component_name="DossierCreateInput")
    class InputSerializer(serializers.Serializer):
        procedure_code = _text(32)
        applicant = ApplicantInput()
        documents = _list(DocumentField(), ITEMS_MAX, required=False, default=list)
        channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.COUNTER)
        delivery = serializers.ChoiceField(choices=Channel.choices, default=Channel.COUNTER)
        unit_code = _text(32, required=False, allow_blank=True, default="")
        sets_count = serializers.IntegerField(min_value=1, max_value=99, default=1)
        missing_items = _list(_text(ITEM_MAX_LENGTH), ITEMS_MAX, required=False, default=list)
        notify = NotifyInput(required=False)

    @extend_schema_serializer(component_name="DossierCreated")
    class CreatedSerializer(serializers.Serializer):
        code = serializers.CharField()
        status = serializers.CharField()
        received_at = serializers.DateTimeField(allow_null=True)
        due_at = serializers.DateTimeField(allow_null=True)
        lookup_url = serializers.CharField()
        version = serializers.IntegerField()

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Status.choices, required=False)
        overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
        unit = _text(32, required=False)
        q = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=rules.SEARCH_MAX_LENGTH,
            help_text="Tìm theo mã hồ sơ, họ tên người nộp (có dấu hoặc không dấu), số định danh hoặc số điện thoại.",
        )

        def validate_q(self, value: str) -> rules.SearchQuery | None:
            try:
                return rules.search_query(value)
            except rules.SearchRefused as refused:
                raise serializers.ValidationError(str(refused)) from None

    @extend_schema(
        request=InputSerializer,
        responses={
            201: CreatedSerializer,
            # 403: not a counter officer of the unit; 409: the same key is being answered by another request
            **errors(403, 409, 422),
        },
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                {"type": "string", "minLength": 1, "maxLength": rules.IDEMPOTENCY_KEY_MAX_LENGTH},
                location=OpenApiParameter.HEADER,
                required=False,
                description="Không bắt buộc; 1–100 ký tự ASCII in được, do bên gọi tự sinh (ví dụ một UUID). "
                "Gửi lại cùng khóa và cùng nội dung trong 24 giờ: nhận lại đúng câu trả lời đầu tiên (201, "
                "kèm header `Idempotent-Replayed: true`), không tạo hồ sơ thứ hai; cùng khóa, nội dung khác: 422.",
            )
        ],
        operation_id="dossiers_create",
        summary="Tiếp nhận hồ sơ tại Bộ phận Một cửa",
    )
    def post(self, request):
        key = request.headers.get(IDEMPOTENCY_HEADER)
        problem = rules.idempotency_key_problem(key) if key is not None else ""
        if problem:
            raise serializers.ValidationError({IDEMPOTENCY_HEADER: [problem]})
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        a = v["applicant"]
        commune = _unit(a["commune_code"], "applicant.commune_code") if a["commune_code"] else None
        unit = _unit(v["unit_code"], "unit_code") if v["unit_code"] else None
        documents = [services.DocumentData(**d) for d in v["documents"]]
        notify = v.get("notify") or {}
        intake = dict(
            actor=request.user,
            procedure_code=v["procedure_code"],
            unit=unit,
            channel=v["channel"],
            delivery=v["delivery"],
            sets_count=v["sets_count"],
            missing_items=v["missing_items"],
            documents=documents,
            applicant=services.ApplicantData(
                full_name=a["full_name"],
                id_number=a["id_number"],
                phone=a["phone"],
                email=a["email"],
                address=a["address"],
                commune=commune,
                kind=a["kind"],
                notify_sms=notify.get("sms"),
                notify_email=notify.get("email"),
                notify_zalo=bool(notify.get("zalo")),
            ),
        )
        if key is None:
            created = services.dossier_intake(**intake)
            return Response(self._created(request, created), status=status.HTTP_201_CREATED)
        answer = services.dossier_intake_once(
            idempotency_key=key,
            fingerprint=rules.request_fingerprint(request.data),
            answer=lambda created: (status.HTTP_201_CREATED, self._created(request, created)),
            **intake,
        )
        headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
        return Response(answer.body, status=answer.status, headers=headers)

    @staticmethod
    def _created(request, result: services.IntakeResult) -> dict:
        d = result.dossier
        return {
            "code": d.code,
            "status": d.status,
            "received_at": d.received_at and d.received_at.isoformat(),
            "due_at": d.due_at and d.due_at.isoformat(),
            "lookup_url": request.build_absolute_uri(selectors.dossier_lookup_path(d)),
            "version": d.version,
        }

    @extend_schema(
        parameters=[FilterSerializer], responses=DossierOutput(many=True), operation_id="dossiers_list"
    )
    def get(self, request):
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        qs = selectors.dossier_list_for(
            user=request.user,
            status=p.get("status"),
            overdue=p.get("overdue"),
            unit_code=p.get("unit"),
            search=p.get("q"),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(
            DossierOutput(page, many=True, context={"request": request}).data
        )


class DossierDetailApi(APIView):
    @extend_schema(responses=DossierDetailOutput, operation_id="dossiers_retrieve")
    def get(self, request, code: str):
        return _detail(request, _access(request.user, code))


# --- transitions -------------------------------------------------------------------------------------------


class VersionedInput(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Phiên bản hồ sơ đang xem; nếu đã thay đổi sẽ trả 409.",
    )


class AssignInput(VersionedInput):
    assignee = _text(150)


class RequestSupplementInput(VersionedInput):
    items = _list(_text(ITEM_MAX_LENGTH), ITEMS_MAX, min_length=1)
    reason = _text(REASON_MAX_LENGTH)


class TransferInput(VersionedInput):
    unit_code = _text(32)
    note = _note()


class ConsultInput(VersionedInput):
    unit_code = _text(32)
    question = _text(REASON_MAX_LENGTH)
    days = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, default=None
    )


class ConsultReplyInput(serializers.Serializer):
    step = serializers.IntegerField(min_value=1)
    answer = _text(REASON_MAX_LENGTH)


class ReasonInput(VersionedInput):
    reason = _text(REASON_MAX_LENGTH)


class ReturnInput(VersionedInput):
    collected_by = _text(200)
    note = _note()
    id_checked = serializers.BooleanField(default=True)
    life_event_letter = serializers.BooleanField(
        default=True, help_text="khai sinh, kết hôn, khai tử: false nếu không gửi thư chúc mừng/chia buồn"
    )
    letter_reason = _text(300, required=False, allow_blank=True, default="")


class ExtendInput(VersionedInput):
    reason = _text(REASON_MAX_LENGTH)
    new_due_at = serializers.DateTimeField(
        error_messages={
            "invalid": _("Ngày hẹn mới không hợp lệ; dùng ISO 8601, ví dụ 2026-12-02T17:00:00+07:00.")
        }
    )


class NoteInput(VersionedInput):
    note = _note()


def _assignee(v):
    assignee = active_user_by_username(username=v["assignee"])
    if assignee is None:
        raise serializers.ValidationError(
            {"assignee": [_("Không có cán bộ “%(username)s”.") % {"username": v["assignee"]}]}
        )
    return {"assignee": assignee}


def _fields(*names):
    return lambda v: {name: v[name] for name in names}


# action → (input serializer, validated input → the service's arguments); `services.dossier_act` runs it, as
# for the pages
ACTIONS = {
    "assign": (AssignInput, _assignee),
    "consult": (
        ConsultInput,
        lambda v: {"unit": _unit(v["unit_code"], "unit_code"), "question": v["question"], "days": v["days"]},
    ),
    "consultation-reply": (ConsultReplyInput, lambda v: {"step_seq": v["step"], "answer": v["answer"]}),
    "request-supplement": (RequestSupplementInput, _fields("items", "reason")),
    "receive-supplement": (VersionedInput, _fields()),
    "transfer": (TransferInput, lambda v: {"unit": _unit(v["unit_code"], "unit_code"), "note": v["note"]}),
    "submit": (NoteInput, _fields("note")),
    "approve": (NoteInput, _fields("note")),
    "refuse": (ReasonInput, _fields("reason")),
    "mark-ready": (VersionedInput, _fields()),
    "return-result": (
        ReturnInput,
        _fields("collected_by", "note", "id_checked", "life_event_letter", "letter_reason"),
    ),
    "withdraw": (ReasonInput, _fields("reason")),
    "extend": (ExtendInput, _fields("reason", "new_due_at")),
    "receive": (VersionedInput, _fields()),
    "refuse-intake": (ReasonInput, _fields("reason")),
}


def _action_view(action: str):
    input_serializer, arguments = ACTIONS[action]

    class DossierActionApi(APIView):
        @extend_schema(
            request=input_serializer,
            responses={200: DossierDetailOutput, **errors(403, 409)},
            operation_id=f"dossiers_{action.replace('-', '_')}",
            summary=f"Chuyển trạng thái: {action}",
            description="409 khi thao tác không được phép ở trạng thái hiện tại (hoặc hồ sơ vừa được "
            "người khác cập nhật); 403 khi vai trò không được thực hiện.",
        )
        def post(self, request, code: str):
            data = input_serializer(data=request.data)
            data.is_valid(raise_exception=True)
            # the service reads the dossier once, under its lock, checked against the user's scope (404 when
            # out of scope), and returns the updated row with its units and procedure: no other read
            reference = selectors.dossier_reference(user=request.user, code=_code(code))
            values = data.validated_data
            dossier = services.dossier_act(
                action,
                actor=request.user,
                dossier=reference,
                expected_version=values.get("version"),
                **arguments(values),
            )
            return _detail(request, dossier)

    DossierActionApi.__name__ = f"Dossier{action.title().replace('-', '')}Api"
    return DossierActionApi.as_view()


ACTION_VIEWS = {action: _action_view(action) for action in ACTIONS}


# --- public lookup -----------------------------------------------------------------------------------------


class LookupThrottle(BaseThrottle):
    """The client address's lookup budget, shared with the lookup pages (`LOOKUP_RATE`)."""

    def allow_request(self, request, view):
        return not rate_limited(request, group="lookup", rate=settings.LOOKUP_RATE)

    def wait(self):
        return 60


@extend_schema_serializer(component_name="PublicDossierStep")
class PublicStepOutput(serializers.Serializer):
    """Schema of a step of the public timeline (PublicOutput writes it directly)."""

    at = serializers.DateTimeField()
    status = serializers.CharField()
    status_label = serializers.CharField()


@extend_schema_serializer(component_name="PublicDossier")
class PublicOutput(serializers.Serializer):
    code = serializers.CharField()
    procedure_name = serializers.CharField(source="procedure.name")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    extended = serializers.BooleanField(source="is_extended")
    returned_at = serializers.DateTimeField(allow_null=True)
    collect_at = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    rating_url = serializers.URLField(
        required=False, help_text="đường link đánh giá sự hài lòng, có khi hồ sơ đã trả kết quả"
    )

    def get_collect_at(self, d: Dossier) -> str:
        office = office_of(unit=d.receiving_unit)
        where = office.name if office else d.receiving_unit.full_name
        if office and office.address:
            where = f"{where}, {office.address}"
        return where if d.delivery == Channel.COUNTER else d.get_delivery_display()

    @extend_schema_field(PublicStepOutput(many=True))
    def get_timeline(self, d: Dossier) -> list[dict]:
        return [
            {
                "at": at.isoformat(),
                "status": to_status,
                "status_label": str(_STATUS_LABELS[to_status]) if to_status in _STATUS_LABELS else "",
            }
            for at, to_status in selectors.dossier_public_timeline(dossier=d)
        ]

    def to_representation(self, d: Dossier) -> dict:
        """The fields above written out directly, as DossierOutput does (a test holds the two paths equal)."""
        return {
            "code": d.code,
            "procedure_name": d.procedure.name,
            "status": str(d.status),
            "status_label": _status_label(d.status),
            "received_at": _iso(d.received_at),
            "due_at": _iso(d.due_at),
            "extended": bool(d.is_extended),
            "returned_at": _iso(d.returned_at),
            "collect_at": self.get_collect_at(d),
            "timeline": self.get_timeline(d),
            **self._rating(d),
        }

    def _rating(self, d: Dossier) -> dict:
        """Once returned, the link of the rating page (the ratings app's; its last segment is the token)."""
        if d.status != Status.RETURNED:
            return {}
        path = reverse("ratings:link", args=[d.lookup_token])
        request = self.context.get("request")
        return {"rating_url": request.build_absolute_uri(path) if request else path}


# ASCII digits only (str.isdigit would take other scripts' digits too)
PHONE_LAST4 = re.compile(r"^[0-9]{4}$")


class PublicDossierApi(APIView):
    """Public status of a dossier by its code and the last 4 digits of the applicant's phone (no personal data).
    A wrong code and a wrong phone both answer 404."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LookupThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "phone_last4",
                {"type": "string", "pattern": PHONE_LAST4.pattern},
                required=True,
                description="4 số cuối điện thoại người nộp",
            )
        ],
        responses={200: PublicOutput},
        operation_id="public_dossier_lookup",
    )
    def get(self, request, code: str):
        last4 = request.query_params.get("phone_last4", "")
        if not PHONE_LAST4.fullmatch(last4):
            raise serializers.ValidationError(
                {"phone_last4": [_("Nhập đúng 4 chữ số cuối của số điện thoại.")]}
            )
        dossier = None if "\x00" in code else selectors.dossier_public_by_code(code=code, phone_last4=last4)
        if dossier is None:
            raise NotFound(_("Không tìm thấy hồ sơ với mã và số điện thoại đã nhập."))
        return Response(PublicOutput(dossier, context={"request": request}).data)
