"""The dialogues API: public reads of a unit's announced and past dialogues with their commitments and on-time
flags (no personal data), and the staff endpoints that mark a commitment done or dropped."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from cqtt.core.openapi import errors
from cqtt.core.ratelimit import rate_limited
from cqtt.core.serializer_fields import BoundedCharField
from cqtt.units.models import UnitLevel
from cqtt.units.selectors import unit_by_code

from . import rules, selectors, services
from .models import CommitmentStatus, Kind, Status


class LookupThrottle(BaseThrottle):
    def allow_request(self, request, view):
        return not rate_limited(request, group="lookup", rate=settings.LOOKUP_RATE)

    def wait(self):
        return 60


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


@extend_schema_serializer(component_name="PublicDialogueCommitment")
class CommitmentOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()
    owner_position = serializers.CharField(source="owner.position")
    due_date = serializers.DateField()
    status = serializers.ChoiceField(choices=CommitmentStatus.choices)
    done_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    kept_on_time = serializers.BooleanField(source="kept", allow_null=True)


@extend_schema_serializer(component_name="PublicDialogue")
class DialogueOutput(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    topic = serializers.CharField()
    starts_at = serializers.SerializerMethodField()
    place = serializers.CharField()
    chair = serializers.CharField()
    co_organiser = serializers.CharField()
    attendees = serializers.IntegerField(allow_null=True)
    commitments = serializers.SerializerMethodField()
    kept_on_time = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()

    def get_starts_at(self, d) -> str:
        return _iso(d.starts_at)

    def get_commitments(self, d) -> list[dict]:
        return CommitmentOutput(d.flagged, many=True).data

    def get_kept_on_time(self, d) -> int:
        return selectors.tally(d.flagged).kept

    def get_total(self, d) -> int:
        return len(d.flagged)


class PublicDialoguesApi(APIView):
    """A unit's announced and past dialogues, each with its commitments and whether they were kept on time."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LookupThrottle]

    @extend_schema(
        parameters=[OpenApiParameter("unit", str, required=True, description="mã xã, phường")],
        responses={200: DialogueOutput(many=True), **errors(404)},
        operation_id="public_dialogues",
        summary="Các buổi đối thoại và việc thực hiện cam kết của một xã, phường",
    )
    def get(self, request):
        code = (request.query_params.get("unit") or "").strip()
        unit = unit_by_code(code=code) if code and len(code) <= 32 and "\x00" not in code else None
        if unit is None or not unit.is_active or unit.level != UnitLevel.COMMUNE:
            raise NotFound(_("Không tìm thấy xã, phường này."))
        rows = selectors.public_dialogues_with_commitments(unit=unit)
        return Response(DialogueOutput(rows, many=True).data)


class PublicDialogueApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LookupThrottle]

    @extend_schema(
        responses={200: DialogueOutput, **errors(404)},
        operation_id="public_dialogue",
        summary="Một buổi đối thoại: cam kết và kết quả thực hiện",
    )
    def get(self, request, code: str):
        dialogue = selectors.dialogue_public_by_code(code=code)
        if dialogue is None:
            raise NotFound(_("Không tìm thấy buổi đối thoại."))
        dialogue.flagged = selectors.public_commitments(dialogue=dialogue)
        return Response(DialogueOutput(dialogue).data)


@extend_schema_serializer(component_name="DialogueCommitment")
class StaffCommitmentOutput(CommitmentOutput):
    owner_id = serializers.IntegerField()
    evidence = serializers.CharField()
    reason = serializers.CharField()
    version = serializers.IntegerField()


class CompleteInput(serializers.Serializer):
    done_on = serializers.DateField(
        error_messages={
            "required": _("Nhập ngày hoàn thành."),
            "invalid": _("Ngày không hợp lệ (YYYY-MM-DD)."),
        }
    )
    evidence = BoundedCharField(max_length=services.LONG_MAX)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class DropInput(serializers.Serializer):
    reason = BoundedCharField(max_length=services.TEXT_MAX)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


def _commitment_view(action: str, input_serializer):
    class DialogueCommitmentActionApi(APIView):
        @extend_schema(
            request=input_serializer,
            responses={200: StaffCommitmentOutput, **errors(400, 403, 404, 409)},
            operation_id=f"dialogue_commitment_{action}",
            summary=f"Cam kết tại đối thoại: {action}",
        )
        def post(self, request, pk: str):
            commitment = selectors.access_commitment(user=request.user, pk=pk)  # NotInScope → 404
            data = input_serializer(data=request.data)
            data.is_valid(raise_exception=True)
            v = dict(data.validated_data)
            version = v.pop("version", None)
            services.commitment_act(
                action, actor=request.user, commitment=commitment, expected_version=version, **v
            )
            commitment = selectors.access_commitment(user=request.user, pk=pk)
            commitment.kept = rules.kept_on_time(
                status=commitment.status, due_date=commitment.due_date, done_on=commitment.done_on
            )
            commitment.overdue = rules.is_overdue(
                status=commitment.status, due_date=commitment.due_date, today=selectors.today()
            )
            return Response(StaffCommitmentOutput(commitment).data)

    DialogueCommitmentActionApi.__name__ = f"DialogueCommitment{action.title()}Api"
    return DialogueCommitmentActionApi.as_view()


COMMITMENT_ACTION_VIEWS = {
    "complete": _commitment_view("complete", CompleteInput),
    "drop": _commitment_view("drop", DropInput),
}
