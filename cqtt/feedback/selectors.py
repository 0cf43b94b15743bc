"""Reads of the feedback inbox. Staff lists are scoped to the units where the user works with a staff role (the
Fatherland Front observer and other units see nothing: 404); public reads give only what has no personal data."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cqtt.accounts.models import User
from cqtt.accounts.permissions import user_scope
from cqtt.core.errors import NotInScope
from cqtt.notifications.selectors import STAFF_ROLES as STAFF_ROLES
from cqtt.notifications.selectors import staff_unit_ids, units_for
from cqtt.units.models import Unit

from . import rules
from .models import OPEN_STATUSES, Box, BoxOpening, FeedbackEvent, FeedbackItem, Kind, Mailbox, Status

LIST_COLUMNS = (
    "pk",
    "code",
    "unit_id",
    "kind",
    "channel",
    "status",
    "subject",
    "content",
    "received_at",
    "due_at",
    "sender_name",
    "duplicate_of_id",
    "assignee_id",
    "department_id",
    "version",
)


def inbox_units(user) -> list[Unit]:
    """The units whose inbox the user may open (staff roles; communes below a province)."""
    return units_for(user, STAFF_ROLES)


def _scoped(user) -> QuerySet[FeedbackItem]:
    ids = staff_unit_ids(user)
    return FeedbackItem.objects.all() if ids is None else FeedbackItem.objects.filter(unit_id__in=ids)


def feedback_list_for(
    *,
    user,
    unit: Unit | None = None,
    status: str | None = None,
    kind: str | None = None,
    channel: str | None = None,
    overdue: bool | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[FeedbackItem]:
    """The items the user may see, newest first, filtered. Overdue: still open after its handling deadline."""
    qs = _scoped(user)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if channel:
        qs = qs.filter(channel=channel)
    if overdue is not None:
        late = Q(status__in=OPEN_STATUSES, due_at__lt=now or timezone.now())
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return qs.select_related("unit", "assignee", "department").order_by("-received_at", "-pk")


def access_feedback(*, user, code: str) -> FeedbackItem:
    """The item by code if the user may see it; `NotInScope` (404) for another unit's item or a wrong code."""
    if (
        not code or len(code) > 20 or "\x00" in code
    ):  # PostgreSQL refuses NUL in text: a wrong code, not a 500
        raise NotInScope("feedback")
    item = (
        _scoped(user)
        .select_related("unit", "assignee", "department", "official", "duplicate_of", "transferred_from")
        .select_related("box_opening__box", "thanks_letter")
        .filter(code=code)
        .first()
    )
    if item is None:
        raise NotInScope("feedback")
    return item


def feedback_events(*, item: FeedbackItem, public_only: bool = False) -> list[FeedbackEvent]:
    qs = item.events.select_related("actor")
    if public_only:
        qs = qs.filter(public=True)
    return list(qs)


def counts_by_status(*, user, unit: Unit, now: dt.datetime | None = None) -> dict[str, int]:
    rows = _scoped(user).filter(unit=unit).values("status").annotate(n=Count("pk"))
    out = {r["status"]: r["n"] for r in rows}
    out["overdue"] = (
        _scoped(user).filter(unit=unit, status__in=OPEN_STATUSES, due_at__lt=now or timezone.now()).count()
    )
    return out


# --- public reads (no personal data leaves these) -------------------------------------------------------------


def feedback_public_by_code(*, code: str) -> FeedbackItem | None:
    if not code or len(code) > 20 or "\x00" in code:
        return None
    return FeedbackItem.objects.select_related("unit").filter(code=code.strip().upper()).first()


def feedback_list_public(*, unit: Unit) -> QuerySet[FeedbackItem]:
    """Published answers of a unit, newest first (their texts were stripped of personal data when published)."""
    return (
        FeedbackItem.objects.filter(unit=unit, status=Status.PUBLISHED)
        .only(
            "pk",
            "code",
            "kind",
            "public_content",
            "public_answer",
            "published_at",
            "likes",
            "dislikes",
            "unit_id",
        )
        .order_by("-published_at", "-pk")
    )


# --- the officials' record (a selector other apps may read for scorecards) ------------------------------------


def official_record(*, user, official: User) -> QuerySet[FeedbackItem]:
    """Commendations and reports about an official, as far as the viewer's scope reaches."""
    return (
        _scoped(user)
        .filter(official=official, kind__in=[Kind.COMMENDATION, Kind.OFFICIAL_CONDUCT])
        .select_related("unit")
        .order_by("-received_at")
    )


