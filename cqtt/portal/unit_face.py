"""A unit's public face: `/don-vi/<code>/` (name, address, office hours, map link, hotline, the directory of its
officials, the reception schedule, its conduct codes, answered feedback, dialogues, the procedures it offers with
online submission) and the directory API. Everything shown is public information about the unit and its
officials; nothing of a citizen (published feedback was stripped of personal data when published)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cqtt.accounts.selectors import directory_of
from cqtt.core.caching import free_of_personal_data
from cqtt.dialogues.selectors import dialogue_list_public
from cqtt.evaluation.selectors import unit_public_scorecard
from cqtt.feedback.selectors import feedback_list_public
from cqtt.procedures.selectors import procedure_list_public
from cqtt.ratings.selectors import conduct_codes_public
from cqtt.reception.selectors import session_list_public
from cqtt.units.selectors import office_of, unit_list_public, unit_public
from cqtt.workdays.selectors import schedule_for

ONLINE_LEVELS = ("toan_trinh", "mot_phan")
FEEDBACK_SHOWN = 5
DIALOGUES_SHOWN = 5
PROCEDURES_SHOWN = 30


def map_link(*parts: str) -> str:
    """An OpenStreetMap search for the address (no map script on the page)."""
    query = ", ".join(p for p in parts if p)
    return "https://www.openstreetmap.org/search?" + urlencode({"query": query}) if query else ""


@free_of_personal_data
def unit_find(request):
    """Find a commune's page by (part of) its name, without diacritics; plain GET form."""
    q = (request.GET.get("q") or "").replace("\x00", "")[:100].strip()
    found = list(unit_list_public(type="commune", q=q)[:20]) if q else []
    return render(request, "portal/unit_find.html", {"q": q, "found": found})


@free_of_personal_data
def unit_page(request, code: str):
    unit = unit_public(code=code)
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị này."))
    office = office_of(unit=unit)
    address = unit.address or (office.address if office else "")
    procedures = list(procedure_list_public(unit=unit.code)[:PROCEDURES_SHOWN])
    for p in procedures:
        p.is_online = p.online_level in ONLINE_LEVELS
    context = {
        "unit": unit,
        "office": office,
        "address": address,
        "map_url": map_link(address, unit.full_name) if address else "",
        "hotline": unit.hotline,
        "phone": unit.phone or (office.phone if office else ""),
        "schedule": schedule_for(unit),
        "directory": directory_of(unit=unit),
        "sessions": list(session_list_public(unit=unit)[:10]),
        "conduct_codes": conduct_codes_public(unit=unit),
        "feedback": list(feedback_list_public(unit=unit)[:FEEDBACK_SHOWN]),
        "dialogues": list(dialogue_list_public(unit=unit)[:DIALOGUES_SHOWN]),
        "procedures": procedures,
        # the scorecard from the evaluation app's read model (this month, quarter and year to date)
        "scorecard": unit_public_scorecard(unit, timezone.localdate()),
    }
    return render(request, "portal/unit.html", context)


class PublicUnitDirectoryApi(APIView):
    """GET: the unit's leaders and officials (phone null unless the official made it public)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema_serializer(component_name="PublicUnitDirectoryEntry")
    class OutputSerializer(serializers.Serializer):
        full_name = serializers.CharField()
        position = serializers.CharField()
        responsibilities = serializers.CharField()
        counter = serializers.CharField(allow_null=True)
        phone = serializers.CharField(allow_null=True)

    @extend_schema(operation_id="public_unit_directory", responses=OutputSerializer(many=True))
    def get(self, request, code: str):
        unit = unit_public(code=code)
        if unit is None:
            raise NotFound(_("Không tìm thấy đơn vị này."))
        return Response(self.OutputSerializer(directory_of(unit=unit), many=True).data)
