"""The letters' API: list (scoped), sign (leader of the unit), PDF."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from cqtt.core.openapi import errors
from cqtt.core.serializer_fields import BoundedCharField

from . import selectors, services
from .models import LetterKind, LetterStatus
from .printouts import letter_pdf


def _iso(value):
    return value.isoformat() if value else None


@extend_schema_serializer(component_name="Letter")
class LetterOutput(serializers.Serializer):
    id = serializers.CharField()
    number = serializers.CharField(allow_null=True, help_text="số/ký hiệu, cấp khi ký")
    kind = serializers.ChoiceField(choices=LetterKind.values)
    status = serializers.ChoiceField(choices=LetterStatus.values)
    dossier = serializers.CharField(allow_null=True)
    recipient = serializers.CharField()
    proposed_due_at = serializers.DateTimeField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    signer = serializers.CharField(allow_null=True)
    late = serializers.BooleanField()

    def to_representation(self, x):
        return {
            "id": x.pk,
            "number": x.number_text or None,
            "kind": x.kind,
            "status": x.status,
            "dossier": x.dossier.code if x.dossier_id else None,
            "recipient": x.recipient_name,
            "proposed_due_at": _iso(x.proposed_due_at),
            "signed_at": _iso(x.signed_at),
            "signer": x.signer.username if x.signer_id else None,
            "late": x.late,
        }


class LetterListApi(APIView):
    class FilterSerializer(serializers.Serializer):
        dossier = BoundedCharField(max_length=40, required=False)
        kind = serializers.ChoiceField(choices=LetterKind.values, required=False)
        status = serializers.ChoiceField(choices=LetterStatus.values, required=False)

    @extend_schema(
        parameters=[FilterSerializer],
        responses={200: LetterOutput(many=True), **errors(400)},
        operation_id="letters_list",
        summary="Thư của đơn vị (lọc theo hồ sơ, loại, trạng thái)",
    )
    def get(self, request):
        f = self.FilterSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        v = f.validated_data
        rows = selectors.letters_for(
            user=request.user, dossier_code=v.get("dossier"), kind=v.get("kind"), status=v.get("status")
        )[:500]
        return Response([LetterOutput(x).data for x in rows])


class SignInput(serializers.Serializer):
    proposed_due_at = serializers.DateTimeField(required=False)
    reason = BoundedCharField(max_length=2000, required=False, allow_blank=False)
    version = serializers.IntegerField(required=False, min_value=0)


def _letter(request, pk: str):
    letter = selectors.letter_for(user=request.user, pk=pk)
    if letter is None:
        raise NotFound(_("Không tìm thấy thư hoặc bạn không có quyền xem thư này."))
    return letter


class LetterSignApi(APIView):
    @extend_schema(
        request=SignInput,
        responses={200: LetterOutput, **errors(400, 403, 404, 409)},
        operation_id="letters_sign",
        summary="Lãnh đạo ký thư (thư xin lỗi: đồng thời hẹn lại ngày trả kết quả)",
    )
    def post(self, request, pk: str):
        letter = _letter(request, pk)
        data = SignInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        signed = services.letter_sign(
            actor=request.user,
            letter=letter,
            proposed_due_at=v.get("proposed_due_at"),
            reason=v.get("reason"),
            expected_version=v.get("version"),
        )
        return Response(LetterOutput(signed).data)


class LetterPdfApi(APIView):
    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), **errors(404)},
        operation_id="letters_pdf",
        parameters=[OpenApiParameter("pk", str, OpenApiParameter.PATH)],
    )
    def get(self, request, pk: str):
        letter = _letter(request, pk)
        response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="thu-{letter.pk}.pdf"'
        return response
