"""Reads of dossiers, always scoped to the units the user's roles reach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.accounts.models import Role, RoleAssignment, User
from cqtt.accounts.permissions import user_scope, visible_unit_ids, visible_units
from cqtt.core.errors import NotInScope, PermissionDenied
from cqtt.core.ratelimit import GuessLock
from cqtt.units.models import Unit, UnitLevel
from cqtt.workdays.selectors import calendar_for

from . import rules, sql
from .models import FINAL_STATUSES, Dossier, DossierEvent, DossierTally, Status, Timeliness

OPEN_STATUSES = [s for s in Status.values if s not in FINAL_STATUSES]
PROCESSING = [Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_APPROVAL, Status.APPROVED]

_PLANS: dict[tuple, list[rules.StepPlan]] = {}


def procedure_plan(procedure) -> list[rules.StepPlan]:
    """The internal process a dossier of this procedure version follows (`rules.process_plan`). Cached per
    process, keyed on the version's `updated_at` (a change to its steps moves it)."""
    key = (procedure.pk, procedure.updated_at, procedure.duration_amount, procedure.duration_unit)
    plan = _PLANS.get(key)
    if plan is None:
        steps = [(s.name, s.role, s.allotted_days) for s in procedure.steps.all()]
        plan = rules.process_plan(steps, procedure.duration_amount, procedure.duration_unit)
        if len(_PLANS) > 5000:
            _PLANS.clear()
        _PLANS[key] = plan
    return plan


def dossier_scope_q(user: User, where: Q | None = None) -> Q:
    """A dossier is visible to roles reaching its receiving, handling or current unit. By unit ids, not by
    joining the unit paths. `where` is repeated inside each of the three alternatives, so the database reads
    each one from its (unit, status, due) index instead of reading every dossier of the unit and filtering."""
    return _units_q(visible_unit_ids(user), where or Q())


def dossier_list_for(
    *,
    user: User,
    status: str | None = None,
    overdue: bool | None = None,
    unit_code: str | None = None,
    search: rules.SearchQuery | None = None,
    now: datetime | None = None,
) -> QuerySet[Dossier]:
    """The dossiers `user` may see, by state, lateness, unit and the staff search box (`rules.search_query`)."""
    now = now or timezone.now()
    where = dossier_search_q(user, search) if search else Q()
    if status:
        where &= Q(status=status)
    if overdue is True:
        where &= Q(status__in=OPEN_STATUSES, due_at__lt=now)
    elif overdue is False:
        where &= ~Q(status__in=OPEN_STATUSES, due_at__lt=now)
    qs = Dossier.objects.filter(dossier_scope_q(user, where))
    if unit_code:
        qs = qs.filter(
            Q(handling_unit__code=unit_code)
            | Q(receiving_unit__code=unit_code)
            | Q(current_unit__code=unit_code)
        )
    return _with_related(qs).order_by("due_at", "id")


def dossier_search_q(user: User, search: rules.SearchQuery) -> Q:
    """The condition of a staff search (ADR 0012): a whole code matched exactly; otherwise every term in the
    dossier's folded search text (a letter word at a word's beginning, a term with digits anywhere). Where
    `user` is shown ID numbers and phones masked (`dossier_personal_data_for`), a term with digits matches the
    code only: searching by a full number would tell whose it is."""
    if search.code:
        return Q(code=search.code)
    where = Q()
    for word in search.words:
        where &= Q(search_text__contains=" " + word)
    full = dossier_personal_data_for(user=user).full_unit_ids
    for mark in search.marks:
        in_text = Q(search_text__contains=mark)
        where &= in_text if full is None else Q(code__icontains=mark) | _units_q(list(full), in_text)
    return where


