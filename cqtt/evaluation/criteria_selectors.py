"""Reads of the model's criteria, scoped through the permission layer: the province's supervisors (the steering
committee's inspection team) see the province's sets, cycles, every unit's assessment, targets and outreach; a
commune's leader, specialists and Fatherland Front observer see their own unit's assessments and outreach; any
other unit gets 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.accounts.permissions import user_roles_in, user_scope
from cqtt.core.errors import NotInScope
from cqtt.units.models import Unit, UnitLevel

from . import criteria_rules as rules
from .criteria_models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    Cycle,
    Evidence,
    OutreachSession,
    PilotUnit,
    RolloutTarget,
)


def _pk(value) -> int | None:
    """An id from a path or a form: a positive whole number that fits the column, else None (answers 404)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def supervised_provinces(user) -> list[Unit]:
    """The provinces where the user is on the inspection team (a supervisor's grant at the province)."""
    scope = user_scope(user)
    qs = Unit.objects.filter(level=UnitLevel.PROVINCE)
    if not scope.is_global:
        paths = [g.unit_path for g in scope.grants if g.role in rules.INSPECTORS]
        q = Q(pk__in=[])
        for p in paths:
            q |= Q(path=p)
        qs = qs.filter(q)
    return list(qs.order_by("path"))


def supervises(user, province: Unit) -> bool:
    return bool(user_roles_in(user, province) & rules.INSPECTORS)


def _reader_q(user, field: str = "unit__path") -> Q:
    """Units the user reads as a commune's staff (leader, specialist, observer) or as the province's team."""
    scope = user_scope(user)
    if scope.is_global:
        return Q()
    q = Q(pk__in=[])
    for g in scope.grants:
        if g.role in rules.READERS:
            q |= Q(**{f"{field}__startswith": g.unit_path})
    return q


def may_use_criteria(user) -> bool:
    scope = user_scope(user)
    return scope.is_global or any(g.role in rules.READERS for g in scope.grants)


def access_province(*, user, code: str | None) -> Unit:
    """A province the user supervises (the first one without `code`); NotInScope otherwise."""
    provinces = supervised_provinces(user)
    province = (
        next((p for p in provinces if p.code == code), None)
        if code
        else (provinces[0] if provinces else None)
    )
    if province is None:
        raise NotInScope(_("Không tìm thấy tỉnh hoặc bạn không thuộc Ban Chỉ đạo của tỉnh này."))
    return province


# --- criteria sets -----------------------------------------------------------------------------------------


def criteria_sets_for(*, province: Unit) -> QuerySet[CriteriaSet]:
    """The built-in sets and the province's own, every version."""
    return (
        CriteriaSet.objects.filter(Q(province__isnull=True) | Q(province=province))
        .annotate(n_criteria=Count("criteria", distinct=True), n_cycles=Count("cycles", distinct=True))
        .order_by("province", "code", "-version")
    )


def access_criteria_set(*, user, pk) -> CriteriaSet:
    """A built-in set (every reader), or a province's set (its supervisors, and units with a cycle using it)."""
    cs = CriteriaSet.objects.select_related("province").filter(pk=_pk(pk)).first()
    if cs is None or not may_use_criteria(user):
        raise NotInScope(_("Không tìm thấy bộ tiêu chí."))
    if cs.province is not None and not supervises(user, cs.province):
        if not Assessment.objects.filter(_reader_q(user), cycle__criteria_set=cs).exists():
            raise NotInScope(_("Không tìm thấy bộ tiêu chí."))
    return cs


# --- cycles and assessments --------------------------------------------------------------------------------


def cycles_for(*, user) -> QuerySet[Cycle]:
    """Cycles of the provinces the user supervises, and cycles in which one of the user's units takes part."""
    provinces = [p.pk for p in supervised_provinces(user)]
    mine = Assessment.objects.filter(_reader_q(user)).values("cycle_id")
    return (
        Cycle.objects.filter(Q(province_id__in=provinces) | Q(pk__in=mine))
        .select_related("province", "criteria_set")
        .annotate(
            n_units=Count("assessments", distinct=True),
            n_recognised=Count(
                "assessments", filter=Q(assessments__status=AssessmentStatus.RECOGNISED), distinct=True
            ),
        )
        .order_by("-starts_on", "-pk")
    )


def access_cycle(*, user, pk) -> Cycle:
    cycle = cycles_for(user=user).filter(pk=_pk(pk)).first()
    if cycle is None:
        raise NotInScope(_("Không tìm thấy đợt đánh giá hoặc bạn không có quyền xem."))
    return cycle


def assessments_of(*, user, cycle: Cycle) -> QuerySet[Assessment]:
    """The cycle's assessments the user reads: all of them for the province's team, its own units' otherwise."""
    qs = cycle.assessments.select_related("unit")
    if not supervises(user, cycle.province):
        qs = qs.filter(_reader_q(user))
    return qs.order_by("unit__path")


