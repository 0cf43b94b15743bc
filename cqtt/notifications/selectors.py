"""Reads of the notices, scoped: staff of a unit (not the Fatherland Front observer, who sees no citizen's
messages) see the messages that unit sent."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet

from cqtt.accounts.models import Role
from cqtt.accounts.permissions import user_scope
from cqtt.units.models import Unit

from .models import FAILED, Message, MessageStatus, NoticeTemplate

STAFF_ROLES = frozenset(
    {Role.COUNTER_OFFICER, Role.SPECIALIST, Role.LEADER, Role.UNIT_ADMIN, Role.PROVINCIAL_SUPERVISOR}
)


def units_for(user, roles) -> list[Unit]:
    """The units a page lets the user pick: those where they hold one of `roles`, with the communes below each
    (a provincial supervisor picks a commune), by path."""
    scope = user_scope(user)
    if scope.is_global:
        return list(Unit.objects.filter(level="commune").order_by("path")[:500])
    grants = [g for g in scope.grants if g.role in roles]
    if not grants:
        return []
    q = Q(pk__in=[g.unit_id for g in grants])
    for g in grants:
        q |= Q(path__startswith=g.unit_path, level="commune")
    return list(Unit.objects.filter(q).order_by("path")[:500])


def staff_unit_ids(user) -> list[int] | None:
    """Ids of the units whose messages (and letters) the user may read: staff roles, not the observer (None: all)."""
    scope = user_scope(user)
    if scope.is_global:
        return None
    roots = {g.unit_path for g in scope.grants if g.role in STAFF_ROLES}
    if not roots:
        return []
    q = Q()
    for path in roots:
        q |= Q(path__startswith=path)
    return list(Unit.objects.filter(q).values_list("pk", flat=True))


def messages_for(
    *, user, dossier_code: str | None = None, unit: Unit | None = None, status: str | None = None
) -> QuerySet[Message]:
    ids = staff_unit_ids(user)
    qs = Message.objects.all() if ids is None else Message.objects.filter(unit_id__in=ids)
    if dossier_code is not None:
        qs = qs.filter(subject_code=dossier_code)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if status == "failed":
        qs = qs.filter(status__in=FAILED)
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def message_for(*, user, pk) -> Message | None:
    try:
        return messages_for(user=user).select_related("unit").filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):  # not a message id
        return None


def failure_counts(*, unit_ids: list[int]) -> dict[int, int]:
    """Messages that need a person (technical failures) per unit: the alert on the unit's pages."""
    rows = (
        Message.objects.filter(unit_id__in=unit_ids, status=MessageStatus.TECHNICAL_FAILURE)
        .values("unit_id")
        .annotate(n=Count("pk"))
    )
    return {r["unit_id"]: r["n"] for r in rows}


def templates_of(*, unit: Unit) -> dict[tuple[str, str], NoticeTemplate]:
    return {(t.event, t.channel): t for t in NoticeTemplate.objects.filter(unit=unit)}