def _with_related(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return qs.select_related("procedure", "handling_unit", "current_unit", "receiving_unit", "assignee")


def access_dossier(*, user: User, code: str) -> Dossier:
    dossier = _first(_with_related(Dossier.objects.filter(dossier_scope_q(user), code=code)))
    if dossier is None:
        raise PermissionDenied(_("Không tìm thấy hồ sơ hoặc bạn không có quyền xem hồ sơ này."))
    return dossier


def for_action(*, pk: int) -> Dossier:
    """The dossier `pk` locked and read as a transition needs it (`sql.lock_dossier`), with its three units."""
    dossier = sql.lock_dossier(pk=pk)
    if dossier is None:
        raise Dossier.DoesNotExist
    return with_units(dossier)


def with_units(dossier: Dossier) -> Dossier:
    """The dossier's receiving and current units set from its handling unit when they are the same one (no
    query), else read together in one query."""
    handling = dossier.handling_unit
    others = {dossier.receiving_unit_id, dossier.current_unit_id} - {handling.pk}
    units = {handling.pk: handling}
    if others:
        units |= {u.pk: u for u in Unit.objects.filter(pk__in=others).only(*sql.ACTION_UNIT_FIELDS)}
    dossier.receiving_unit = units[dossier.receiving_unit_id]
    dossier.current_unit = units[dossier.current_unit_id]
    return dossier


@dataclass(frozen=True)
class DossierReference:
    """The dossier `code` as `user` asks to act on it, not yet read: the service it is handed to reads it once,
    under its row lock and checked against the user's scope (`dossier_for_update`), or raises `NotInScope`."""

    code: str
    user: User


def dossier_reference(*, user: User, code: str) -> DossierReference:
    return DossierReference(code=code, user=user)


def dossier_for_update(*, user: User, code: str) -> Dossier:
    """Inside a transaction: the dossier `code` if the user's scope reaches it, locked and read with what a
    transition needs (`sql.lock_dossier`). The row is read by its code alone and its three units are checked against
    the scope here, not in SQL (three `IN` lists of the scope's units, a province's thousands, for the ORM to
    compile on every transition); a row out of scope is unlocked by the caller's rollback."""
    ids = visible_unit_ids(user)
    dossier = sql.lock_dossier(code=code) if ids is None or ids else None
    if dossier is not None and ids is not None:
        units = {dossier.handling_unit_id, dossier.receiving_unit_id, dossier.current_unit_id}
        if units.isdisjoint(ids):
            dossier = None
    if dossier is None:
        raise NotInScope(_("Không tìm thấy hồ sơ hoặc bạn không có quyền xem hồ sơ này."))
    return with_units(dossier)


def dossier_event_rows(*, dossier: Dossier) -> list[tuple]:
    """The dossier's events as tuples of `sql.EVENT_COLUMNS`, oldest first (for answers that list them)."""
    return sql.event_rows(dossier.pk)


def dossier_public_timeline(*, dossier: Dossier) -> list[tuple]:
    """(occurred_at, to_status) of the dossier's public events, oldest first (the citizen's timeline). All its
    events are read from their index and the staff-only ones dropped here: filtering on `is_public` in SQL would
    read rows to throw them away."""
    rows = (
        DossierEvent.objects.filter(dossier_id=dossier.pk)
        .order_by("occurred_at", "id")
        .values_list("occurred_at", "to_status", "is_public")
    )
    return [(at, to_status) for at, to_status, public in rows if public]


def _first(qs: QuerySet[Dossier]) -> Dossier | None:
    """The row of a lookup by a unique key, without the model's default ordering (which `.first()` would add
    and make the database sort)."""
    rows = list(qs.order_by()[:1])
    return rows[0] if rows else None


def dossier_events(*, dossier: Dossier, public_only: bool = False) -> QuerySet[DossierEvent]:
    qs = dossier.events.select_related("actor").order_by("occurred_at", "id")
    return qs.filter(is_public=True) if public_only else qs


# --- personal data by role (ADR 0013) ------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalData:
    """How much of an applicant's ID number and phone the user is shown. The read-only observer (MTTQ) follows
    the handling of dossiers, it does not contact or identify applicants: it gets the last 4 digits only
    (`rules.mask_digits`). Every other role sees the full values. `full_unit_ids`: units where a role other
    than observer reaches (None: everywhere), so a user holding both kinds of role sees in full only the
    dossiers its other role reaches."""

    full_unit_ids: frozenset[int] | None

    def shows_full(self, *unit_ids: int | None) -> bool:
        return self.full_unit_ids is None or any(u in self.full_unit_ids for u in unit_ids)

    def id_number(self, value: str, *unit_ids: int | None) -> str:
        return value if self.shows_full(*unit_ids) else rules.mask_digits(value)

    def phone(self, value: str, *unit_ids: int | None) -> str:
        return value if self.shows_full(*unit_ids) else rules.mask_digits(value)

    def of_dossier(self, dossier: Dossier) -> dict[str, str]:
        """The dossier's ID number and phone as this user may see them."""
        units = (dossier.receiving_unit_id, dossier.handling_unit_id, dossier.current_unit_id)
        return {
            "id_number": self.id_number(dossier.applicant_id_number, *units),
            "phone": self.phone(dossier.applicant_phone, *units),
        }


_PERSONAL_ATTR = "_cqtt_personal_data"


def dossier_personal_data_for(*, user: User | None) -> PersonalData:
    """The one place that decides, per role, whether applicants' ID numbers and phones are masked for `user`
    (computed once per request; a query only for a user holding the observer role and another role). Nobody
    logged in (`None`, anonymous, inactive) gets masked values."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return PersonalData(frozenset())
    cached = getattr(user, _PERSONAL_ATTR, None)
    if cached is not None:
        return cached
    scope = user_scope(user)
    observer = [g for g in scope.grants if g.role == Role.OBSERVER]
    others = [g for g in scope.grants if g.role != Role.OBSERVER]
    if scope.is_global or not observer:
        policy = PersonalData(None)
    elif not others:
        policy = PersonalData(frozenset())
    else:
        q = Q()
        for g in others:
            q |= Q(path__startswith=g.unit_path)
        policy = PersonalData(frozenset(Unit.objects.filter(q).values_list("id", flat=True)))
    try:
        setattr(user, _PERSONAL_ATTR, policy)
    except AttributeError:
        pass
    return policy


# --- work lists --------------------------------------------------------------------------------------------


def _soon(now: datetime, unit_province: str | None = None, days: int = 2) -> datetime:
    cal = calendar_for(unit_province)
    limit = cal.add_working_days(timezone.localtime(now).date(), days)
    return timezone.make_aware(datetime.combine(limit, datetime.max.time()))


def worklist_counter(*, user: User, now: datetime | None = None) -> dict[str, QuerySet[Dossier]]:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    start = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    return {
        "awaiting_reception": _listed(
            user, Q(status__in=[Status.SUBMITTED_ONLINE, Status.INTAKE_SUPPLEMENT]), "submitted_at"
        ),
        "ready": _listed(user, Q(status=Status.READY)),
        "today": _listed(
            user, Q(status__in=OPEN_STATUSES, due_at__gte=start, due_at__lt=start + timedelta(days=1))
        ),
    }


def _listed(user: User, where: Q, order: str = "due_at") -> QuerySet[Dossier]:
    return for_table(Dossier.objects.filter(dossier_scope_q(user, where))).order_by(order, "id")


_TABLE_FIELDS = (
    "code", "status", "applicant_name", "due_at", "risk_at", "procedure__name", "assignee__username",
    "assignee__first_name", "assignee__last_name", "assignee__full_name",
)  # fmt: skip


def for_table(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Only the columns a dossier table shows (code, procedure, applicant, state, due, specialist): a narrow
    read with two joins instead of every column of five tables."""
    return qs.select_related(None).select_related("procedure", "assignee").only(*_TABLE_FIELDS)


def worklist_specialist(*, user: User, now: datetime | None = None) -> dict[str, QuerySet[Dossier]]:
    now = now or timezone.now()
    mine = Q(assignee=user, status__in=OPEN_STATUSES)
    return {
        "mine": _listed(user, mine),
        "due_soon": _listed(user, mine & Q(due_at__gte=now, due_at__lte=_soon(now))),
        "overdue": _listed(user, mine & Q(due_at__lt=now) & ~Q(status=Status.READY)),
    }


def worklist_leader(*, user: User, now: datetime | None = None) -> dict[str, QuerySet[Dossier]]:
    now = now or timezone.now()
    return {
        "awaiting_approval": _listed(user, Q(status=Status.AWAITING_APPROVAL)),
        "unassigned": _listed(user, Q(status=Status.RECEIVED)),
        "at_risk": _listed(user, Q(status__in=PROCESSING, risk_at__lte=now, due_at__gte=now)),
        "overdue": _listed(user, Q(status__in=PROCESSING + [Status.SUPPLEMENT_REQUESTED], due_at__lt=now)),
    }


RECEIVED_OPEN = PROCESSING + [Status.SUPPLEMENT_REQUESTED, Status.READY]  # received, result not yet returned
RECEIVED_FINAL = (
    Status.RETURNED,
    Status.REFUSED,
    Status.WITHDRAWN,
)  # finished after (or instead of) reception
OVERDUE_STATUSES = PROCESSING + [Status.SUPPLEMENT_REQUESTED]
COMMUNE_SORTS = ("name", "received", "open", "overdue", "on_time_rate")


def _units_q(ids: list[int] | None, where: Q) -> Q:
    """`where` for dossiers whose handling, receiving or current unit is one of `ids` (None: every unit)."""
    if ids is None:
        return where
    if not ids:
        return Q(pk__in=[])
    return (
        (Q(handling_unit_id__in=ids) & where)
        | (Q(receiving_unit_id__in=ids) & where)
        | (Q(current_unit_id__in=ids) & where)
    )


def _rate(on_time: int, finished: int) -> float | None:
    """On-time finished / all finished, in per cent; None when nothing finished."""
    return round(100 * on_time / finished, 1) if finished else None


def unit_overview(
    *, user: User, unit_code: str | None = None, sort: str = "name", now: datetime | None = None
) -> dict:
    """Counts by state and the on-time rate of finished dossiers, for the units the user sees (or for one of
    them, `unit_code`, and what lies below it: `NotInScope` when the user does not reach it), with one row per
    commune when there are several. Open dossiers are counted live (grouped queries on the open states, read from
    the (unit, status, due) indexes); finished ones come from `DossierTally`, kept per handling unit by the
    services — so a province's overview reads its units, a few thousand tally rows and the open dossiers, in
    five queries however many communes it has, never a loop per commune."""
    now = now or timezone.now()
    units = list(visible_units(user).order_by("path").values("id", "code", "full_name", "level", "path"))
    unit = None
    if unit_code:
        unit = next((u for u in units if u["code"] == unit_code), None)
        if unit is None:
            raise NotInScope(_("Không tìm thấy đơn vị hoặc bạn không có quyền xem đơn vị này."))
        units = [u for u in units if u["path"].startswith(unit["path"])]
        ids: list[int] | None = [u["id"] for u in units]
    else:
        ids = visible_unit_ids(user)

    rows = list(
        Dossier.objects.filter(_units_q(ids, Q(status__in=OPEN_STATUSES)))
        .order_by()
        .values("status")
        .annotate(
            n=Count("id"),
            early=Count("id", filter=Q(timeliness=Timeliness.EARLY)),
            on_time=Count("id", filter=Q(timeliness=Timeliness.ON_TIME)),
            late=Count("id", filter=Q(timeliness=Timeliness.LATE)),
            overdue=Count("id", filter=Q(status__in=OVERDUE_STATUSES, due_at__lt=now)),
            risk=Count("id", filter=Q(status__in=PROCESSING, risk_at__lte=now, due_at__gte=now)),
        )
    )
    tallies_qs = DossierTally.objects.filter(count__gt=0)
    if ids is not None:
        tallies_qs = tallies_qs.filter(unit_id__in=ids)
    tallies = list(tallies_qs.values_list("unit_id", "status", "timeliness", "count"))
    for _unit, status, timeliness, n in tallies:
        rows.append(
            {
                "status": status,
                "n": n,
                "early": n if timeliness == Timeliness.EARLY else 0,
                "on_time": n if timeliness == Timeliness.ON_TIME else 0,
                "late": n if timeliness == Timeliness.LATE else 0,
                "overdue": 0,
                "risk": 0,
            }
        )
    by_status: dict[str, int] = {}
    agg = {"early": 0, "on_time": 0, "late": 0, "overdue_open": 0, "at_risk": 0}
    for row in rows:
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        agg["early"] += row["early"]
        agg["on_time"] += row["on_time"]
        agg["late"] += row["late"]
        agg["overdue_open"] += row["overdue"]
        agg["at_risk"] += row["risk"]
    finished = agg["finished"] = agg["early"] + agg["on_time"] + agg["late"]
    agg["on_time_rate"] = _rate(agg["early"] + agg["on_time"], finished)
    states = [{"status": s, "label": s.label, "count": by_status.get(s.value, 0)} for s in Status]
    communes = [u for u in units if u["level"] == UnitLevel.COMMUNE]
    sort = sort if sort.lstrip("-") in COMMUNE_SORTS else "name"
    return {
        "unit": unit,
        "by_status": states,
        "communes": _commune_rows(units, communes, tallies, ids, now, sort) if len(communes) > 1 else [],
        "sort": sort,
        "export_units": [u for u in units if u["level"] in (UnitLevel.PROVINCE, UnitLevel.COMMUNE)],
        **agg,
    }


def _commune_rows(units, communes, tallies, ids, now, sort) -> list[dict]:
    """One row per commune: received, open, overdue, on-time rate. Each unit below a commune (its departments)
    counts for it; units outside every commune (provincial agencies) are in the totals above only."""
    by_path = {c["path"]: c for c in communes}
    owner: dict[int, dict] = {}
    for u in units:
        parts = u["path"].split("/")
        for i in range(len(parts) - 1, 0, -1):
            commune = by_path.get("/".join(parts[:i]) + "/")
            if commune is not None:
                owner[u["id"]] = commune
                break
    rows = {
        c["id"]: {
            "code": c["code"],
            "name": c["full_name"],
            "received": 0,
            "open": 0,
            "overdue": 0,
            "on_time": 0,
            "finished": 0,
        }
        for c in communes
    }

    def add(unit_id: int, **counts: int) -> None:
        commune = owner.get(unit_id)
        if commune is not None:
            row = rows[commune["id"]]
            for key, n in counts.items():
                row[key] += n

    for unit_id, status, timeliness, n in tallies:
        finished = n if timeliness else 0
        add(
            unit_id,
            received=n if status in RECEIVED_FINAL else 0,
            finished=finished,
            on_time=finished if timeliness in (Timeliness.EARLY, Timeliness.ON_TIME) else 0,
        )
    open_qs = Dossier.objects.filter(status__in=RECEIVED_OPEN)
    if ids is not None:
        open_qs = open_qs.filter(handling_unit_id__in=ids)
    grouped = (
        open_qs.order_by()
        .values("handling_unit_id")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=Q(status__in=OVERDUE_STATUSES, due_at__lt=now)),
            on_time=Count("id", filter=Q(timeliness__in=[Timeliness.EARLY, Timeliness.ON_TIME])),
            late=Count("id", filter=Q(timeliness=Timeliness.LATE)),
        )
    )
    for g in grouped:
        add(
            g["handling_unit_id"],
            received=g["n"],
            open=g["n"],
            overdue=g["overdue"],
            on_time=g["on_time"],
            finished=g["on_time"] + g["late"],
        )
    out = list(rows.values())
    for row in out:
        row["on_time_rate"] = _rate(row["on_time"], row["finished"])
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    if key == "name":
        out.sort(key=lambda r: r["name"], reverse=descending)
    else:
        # communes with nothing finished ("—") come last whichever way the column is sorted
        known = sorted((r for r in out if r[key] is not None), key=lambda r: (r[key], r["name"]))
        if descending:
            known.sort(key=lambda r: r[key], reverse=True)
        out = known + [r for r in out if r[key] is None]
    return out