def official_counts(
    *, official_ids: list[int], start: dt.datetime, end: dt.datetime
) -> dict[int, dict[str, int]]:
    """{official id: {"commendation": n, "official_conduct": m}} of items received in [start, end) — for
    scorecards (evaluation reads this; no personal data)."""
    rows = (
        FeedbackItem.objects.filter(
            official_id__in=official_ids,
            kind__in=[Kind.COMMENDATION, Kind.OFFICIAL_CONDUCT],
            received_at__gte=start,
            received_at__lt=end,
        )
        .exclude(status=Status.REFUSED)
        .values("official_id", "kind")
        .annotate(n=Count("pk"))
    )
    out: dict[int, dict[str, int]] = {}
    for r in rows:
        out.setdefault(r["official_id"], {})[r["kind"]] = r["n"]
    return out


def _paths_reaching(unit: Unit) -> list[str]:
    """The paths of the unit and of every unit above it: a role held at one of them reaches the unit."""
    parts = unit.path.rstrip("/").split("/")
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def staff_reaching(*, unit: Unit, roles) -> QuerySet[User]:
    """Active users holding one of `roles` at the unit or at a unit above it — the roles that reach the unit, as
    the permission layer counts them (a role held only in a department below does not reach the commune)."""
    return (
        User.objects.filter(
            roles__unit__path__in=_paths_reaching(unit), roles__role__in=list(roles), is_active=True
        )
        .distinct()
        .order_by("full_name", "username")
    )


def assignable_officers(*, unit: Unit) -> QuerySet[User]:
    """Whom an item of the unit may be assigned to: a handler or a router there. The assign form offers exactly
    these and `services.feedback_assign` accepts exactly these."""
    return staff_reaching(unit=unit, roles=rules.HANDLERS | rules.ROUTERS)


def linkable_officials(*, unit: Unit) -> QuerySet[User]:
    """Whom an item of the unit may name as the official it is about: staff of the unit (not the Fatherland
    Front's observer, not a provincial supervisor). The form offers exactly these and
    `services.feedback_link_official` accepts exactly these."""
    return staff_reaching(unit=unit, roles=rules.STAFF)


def access_official(*, user, pk: int) -> User:
    """An official whose record the viewer may read: one working in a unit the viewer reaches with a staff role."""
    ids = staff_unit_ids(user)
    qs = User.objects.filter(pk=pk)
    if ids is not None:
        qs = qs.filter(roles__unit_id__in=ids)
    official = qs.distinct().first()
    if official is None:
        raise NotInScope("official")
    return official


def departments_of(*, unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(parent=unit, level="department", is_active=True).order_by("name")


# --- boxes, mailboxes --------------------------------------------------------------------------------------


def boxes_for(*, user, unit: Unit) -> QuerySet[Box]:
    ids = staff_unit_ids(user)
    qs = Box.objects.filter(unit=unit)
    if ids is not None:
        qs = qs.filter(unit_id__in=ids)
    return qs.annotate(n_openings=Count("openings")).order_by("name")


def access_box(*, user, pk: int) -> Box:
    ids = staff_unit_ids(user)
    qs = Box.objects.select_related("unit").filter(pk=pk)
    if ids is not None:
        qs = qs.filter(unit_id__in=ids)
    box = qs.first()
    if box is None:
        raise NotInScope("box")
    return box


def access_opening(*, user, pk: int) -> BoxOpening:
    ids = staff_unit_ids(user)
    qs = BoxOpening.objects.select_related("box__unit", "opened_by").filter(pk=pk)
    if ids is not None:
        qs = qs.filter(box__unit_id__in=ids)
    opening = qs.annotate(typed=Count("items")).first()
    if opening is None:
        raise NotInScope("opening")
    return opening


def mailboxes_for(*, user, unit: Unit) -> QuerySet[Mailbox]:
    ids = staff_unit_ids(user)
    qs = Mailbox.objects.filter(unit=unit)
    if ids is not None:
        qs = qs.filter(unit_id__in=ids)
    return qs.order_by("pk")


def reaches(user, unit: Unit) -> bool:
    return user_scope(user).reaches(unit)


def answered_on_time_counts(*, unit: Unit, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """{"answered": n, "on_time": m}: items of the unit and the units under it answered in [start, end), and
    those answered by their deadline — for the evaluation's criteria (no personal data)."""
    qs = FeedbackItem.objects.filter(
        unit__path__startswith=unit.path, answered_at__gte=start, answered_at__lt=end, on_time__isnull=False
    )
    return {"answered": qs.count(), "on_time": qs.filter(on_time=True).count()}