def access_assessment(*, user, pk) -> Assessment:
    a = (
        Assessment.objects.select_related("unit", "cycle", "cycle__province", "cycle__criteria_set")
        .filter(pk=_pk(pk))
        .first()
    )
    if a is None or not (supervises(user, a.cycle.province) or user_roles_in(user, a.unit) & rules.READERS):
        raise NotInScope(_("Không tìm thấy kết quả đánh giá hoặc bạn không có quyền xem."))
    return a


def assessment_rows(a: Assessment) -> list[dict]:
    """Each criterion with the unit's and the team's scores, comments and evidence files."""
    scores = a.scores.select_related("criterion").prefetch_related("evidence").order_by("criterion__position")
    return [{"score": s, "criterion": s.criterion, "evidence": list(s.evidence.all())} for s in scores]


def assessment_actions(user, a: Assessment) -> list:
    roles = user_roles_in(user, a.unit) | (user_roles_in(user, a.cycle.province) & rules.INSPECTORS)
    return rules.ASSESSMENT.available(a.status, roles)


def access_evidence(*, user, pk) -> Evidence:
    ev = Evidence.objects.select_related("score__assessment").filter(pk=_pk(pk)).first()
    if ev is None:
        raise NotInScope(_("Không tìm thấy tệp minh chứng."))
    access_assessment(user=user, pk=ev.score.assessment_id)
    return ev


def cycle_report(*, cycle: Cycle) -> dict:
    """The facts of the cycle's review report: units by state, the recognised ones with their decisions, the
    totals and the rewards proposed."""
    assessments = list(
        cycle.assessments.select_related("unit").prefetch_related("rewards").order_by("unit__path")
    )
    by_status = {s.value: 0 for s in AssessmentStatus}
    for a in assessments:
        by_status[a.status] += 1
    return {
        "cycle": cycle,
        "assessments": assessments,
        "by_status": [(AssessmentStatus(k).label, n) for k, n in by_status.items()],
        "recognised": [a for a in assessments if a.status == AssessmentStatus.RECOGNISED],
        "rewards": [(a, r) for a in assessments for r in a.rewards.all()],
        "reviews": list(cycle.reviews.order_by("held_on", "pk")),
        "pass_mark": cycle.criteria_set.pass_mark,
        "max_total": rules.max_total(c.weight for c in cycle.criteria_set.criteria.all()),
    }


# --- pilots, targets, outreach -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRow:
    target: RolloutTarget
    progress: rules.Progress
    overdue: bool


def recognised_units(*, province: Unit, on: dt.date | None = None) -> int:
    """Communes of the province recognised (any cycle) by a decision dated on or before `on`."""
    qs = Assessment.objects.filter(
        cycle__province=province, status=AssessmentStatus.RECOGNISED, unit__path__startswith=province.path
    )
    if on is not None:
        qs = qs.filter(decision_date__lte=on)
    return qs.values("unit_id").distinct().count()


def targets_progress(*, province: Unit, today: dt.date | None = None) -> list[TargetRow]:
    today = today or timezone.localdate()
    communes = Unit.objects.filter(path__startswith=province.path, level=UnitLevel.COMMUNE).count()
    rows = []
    for t in RolloutTarget.objects.filter(province=province).order_by("due_on", "pk"):
        recognised = recognised_units(province=province, on=min(today, t.due_on))
        progress = rules.target_progress(
            percent=t.percent, count=t.count, communes=communes, recognised=recognised
        )
        rows.append(TargetRow(t, progress, overdue=today > t.due_on and not progress.met))
    return rows


def pilots_of(*, province: Unit) -> QuerySet[PilotUnit]:
    return PilotUnit.objects.filter(province=province).select_related("unit").order_by("unit__path")


def outreach_for(*, user, unit: Unit | None = None) -> QuerySet[OutreachSession]:
    qs = OutreachSession.objects.filter(_reader_q(user)).select_related("unit")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs.order_by("-held_on", "-pk")


def outreach_counts(*, user, unit: Unit | None = None) -> list[dict]:
    """Sessions and attendees per unit and year."""
    rows = (
        outreach_for(user=user, unit=unit)
        .values("unit__code", "unit__full_name", "held_on__year")
        .annotate(sessions=Count("pk"), attendees=Sum("attendees"))
        .order_by("-held_on__year", "unit__full_name")
    )
    return [
        {
            "unit": r["unit__code"],
            "unit_name": r["unit__full_name"],
            "year": r["held_on__year"],
            "sessions": r["sessions"],
            "attendees": r["attendees"] or 0,
        }
        for r in rows
    ]


def writable_units(*, user) -> list[Unit]:
    """The communes where the user may record an outreach session (staff of the commune or the province team)."""
    scope = user_scope(user)
    qs = Unit.objects.filter(level=UnitLevel.COMMUNE)
    if not scope.is_global:
        q = Q(pk__in=[])
        for g in scope.grants:
            if g.role in rules.UNIT_WRITERS | rules.INSPECTORS:
                q |= Q(path__startswith=g.unit_path)
        qs = qs.filter(q)
    return list(qs.order_by("path")[:500])