# --- public lookup -----------------------------------------------------------------------------------------


def _guess_lock() -> GuessLock:
    conf = settings.DOSSIERS
    return GuessLock(
        "lookup", limit=conf.get("LOOKUP_WRONG_GUESSES", 5), seconds=conf.get("LOOKUP_LOCK_SECONDS", 900)
    )


def dossier_public_by_code(*, code: str, phone_last4: str) -> Dossier | None:
    """The dossier whose code and applicant phone's last 4 digits both match; None otherwise (same answer for a
    wrong code and a wrong phone, so guesses reveal nothing). The 4 digits have only 10,000 values, so wrong
    guesses are counted per code from every address together: after a few, the code answers None for a while,
    even to the right digits (the same answer as a wrong guess)."""
    code = code.strip().upper() if code else ""
    if not code or len(phone_last4) != 4 or not phone_last4.isdigit():
        return None
    lock = _guess_lock()
    if lock.locked(code):
        return None
    dossier = _public(Dossier.objects.filter(code=code))
    if dossier is None or not dossier.applicant_phone.endswith(phone_last4):
        lock.failed(code)
        return None
    return dossier


def dossier_public_by_token(*, token: str) -> Dossier | None:
    if not token or len(token) > 32:
        return None
    return _public(Dossier.objects.filter(lookup_token=token))


