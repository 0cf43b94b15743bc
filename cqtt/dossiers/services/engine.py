"""The runner every transition goes through (`_begin`: lock, scope, version, table; `_apply`: the table's
target, version, event, outbox row) and what the stages share: sequences, clocks, control-slip steps, tallies,
handing a dossier to a specialist."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import user_roles_in
from cqtt.core import outbox
from cqtt.core.errors import PermissionDenied, TransitionNotAllowed
from cqtt.core.process import Refusal
from cqtt.core.text import nfc
from cqtt.procedures.models import ProcedureField
from cqtt.units.models import Unit
from cqtt.workdays import rules as wd
from cqtt.workdays.selectors import calendar_for, schedule_for

from .. import rules
from ..conf import dossier_code_for, dossier_setting
from ..models import (
    FINAL_STATUSES,
    DailySequence,
    DocumentKind,
    Dossier,
    DossierEvent,
    DossierStep,
    DossierTally,
    Status,
    StepKind,
    YearlySequence,
)
from ..selectors import DossierReference, dossier_for_update, for_action, procedure_plan

DOCUMENT_KINDS = frozenset(DocumentKind.values)


_conf = dossier_setting


def _event(
    dossier: Dossier,
    *,
    actor,
    action: str,
    at: datetime,
    from_status: str = "",
    note: str = "",
    data: dict | None = None,
    public: bool = True,
) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier,
        occurred_at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        note=note,
        data=data or {},
        is_public=public,
    )


def _increment(model, field: str, **key) -> int:
    """Add one to `field` of the row of `model` matching `key`, in one statement (`UPDATE … RETURNING`, which
    holds the row lock until the caller's transaction ends: gap-free, no two callers get the same value). The
    first use of a key creates its row at 0."""
    meta = model._meta
    columns = [meta.get_field(name).column for name in key]
    values = [
        meta.get_field(name).get_db_prep_value(v.pk if hasattr(v, "pk") else v, connection)
        for name, v in key.items()
    ]
    qn = connection.ops.quote_name
    where = " AND ".join(f"{qn(c)} = %s" for c in columns)
    sql = f"UPDATE {qn(meta.db_table)} SET {qn(field)} = {qn(field)} + 1 WHERE {where} RETURNING {qn(field)}"
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            row = cursor.fetchone()
        if row is not None:
            return int(row[0])
        try:
            with transaction.atomic():
                model.objects.create(**{field: 0}, **key)
        except IntegrityError:
            pass  # created by a concurrent transaction; the UPDATE above now waits for its lock
    raise RuntimeError(f"counter {meta.label} {key} could not be incremented")


def _next_number(model, **key) -> int:
    """The next number of a per-unit daily or yearly sequence."""
    return _increment(model, "last", **key)


def _slip_number(dossier: Dossier, kind: str, at: datetime) -> int:
    """The next "Số" of a supplement or refusal slip issued by the dossier's one-stop this year."""
    return _next_number(
        YearlySequence, unit=dossier.receiving_unit, year=timezone.localtime(at).year, kind=kind
    )


def _issue_code(unit: Unit, at: datetime) -> str:
    day = timezone.localtime(at).date()
    seq = _next_number(DailySequence, unit=unit, day=day)
    return dossier_code_for(unit.dossier_prefix, day, seq)


def _clock(unit: Unit) -> tuple[wd.Calendar, wd.Schedule]:
    """Calendar and office hours of a unit, memoised on the instance for the length of one service call."""
    clock = getattr(unit, "_cqtt_clock", None)
    if clock is None:
        clock = (calendar_for(unit.province_code or None), schedule_for(unit))
        unit._cqtt_clock = clock
    return clock


def _refresh_risk(dossier: Dossier, after_role: str) -> None:
    cal, sched = _clock(dossier.handling_unit)
    dossier.risk_at = rules.risk_at(dossier.due_at, procedure_plan(dossier.procedure), after_role, cal, sched)


def _roles(user, dossier: Dossier) -> set[str]:
    roles: set[str] = set()
    for unit in {dossier.receiving_unit, dossier.handling_unit, dossier.current_unit}:
        roles |= user_roles_in(user, unit)
    return roles


def _lock(dossier: Dossier | DossierReference, expected_version: int | None) -> Dossier:
    """Re-read the dossier row under a row lock (the dossier only: not its units or procedure, which other
    dossiers share), with what the service needs (`sql.lock_dossier`). A reference
    (`selectors.dossier_reference`) is read here for the first time, checked against its user's scope."""
    if isinstance(dossier, DossierReference):
        locked = dossier_for_update(user=dossier.user, code=dossier.code)
    else:
        locked = for_action(pk=dossier.pk)
    locked._cqtt_was_final = locked.status in FINAL_STATUSES
    if expected_version is not None and locked.version != expected_version:
        raise TransitionNotAllowed(
            _("Hồ sơ %(c)s vừa được người khác cập nhật. Vui lòng tải lại trang để xem trạng thái mới.")
            % {"c": locked.code}
        )
    return locked


def _begin(
    action: str, *, actor, dossier: Dossier | DossierReference, expected_version: int | None
) -> tuple[Dossier, str]:
    locked = _lock(dossier, expected_version)
    try:
        rules.DOSSIER.check(action, locked.status, _roles(actor, locked))
    except Refusal as refusal:
        if refusal.conflict:
            raise TransitionNotAllowed(str(refusal)) from None
        raise PermissionDenied(str(refusal)) from None
    return locked, locked.status


def _apply(
    dossier: Dossier,
    action: str,
    *,
    actor,
    at: datetime,
    before: str,
    fields: tuple[str, ...] = (),
    note: str = "",
    data: dict | None = None,
    public: bool = True,
) -> DossierEvent:
    """The runner's second half, after `_begin` checked the action and the service made its own changes: the
    state the transitions table leads to, saved with the version bump, the dossier's event (timeline and
    audit) and the outbox row other apps react to, all in the caller's transaction. No service sets `status`."""
    transition = rules.DOSSIER[action]
    if before not in transition.sources:
        raise TransitionNotAllowed(_("Thao tác không hợp lệ ở trạng thái hiện tại."))
    dossier.status = transition.target_from(before)
    _save(dossier, *(("status",) if transition.target is not None else ()), *fields)
    event = _event(
        dossier, actor=actor, action=action, at=at, from_status=before, note=note, data=data, public=public
    )
    _emit(dossier, action, before=before, at=at, data=data, actor=actor)
    return event


_STATUS_LABELS: dict[str, str] = {}


def _status_label(status: str) -> str:
    """The state's name as citizens read it (the platform's language, whatever the request's), once per process."""
    label = _STATUS_LABELS.get(status)
    if label is None:
        with translation.override(settings.LANGUAGE_CODE):
            label = _STATUS_LABELS[status] = str(Status(status).label)
    return label


CREATING_ACTIONS = frozenset({"receive", "request-intake-supplement", "refuse-intake", "submit-online"})


def _emit(
    dossier: Dossier, action: str, *, before: str, at: datetime, data: dict | None = None, actor=None
) -> None:
    """The outbox row of a dossier change (what letters, notices and the evaluation read model subscribe to):
    the facts a reaction needs without reading the dossier. The event that creates the dossier also carries the
    citizen's chosen notice channels and addresses (`contacts`); later events do not repeat them."""
    procedure = dossier.procedure
    payload = {
        "code": dossier.code,
        "from_status": before,
        "status": dossier.status,
        "status_label": _status_label(dossier.status),
        "version": dossier.version,
        "procedure_code": procedure.code,
        "procedure_name": procedure.name,
        "life_event": procedure.life_event,
        "receiving_unit_id": dossier.receiving_unit_id,
        "handling_unit_id": dossier.handling_unit_id,
        "channel": dossier.channel,
        "timeliness": dossier.timeliness,
        "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
        "lookup_token": dossier.lookup_token,
        "actor_id": actor.pk if getattr(actor, "is_authenticated", False) else None,
        "data": data or {},
    }
    if before == "" and action in CREATING_ACTIONS:
        phone = dossier.applicant_phone
        payload["contacts"] = {
            "name": dossier.applicant_name,
            "sms": phone if dossier.notify_sms else "",
            "email": dossier.applicant_email if dossier.notify_email else "",
            "zalo": phone if dossier.notify_zalo else "",
        }
    outbox.emit(stream="dossier", aggregate_id=dossier.pk, action=action, at=at, payload=payload)


def _save(dossier: Dossier, *fields: str) -> None:
    dossier.version += 1
    steps = ("step_seq", "step_due_at") if getattr(dossier, "_cqtt_steps_changed", False) else ()
    dossier.save(update_fields=[*fields, *steps, "version", "updated_at"])
    dossier._cqtt_steps_changed = False
    if dossier.status in FINAL_STATUSES and not getattr(dossier, "_cqtt_was_final", True):
        _tally(dossier.handling_unit_id, dossier.status, dossier.timeliness)
        dossier._cqtt_was_final = True


def _tally(unit_id: int, status: str, timeliness: str) -> None:
    """Count one more finished dossier of the unit."""
    _increment(DossierTally, "count", unit_id=unit_id, status=status, timeliness=timeliness or "")


def dossier_tally_rebuild() -> int:
    """Recount the finished dossiers of every unit from the dossiers themselves (after a bulk load or a repair).
    Returns the number of rows written."""
    with transaction.atomic():
        DossierTally.objects.all().delete()
        rows = (
            Dossier.objects.filter(status__in=FINAL_STATUSES)
            .order_by()
            .values("handling_unit_id", "status", "timeliness")
            .annotate(n=Count("id"))
        )
        tallies = [
            DossierTally(
                unit_id=r["handling_unit_id"], status=r["status"], timeliness=r["timeliness"], count=r["n"]
            )
            for r in rows
        ]
        DossierTally.objects.bulk_create(tallies, batch_size=2000)
    return len(tallies)


def _open_step(
    dossier: Dossier,
    *,
    name: str,
    kind: str,
    from_unit: Unit,
    to_unit: Unit | int,
    actor,
    to_user=None,
    days: Decimal,
    at: datetime,
    note: str = "",
    completed: bool = False,
) -> DossierStep:
    """Close the current hand-over step and open the next (`to_unit`: a unit or its id). `completed`: the new
    step is passed on at once. The dossier's `step_seq`/`step_due_at` follow (saved by `_save`)."""
    _close_step(dossier, at=at)
    cal, sched = _clock(dossier.handling_unit)
    due_at = rules.step_due_at(at, days, cal, sched)
    step = _add_step(
        dossier,
        kind=kind,
        name=name,
        from_unit=from_unit,
        to_unit_id=to_unit if isinstance(to_unit, int) else to_unit.pk,
        handed_by=actor if getattr(actor, "is_authenticated", False) else None,
        to_user=to_user,
        started_at=at,
        allotted_days=days,
        due_at=due_at,
        completed_at=at if completed else None,
        timeliness=rules.step_timeliness(at, due_at) if completed else "",
        note=note,
    )
    if not completed:
        dossier.step_due_at = due_at
    return step


def _add_step(dossier: Dossier, **fields) -> DossierStep:
    """The dossier's next control-slip step, numbered from the locked row."""
    dossier.step_seq += 1
    dossier._cqtt_steps_changed = True
    return DossierStep.objects.create(dossier=dossier, seq=dossier.step_seq, **fields)


def _close_step(dossier: Dossier, *, at: datetime) -> None:
    """Complete the open hand-over step, if any (consultations run beside it and are closed by their reply):
    its due time is on the locked row, so this is one UPDATE and no read."""
    if dossier.step_due_at is None:
        return
    DossierStep.objects.filter(dossier_id=dossier.pk, completed_at__isnull=True).exclude(
        kind=StepKind.CONSULTATION
    ).update(completed_at=at, timeliness=rules.step_timeliness(at, dossier.step_due_at))
    dossier.step_due_at = None
    dossier._cqtt_steps_changed = True


def _finish(dossier: Dossier, at: datetime) -> None:
    dossier.finished_at = at
    if dossier.original_due_at:
        dossier.timeliness, dossier.stat_timeliness = rules.finish_timeliness(
            at,
            dossier.original_due_at,
            dossier.stat_due_at,
            dossier.supplement_count,
            compare=_conf("TIMELINESS_COMPARE"),
        )
    dossier.risk_at = None


def _start_clock(dossier: Dossier, at: datetime) -> None:
    """Receipt of a complete dossier: due date from the calendar, entry in the year's tracking book."""
    cal, sched = _clock(dossier.handling_unit)
    procedure = dossier.procedure
    result = wd.compute_due(at, procedure.duration_amount, procedure.duration_unit, cal, sched)
    dossier.received_at = at
    dossier.due_at = dossier.original_due_at = dossier.stat_due_at = result.due_at
    dossier.due_explanation = [item.as_dict() for item in result.explanation]
    local = timezone.localtime(at)
    dossier.book_year = local.year
    dossier.book_number = _next_number(
        YearlySequence, unit=dossier.receiving_unit, year=local.year, kind="book"
    )
    _refresh_risk(dossier, "counter")


def _plan_days(dossier: Dossier, role: str) -> Decimal:
    """Days a hand-over step gives `role` (`rules.handover_days`: the counter's are halved)."""
    return rules.handover_days(procedure_plan(dossier.procedure), role)


def _hand_to_specialist(
    dossier: Dossier,
    *,
    assignee: User,
    actor,
    at: datetime,
    before: str,
    note: str = "",
    department: Unit | None = None,
    auto: bool = False,
) -> None:
    """Hand-over steps, status and event of an assignment (manual or automatic)."""
    if before == Status.RECEIVED:
        _open_step(
            dossier,
            name=_("Bộ phận Một cửa chuyển hồ sơ"),
            kind=StepKind.HANDOVER,
            from_unit=dossier.receiving_unit,
            to_unit=department or dossier.current_unit,
            actor=actor,
            days=_plan_days(dossier, "counter"),
            at=at,
            completed=True,  # the specialist's step below takes over at the same moment
        )
    if department is not None:
        dossier.current_unit = department
    _open_step(
        dossier,
        name=_("Chuyên viên thụ lý: %(u)s") % {"u": assignee},
        kind=StepKind.HANDOVER,
        from_unit=dossier.current_unit,
        to_unit=assignee.unit_id or dossier.current_unit,  # the account's unit by id: it is not read
        actor=actor,
        to_user=assignee,
        days=_plan_days(dossier, "specialist"),
        at=at,
        note=nfc(note),
    )
    dossier.assignee = assignee
    _refresh_risk(dossier, "specialist")
    _apply(
        dossier,
        "assign",
        actor=actor,
        at=at,
        before=before,
        fields=("assignee", "current_unit", "risk_at"),
        note=nfc(note),
        data={"assignee": assignee.username, "automatic": auto},
        public=False,
    )


def _rule(unit_id: int, procedure_code: str, field_code):
    """The receiving unit's active rule for the procedure, or else for its whole field (`field_code`: its code,
    or a query of it), with its department and specialist; None when there is none. Looked for by id first: most
    intakes match no rule, and a read without the two joins costs the ORM a fraction of one with them."""
    from ..models import AssignmentRule

    field = Q(field_code=field_code) if isinstance(field_code, str) else Q(field_code__in=field_code)
    found = list(
        AssignmentRule.objects.filter(unit_id=unit_id, is_active=True)
        .filter(Q(procedure_code=procedure_code) | (Q(procedure_code="") & field))
        # a rule for the procedure itself wins over one for its whole field
        .order_by("-procedure_code", "id")
        .values_list("pk", flat=True)[:1]
    )
    if not found:
        return None
    matched = list(AssignmentRule.objects.filter(pk=found[0]).select_related("department", "specialist"))
    return matched[0] if matched else None  # None too when deleted in between


def _auto_assign(dossier: Dossier, *, at: datetime, field_code: str | None = None) -> None:
    """Apply the receiving unit's assignment rule, if one matches the procedure (or its field). `field_code`:
    the procedure's field's code when the caller has read it (else the rule's query reads it)."""
    procedure = dossier.procedure
    rule = _rule(
        unit_id=dossier.receiving_unit_id,
        procedure_code=procedure.code,
        field_code=field_code
        if field_code is not None
        else ProcedureField.objects.filter(pk=procedure.field_id or 0).values("code"),
    )
    if rule is None:
        return
    assignee = rule.specialist
    if assignee is None:
        from cqtt.accounts.models import RoleAssignment

        ids = RoleAssignment.objects.filter(role=Role.SPECIALIST, unit=rule.department).values("user_id")
        assignee = (
            User.objects.filter(
                Q(pk__in=ids) | Q(unit=rule.department, roles__role=Role.SPECIALIST), is_active=True
            )
            .annotate(load=Count("dossiers_assigned", filter=Q(dossiers_assigned__finished_at__isnull=True)))
            .order_by("load", "username")
            .first()
        )
    if assignee is None or Role.SPECIALIST not in user_roles_in(assignee, rule.department):
        return  # nobody to give it to: it waits in the leader's "unassigned" list
    _hand_to_specialist(
        dossier,
        assignee=assignee,
        actor=None,
        at=at,
        before=dossier.status,
        department=rule.department,
        auto=True,
        note=_("Phân công tự động theo quy tắc của đơn vị"),
    )
