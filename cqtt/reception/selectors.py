"""Reads of citizen reception. Staff reads are scoped to the units where the user holds a reception role (the
Fatherland Front observer reads, with ID numbers and phones masked — ADR 0013); another unit's session or visit
is 404. The public schedule gives sessions without any personal data."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from cqtt.accounts.models import Role
from cqtt.accounts.permissions import user_roles_in, user_scope
from cqtt.core.errors import NotInScope
from cqtt.dossiers.rules import mask_digits
from cqtt.units.models import Unit, UnitLevel

from . import rules
from .models import PUBLIC_SESSION_STATUSES, Conclusion, Session, Task, Visit, VisitStatus


def reception_units(user) -> list[Unit]:
    """The units whose reception pages the user may open (a reading role; communes below a province)."""
    scope = user_scope(user)
    if scope.is_global:
        return list(Unit.objects.filter(level=UnitLevel.COMMUNE).order_by("path")[:500])
    grants = [g for g in scope.grants if g.role in rules.READERS]
    if not grants:
        return []
    q = Q(pk__in=[g.unit_id for g in grants])
    for g in grants:
        if g.role == Role.PROVINCIAL_SUPERVISOR:
            q |= Q(path__startswith=g.unit_path, level=UnitLevel.COMMUNE)
    return list(Unit.objects.filter(q).order_by("path")[:500])


def _unit_ids(user) -> list[int] | None:
    scope = user_scope(user)
    if scope.is_global:
        return None
    roots = {g.unit_path for g in scope.grants if g.role in rules.READERS}
    if not roots:
        return []
    q = Q()
    for path in roots:
        q |= Q(path__startswith=path)
    return list(Unit.objects.filter(q).values_list("pk", flat=True))


def _scoped(model, user) -> QuerySet:
    ids = _unit_ids(user)
    return model.objects.all() if ids is None else model.objects.filter(unit_id__in=ids)


def roles_at(user, unit: Unit) -> set[str]:
    return user_roles_in(user, unit)


def sees_personal_data(user, unit: Unit) -> bool:
    """Whether the user sees a visitor's ID number and phone in full (not the read-only observer)."""
    return bool(user_roles_in(user, unit) & rules.FULL_DATA_ROLES)


def shown_id(value: str, full: bool) -> str:
    return value if full else mask_digits(value)


# --- sessions ----------------------------------------------------------------------------------------------


def session_list_for(*, user, unit: Unit, upcoming_only: bool = False) -> QuerySet[Session]:
    qs = _scoped(Session, user).filter(unit=unit).select_related("leader", "unit")
    if upcoming_only:
        qs = qs.filter(starts_at__gte=timezone.now() - dt.timedelta(hours=12))
    return qs.order_by("-starts_at", "-pk")


def access_session(*, user, pk: int) -> Session:
    session = _scoped(Session, user).select_related("leader", "unit").filter(pk=pk).first()
    if session is None:
        raise NotInScope("reception session")
    return session


def _labelled(events, process) -> list:
    for e in events:
        e.label = process[e.action].label if e.action in process else e.action
    return events


def session_events(*, session: Session) -> list:
    return _labelled(list(session.events.select_related("actor")), rules.SESSION)


def session_conclusion(*, session: Session) -> Conclusion | None:
    return Conclusion.objects.filter(session=session).select_related("issued_by").first()


def conclusion_tasks(*, conclusion: Conclusion | None) -> list[Task]:
    return list(conclusion.tasks.all()) if conclusion is not None else []


def access_task(*, user, pk: int) -> Task:
    task = Task.objects.select_related("conclusion__session__unit").filter(pk=pk).first()
    ids = _unit_ids(user)
    if task is None or (ids is not None and task.conclusion.session.unit_id not in ids):
        raise NotInScope("reception task")
    return task


def tasks_overdue(*, user, unit: Unit, today: dt.date | None = None) -> QuerySet[Task]:
    today = today or timezone.localdate()
    ids = _unit_ids(user)
    qs = Task.objects.filter(conclusion__session__unit=unit, status="open", due_on__lt=today)
    if ids is not None and unit.pk not in ids:
        return qs.none()
    return qs.select_related("conclusion__session")


# --- visits ------------------------------------------------------------------------------------------------


def visit_list_for(
    *,
    user,
    unit: Unit,
    kind: str | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    today: dt.date | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Visit]:
    """The unit's register rows the user may see, newest first. Overdue: still unanswered after its due day, or
    a refusal whose written notice is late."""
    qs = _scoped(Visit, user).filter(unit=unit)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(received_on__gte=date_from)
    if date_to:
        qs = qs.filter(received_on__lte=date_to)
    if overdue is not None:
        today = today or timezone.localdate()
        late = Q(status=VisitStatus.OPEN, answer_due_on__lt=today) | Q(
            status=VisitStatus.REFUSED, refusal_notice_due_on__lt=today, refusal_notice_on__isnull=True
        )
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return qs.select_related("unit", "session").order_by("-received_on", "-number")


def access_visit(*, user, pk: int) -> Visit:
    visit = (
        _scoped(Visit, user).select_related("unit", "session__leader", "received_by").filter(pk=pk).first()
    )
    if visit is None:
        raise NotInScope("reception visit")
    return visit


def visit_events(*, visit: Visit) -> list:
    return _labelled(list(visit.events.select_related("actor")), rules.VISIT)


def register_rows(*, user, unit: Unit, date_from: dt.date, date_to: dt.date) -> list[Visit]:
    """The register (Mẫu 03/TCD) of a period in its own order: by day and number."""
    return list(
        _scoped(Visit, user)
        .filter(unit=unit, received_on__gte=date_from, received_on__lte=date_to)
        .order_by("received_on", "number")
    )


# --- public (no personal data) -----------------------------------------------------------------------------


def public_unit(*, code: str) -> Unit | None:
    if not code or len(code) > 32 or "\x00" in code:
        return None
    return (
        Unit.objects.filter(code=code, is_active=True, level__in=(UnitLevel.COMMUNE, UnitLevel.PROVINCE))
        .order_by()
        .first()
    )


def session_list_public(*, unit: Unit, since: dt.datetime | None = None) -> QuerySet[Session]:
    """Published (and postponed, with the new date) sessions of a unit from a week ago on, soonest first."""
    since = since or timezone.now() - dt.timedelta(days=7)
    return (
        Session.objects.filter(unit=unit, status__in=PUBLIC_SESSION_STATUSES, starts_at__gte=since)
        .select_related("leader")
        .order_by("starts_at", "pk")
    )