_PUBLIC_FIELDS = (
    "code", "lookup_token", "status", "channel", "delivery", "applicant_name", "applicant_phone", "submitted_at",
    "received_at", "due_at", "original_due_at", "extended_at", "finished_at", "returned_at", "timeliness",
    "procedure__code", "procedure__name", "procedure__duration_amount", "procedure__duration_unit",
    "receiving_unit__code", "receiving_unit__name", "receiving_unit__full_name", "receiving_unit__address",
    "receiving_unit__phone", "receiving_unit__province_code",
    "receiving_unit__office__name", "receiving_unit__office__address",
)  # fmt: skip


def _narrow_public(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """One dossier by a unique key, with only what the public status page shows (a narrow, unordered read)."""
    return qs.order_by().select_related("procedure", "receiving_unit__office").only(*_PUBLIC_FIELDS)[:1]


def _public(qs: QuerySet[Dossier]) -> Dossier | None:
    rows = list(_narrow_public(qs))
    return rows[0] if rows else None


def dossier_lookup_path(dossier: Dossier) -> str:
    """The public lookup page of this dossier (the QR code on the appointment slip opens it)."""
    from django.urls import reverse

    return reverse("portal:lookup_token", args=[dossier.lookup_token])


def counter_units_for(*, user: User) -> list[Unit]:
    """Units where the user is a counter officer (where it may receive dossiers)."""
    ids = [g.unit_id for g in user_scope(user).grants if g.role == Role.COUNTER_OFFICER]
    return list(Unit.objects.filter(pk__in=ids).order_by("path")) if ids else []


def dossier_assignable_specialists(*, unit: Unit) -> QuerySet[User]:
    """Users holding the specialist role at `unit` or a unit above it (those `dossier_assign` accepts)."""
    parts = [p for p in unit.path.split("/") if p]
    ancestors = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    ids = RoleAssignment.objects.filter(role=Role.SPECIALIST, unit__path__in=ancestors).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username")


def dossier_supplement_is_late(*, dossier: Dossier, at: datetime | None = None) -> bool:
    """True when a supplement asked for now would come more than 3 working days (setting) after receipt — the law
    expects it within that time (ND 61/2018 Art. 19(4)); the request is still allowed, with a warning."""
    from django.conf import settings

    if dossier.received_at is None:
        return False
    days = getattr(settings, "DOSSIERS", {}).get("SUPPLEMENT_WARNING_DAYS", 3)
    cal = calendar_for(dossier.handling_unit.province_code or None)
    limit = cal.add_working_days(timezone.localtime(dossier.received_at).date(), days)
    return timezone.localtime(at or timezone.now()).date() > limit
