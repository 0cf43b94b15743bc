"""Reads of the reports: a user sees the reports of the units whose indices they read (their roles' units and
everything below them); any other report is 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cqtt.accounts.permissions import user_roles_in, user_scope
from cqtt.core.errors import NotInScope
from cqtt.units.models import Unit, UnitLevel

from .reports_models import Report
from .selectors import READ_ROLES, evaluation_units_for


def reports_for(*, user) -> QuerySet[Report]:
    """The reports the user may read, newest first, without their files."""
    qs = Report.objects.select_related("unit", "requested_by").defer("xlsx", "pdf")
    if not user_scope(user).is_global:
        paths = [u.path for u in evaluation_units_for(user=user)]
        if not paths:
            return qs.none()
        where = Q()
        for path in paths:
            where |= Q(unit__path__startswith=path)
        qs = qs.filter(where)
    return qs.order_by("-requested_at", "-pk")


def access_report(*, user, pk, with_files: bool = False) -> Report:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotInScope("report") from None
    qs = Report.objects.select_related("unit", "requested_by")
    report = (qs if with_files else qs.defer("xlsx", "pdf")).filter(pk=pk).first()
    if report is None or not (user_roles_in(user, report.unit) & READ_ROLES):
        raise NotInScope("report")
    return report


def report_units_for(*, user) -> list[Unit]:
    """The units a report may be asked for: the user's provinces with their communes, and their communes."""
    out: list[Unit] = []
    for unit in evaluation_units_for(user=user):
        out.append(unit)
        if unit.level == UnitLevel.PROVINCE:
            out += list(
                Unit.objects.filter(path__startswith=unit.path, level=UnitLevel.COMMUNE).order_by("code")
            )
    return out
