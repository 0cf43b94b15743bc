"""Reads of complaints, denunciations and petitions, scoped to the units where the user reads cases (the desk,
handlers, the province's inspectors, the Front's observer; not the unit's administrator): another unit's case is
404. Nothing here returns the person's identity; only `services.identity_reveal` does."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import user_roles_in, user_scope
from cqtt.core.errors import NotInScope
from cqtt.units.models import Counter, Unit

from . import rules
from .models import OPEN_STATUSES, Case, CaseEvent, IdentityAccess, Status

CODE_MAX = 32
LIST_FIELDS = (
    "pk",
    "code",
    "unit_id",
    "kind",
    "status",
    "channel",
    "received_on",
    "acceptance_due_on",
    "resolution_due_on",
    "closed_on",
    "on_time",
    "anonymous",
    "content",
    "assignee_id",
    "version",
)


def reader_unit_ids(user) -> list[int] | None:
    """Ids of the units whose cases the user may read (None: all)."""
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


def case_units(user) -> list[Unit]:
    """The units the user may pick on the case pages: where they hold a reading role, communes below a province."""
    scope = user_scope(user)
    if scope.is_global:
        return list(Unit.objects.filter(level="commune").order_by("path")[:500])
    grants = [g for g in scope.grants if g.role in rules.READERS]
    if not grants:
        return []
    q = Q(pk__in=[g.unit_id for g in grants])
    for g in grants:
        q |= Q(path__startswith=g.unit_path, level="commune")
    return list(Unit.objects.filter(q).order_by("path")[:500])


def intake_units(user) -> list[Unit]:
    return [u for u in case_units(user) if user_roles_in(user, u) & rules.INTAKE]


def _scoped(user) -> QuerySet[Case]:
    ids = reader_unit_ids(user)
    return Case.objects.all() if ids is None else Case.objects.filter(unit_id__in=ids)


def case_list_for(
    *,
    user,
    unit: Unit | None = None,
    kind: str | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    today: dt.date | None = None,
) -> QuerySet[Case]:
    """The cases the user may see, newest received first. Overdue: open past its current deadline."""
    qs = _scoped(user)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if overdue is not None:
        late = _late(today or timezone.localdate())
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return qs.only(*LIST_FIELDS).order_by("-received_on", "-pk")


def case_get_for(*, user, code: str) -> Case:
    if not code or len(code) > CODE_MAX or "\x00" in code:
        raise NotInScope("case")
    case = (
        _scoped(user)
        .select_related("unit", "handler", "assignee", "split_from")
        .filter(code=code.strip().upper())
        .first()
    )
    if case is None:
        raise NotInScope("case")
    return case


def case_events(case: Case) -> list[CaseEvent]:
    return list(case.events.select_related("actor"))


def case_splits(case: Case) -> list[Case]:
    return list(case.splits.only("pk", "code", "kind", "status").order_by("pk"))


def may_read_access_log(user, case: Case) -> bool:
    """Who looked at the identity (never the identity itself): the case's leaders and the province's inspectors."""
    return bool(user_roles_in(user, case.unit) & {Role.LEADER, Role.PROVINCIAL_SUPERVISOR})


def access_log(case: Case) -> list[IdentityAccess]:
    return list(case.identity_accesses.select_related("user"))


def _late(today: dt.date) -> Q:
    return Q(status=Status.RECEIVED, acceptance_due_on__lt=today) | Q(
        status__in=(Status.ACCEPTED, Status.INFORMATION), resolution_due_on__lt=today
    )


def counts_for(*, user, unit: Unit, today: dt.date | None = None) -> dict[str, int]:
    """The unit's cases by status, overdue and in all, in one pass over the unit's rows."""
    today = today or timezone.localdate()
    qs = _scoped(user).filter(unit=unit)
    out = qs.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=_late(today)),
        **{s: Count("pk", filter=Q(status=s)) for s in Status.values},
    )
    out["open"] = sum(out[s] for s in OPEN_STATUSES)
    return out


def may_open(user) -> bool:
    return bool(case_units(user)) if getattr(user, "is_authenticated", False) else False


def case_counters(case: Case) -> QuerySet[Counter]:
    """The active counters of the case's unit (and its offices below), for a footage request."""
    return (
        Counter.objects.filter(office__unit__path__startswith=case.unit.path, is_active=True)
        .select_related("office__unit")
        .order_by("office__unit__path", "number")
    )


def case_staff(case: Case) -> QuerySet[User]:
    """The active staff of the case's unit, the officer a complaint may be about."""
    return (
        User.objects.filter(roles__unit__path__startswith=case.unit.path, is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


def counter_retention_days(counter: Counter) -> list[int]:
    """How many days each active camera of the counter keeps its footage."""
    return list(counter.cameras.filter(is_active=True).values_list("retention_days", flat=True))
