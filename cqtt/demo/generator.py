"""Synthetic dossiers at provincial scale for load tests and benchmarks (`manage.py generate_dossiers`).

Rows are built as plain tuples and written with PostgreSQL COPY (executemany on SQLite), in batches. Every
dossier is consistent with what the services would have produced: working-day due dates from the calendar,
codes and tracking-book numbers gap-free per unit and day/year (and the sequences updated so new intakes go on
from there), one event per state change, control-slip steps with their allotment, supplement pauses.
"""

from __future__ import annotations

import json
import queue
import random
import secrets
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.accounts.models import Role, RoleAssignment, User
from cqtt.accounts.permissions import scope_changed
from cqtt.core.audit import audit_record
from cqtt.core.models import AuditEvent
from cqtt.core.text import nfc
from cqtt.dossiers import rules
from cqtt.dossiers.conf import dossier_code_for, dossier_setting
from cqtt.dossiers.models import (
    DailySequence,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierFee,
    DossierStep,
    PauseStage,
    Status,
    StepKind,
    SupplementRequest,
    YearlySequence,
)
from cqtt.dossiers.selectors import procedure_plan
from cqtt.dossiers.services import DOCUMENT_KINDS, dossier_tally_rebuild
from cqtt.procedures.models import Procedure
from cqtt.procedures.selectors import in_force_q
from cqtt.units.models import Unit, UnitLevel
from cqtt.workdays import rules as wd
from cqtt.workdays.selectors import calendar_for, schedule_for

from .dossiers import FAMILY  # the demo data's family names

AUDIT_ACTION = "dossiers.generated"
S = Status

MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Thu", "Quốc", "Hoài", "Gia", "Bảo"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh"]
GIVEN += [
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Ngân",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
]
STREETS = ["Trần Hưng Đạo", "Lê Lợi", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung", "Lý Thường Kiệt"]

DOSSIER_COLUMNS = [
    "id", "created_at", "updated_at", "code", "lookup_token", "procedure_id", "receiving_unit_id",
    "handling_unit_id", "current_unit_id", "status", "channel", "delivery", "sets_count", "applicant_kind",
    "applicant_name", "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address",
    "applicant_commune_id", "submitted_at", "received_at", "received_by_id", "due_at", "original_due_at",
    "stat_due_at", "due_explanation", "risk_at", "extension_reason", "supplement_count", "assignee_id",
    "finished_at", "returned_at", "collected_by", "timeliness", "stat_timeliness", "refusal_reason",
    "refusal_number", "withdrawal_reason", "fees_total", "book_year", "book_number", "version", "search_text", "step_seq", "step_due_at", "notify_sms", "notify_email", "notify_zalo",
]  # fmt: skip
EVENT_COLUMNS = [
    "dossier_id", "occurred_at", "actor_id", "action", "from_status", "to_status", "note", "data", "is_public",
]  # fmt: skip
STEP_COLUMNS = [
    "dossier_id", "seq", "kind", "name", "from_unit_id", "to_unit_id", "handed_by_id", "to_user_id",
    "started_at", "allotted_days", "due_at", "completed_at", "timeliness", "note",
]  # fmt: skip
DOCUMENT_COLUMNS = [
    "dossier_id", "required_document_id", "order", "name", "kind", "count", "submitted", "file",
    "original_filename", "content_type", "size",
]  # fmt: skip
FEE_COLUMNS = ["dossier_id", "name", "amount", "exempted"]
SUPPLEMENT_COLUMNS = [
    "dossier_id", "stage", "items", "reason", "requested_at", "requested_by_id", "late_warning", "number",
    "resolved_at", "resolved_by_id",
]  # fmt: skip
TABLES = [
    (Dossier, DOSSIER_COLUMNS),
    (DossierDocument, DOCUMENT_COLUMNS),
    (DossierFee, FEE_COLUMNS),
    (SupplementRequest, SUPPLEMENT_COLUMNS),
    (DossierStep, STEP_COLUMNS),
    (DossierEvent, EVENT_COLUMNS),
]


class GenerationRefused(Exception):
    """The database holds real data (message in Vietnamese)."""


@dataclass
class ProcedureInfo:
    id: int
    amount: Decimal
    unit: str
    documents: list[tuple[int, str, str, int]]
    fees: list[tuple[str, int]]
    plan: list[rules.StepPlan]
    unit_ids: frozenset[int]


@dataclass
class Staff:
    counter: int
    specialists: list[int]
    names: dict[int, str]  # user id → str(user), as the services name the specialist's step
    leader: int


@dataclass
class Report:
    dossiers: int = 0
    rows: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def real_dossier_count() -> int:
    """Dossiers not made by this generator (its runs are recorded as audit events with their count)."""
    generated = 0
    for data in AuditEvent.objects.filter(action=AUDIT_ACTION).values_list("data", flat=True):
        generated += int((data or {}).get("count", 0))
    return max(Dossier.objects.count() - generated, 0)


def generated_count(province_code: str) -> int:
    total = 0
    for data in AuditEvent.objects.filter(action=AUDIT_ACTION, unit_code=province_code).values_list(
        "data", flat=True
    ):
        total += int((data or {}).get("count", 0))
    return total


# --- reference data ----------------------------------------------------------------------------------------


def _communes(province: Unit) -> list[Unit]:
    return list(
        Unit.objects.filter(path__startswith=province.path, level=UnitLevel.COMMUNE, is_active=True).order_by(
            "path"
        )
    )


def _procedures(communes: list[Unit], today: date) -> list[ProcedureInfo]:
    def in_force():
        return Procedure.objects.filter(in_force_q(today)).prefetch_related(
            "documents", "fees", "steps", "units"
        )

    qs = in_force()
    if not qs.exists():
        from .procedures import load_demo_procedures

        load_demo_procedures(units=communes)
        qs = in_force()
    commune_ids = {u.pk for u in communes}
    infos = []
    for p in qs:
        unit_ids = frozenset(u.pk for u in p.units.all())
        if unit_ids and not unit_ids & commune_ids:
            continue
        infos.append(
            ProcedureInfo(
                id=p.pk,
                amount=p.duration_amount,
                unit=p.duration_unit,
                documents=[
                    (d.pk, d.name, d.kind if d.kind in DOCUMENT_KINDS else "copy", d.count)
                    for d in p.documents.all()
                ],
                fees=[(f.name, f.amount) for f in p.fees.all()],
                plan=procedure_plan(p),
                unit_ids=unit_ids,
            )
        )
    if not infos:
        raise GenerationRefused(
            _("Không có thủ tục nào đang có hiệu lực được thực hiện tại các xã của tỉnh này.")
        )
    return infos


def _staff(province: Unit, communes: list[Unit]) -> dict[int, Staff]:
    """Per commune: one counter officer, two specialists, one leader (generated accounts, no usable password);
    one provincial supervisor. Reuses accounts from an earlier run."""
    wanted = []
    for c in communes:
        for suffix, role, name in [
            ("mc", Role.COUNTER_OFFICER, "Cán bộ một cửa"),
            ("cv1", Role.SPECIALIST, "Chuyên viên thụ lý 1"),
            ("cv2", Role.SPECIALIST, "Chuyên viên thụ lý 2"),
            ("ld", Role.LEADER, "Lãnh đạo UBND"),
        ]:
            wanted.append((f"gen-{c.code}-{suffix}", role, name, c))
    wanted.append((f"gen-{province.code}-gs", Role.PROVINCIAL_SUPERVISOR, "Giám sát cấp tỉnh", province))
    existing = set(User.objects.filter(username__startswith="gen-").values_list("username", flat=True))
    new_users = []
    for username, _role, name, unit in wanted:
        if username not in existing:
            user = User(username=username, full_name=nfc(name), unit=unit, position="Công chức")
            user.set_unusable_password()
            new_users.append(user)
    User.objects.bulk_create(new_users, batch_size=1000)
    ids, names = {}, {}
    for user in User.objects.filter(username__startswith="gen-").only("id", "username", "full_name"):
        ids[user.username], names[user.pk] = user.pk, str(user)
    have = set(
        RoleAssignment.objects.filter(user_id__in=ids.values()).values_list("user_id", "unit_id", "role")
    )
    grants = [
        RoleAssignment(user_id=ids[u], unit=unit, role=role)
        for u, role, _n, unit in wanted
        if (ids[u], unit.pk, role) not in have
    ]
    RoleAssignment.objects.bulk_create(grants, batch_size=1000)
    if new_users or grants:
        scope_changed()  # bulk writes send no signals (takes effect on commit)
    return {
        c.pk: Staff(
            counter=ids[f"gen-{c.code}-mc"],
            specialists=[ids[f"gen-{c.code}-cv1"], ids[f"gen-{c.code}-cv2"]],
            names=names,
            leader=ids[f"gen-{c.code}-ld"],
        )
        for c in communes
    }


# --- one dossier -------------------------------------------------------------------------------------------


class _Builder:
    """Builds the rows of one dossier at a time; holds ids, sequences and per-unit clocks."""

    def __init__(self, *, province, communes, procedures, staff, now, rng, first_ids, sequences):
        self.province = province
        self.communes = communes
        self.procedures = procedures
        self.staff = staff
        self.now = now
        self.rng = rng
        self.cal = calendar_for(province.province_code or province.code)
        self.scheds = {c.pk: schedule_for(c) for c in communes}
        self.ids = dict(first_ids)
        self.daily, self.yearly = sequences
        self.rows: dict[str, list[tuple]] = defaultdict(list)
        self.statuses: Counter = Counter()
        self._explain: dict = {}
        self.compare = dossier_setting("TIMELINESS_COMPARE")
        self.offered = {
            c.pk: [i for i, p in enumerate(procedures) if not p.unit_ids or c.pk in p.unit_ids]
            for c in communes
        }
        # a few procedures carry most of the load (certified copies, civil status): Zipf-like weights
        order = list(range(len(procedures)))
        rng.shuffle(order)
        self.weights = [0.0] * len(procedures)
        for rank, i in enumerate(order):
            self.weights[i] = 1.0 / (rank + 1)

    def _next_id(self, key: str) -> int:
        value = self.ids[key]
        self.ids[key] = value + 1
        return value

    def _off(self, start: datetime, seconds: float, unit_id: int) -> datetime:
        return wd.add_office_seconds(start, max(int(seconds), 0), self.cal, self.scheds[unit_id])

    def _explanation(self, received: datetime, p: ProcedureInfo, unit_id: int) -> str:
        sched = self.scheds[unit_id]
        local = received.astimezone(wd.TZ)
        # the explanation depends on the receipt day and the cut-off, and for hour periods on the minute
        moment = local.time() if p.unit == "working_hours" else local.time() <= sched.cutoff
        key = (p.amount, p.unit, local.date(), moment, sched)
        text = self._explain.get(key)
        if text is None:
            result = wd.compute_due(received, p.amount, p.unit, self.cal, sched)
            text = json.dumps(
                [item.as_dict() for item in result.explanation], ensure_ascii=False, default=str
            )
            self._explain[key] = text
        return text

    def _applicant(self) -> tuple:
        r = self.rng
        name = f"{r.choice(FAMILY)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"
        year = r.randint(1950, 2006)
        century = (year - 1900) // 100 * 2 + r.randint(0, 1)
        province = r.choice(["001", "031", "079", "074", "048", "092"])
        id_number = f"{province}{century}{year % 100:02d}{r.randrange(10**6):06d}"
        phone = f"0{r.choice('35789')}{r.randrange(10**8):08d}"
        address = f"Số {r.randint(1, 300)} đường {r.choice(STREETS)}"
        return nfc(name), id_number, phone, nfc(address)

    def dossier(self, commune: Unit, submitted: datetime) -> None:
        r, now = self.rng, self.now
        uid = commune.pk
        staff = self.staff[uid]
        offered = self.offered[uid]
        p = self.procedures[r.choices(offered, weights=[self.weights[i] for i in offered])[0]]
        did = self._next_id("dossier")
        day = submitted.astimezone(wd.TZ).date()
        self.daily[(uid, day)] += 1
        code = dossier_code_for(commune.dossier_prefix, day, self.daily[(uid, day)])
        roll = r.random()
        channel = "counter" if roll < 0.72 else ("online" if roll < 0.96 else "post")
        name, id_number, phone, address = self._applicant()
        events: list[tuple] = []
        steps: list[tuple] = []
        counter, leader = staff.counter, staff.leader
        specialist = r.choice(staff.specialists)
        fees = [(n, a) for n, a in p.fees]
        fees_total = sum(a for _n, a in fees)
        d = dict(
            status=S.RECEIVED, received_at=None, received_by_id=None, due_at=None, original_due_at=None,
            stat_due_at=None, due_explanation="[]", risk_at=None, supplement_count=0, assignee_id=None,
            finished_at=None, returned_at=None, collected_by="", timeliness="", stat_timeliness="",
            refusal_reason="", refusal_number=None, withdrawal_reason="", book_year=None, book_number=None,
            current_unit_id=uid,
        )  # fmt: skip

        def event(action, at, before, after, actor, public=True, note="", data="{}"):
            events.append((did, at, actor, action, before, after, note, data, public))

        received = submitted
        if channel == "online":
            event("submit-online", submitted, "", S.SUBMITTED_ONLINE, None)
            received = self._off(submitted, r.uniform(600, 2 * 8 * 3600), uid)
            if received > now:
                self._emit(d | {"status": S.SUBMITTED_ONLINE}, did, code, p, commune, submitted, channel,
                           (name, id_number, phone, address), fees_total, events, steps, fees, [])  # fmt: skip
                return
        if r.random() < 0.01:  # refused at intake
            d.update(
                status=S.INTAKE_REFUSED, refusal_reason="Hồ sơ không thuộc thẩm quyền giải quyết của xã."
            )
            d["finished_at"] = received
            self.yearly[(uid, received.year, "refusal")] += 1
            d["refusal_number"] = self.yearly[(uid, received.year, "refusal")]
            before = S.SUBMITTED_ONLINE if channel == "online" else ""
            event("refuse-intake", received, before, S.INTAKE_REFUSED, counter, note=d["refusal_reason"])
            self._emit(d, did, code, p, commune, submitted, channel, (name, id_number, phone, address),
                       fees_total, events, steps, fees, [])  # fmt: skip
            return

        sched = self.scheds[uid]
        local = received.astimezone(wd.TZ)
        d["received_at"], d["received_by_id"] = received, counter
        due = wd.due_datetime(received, p.amount, p.unit, self.cal, sched)
        d["due_at"] = d["original_due_at"] = d["stat_due_at"] = due
        d["due_explanation"] = self._explanation(received, p, uid)
        self.yearly[(uid, local.year, "book")] += 1
        d["book_year"], d["book_number"] = local.year, self.yearly[(uid, local.year, "book")]
        event("receive", received, S.SUBMITTED_ONLINE if channel == "online" else "", S.RECEIVED, counter)
        documents = [
            (did, doc_id, order, doc_name, kind, count, True, "", "", "", 0)
            for order, (doc_id, doc_name, kind, count) in enumerate(p.documents, start=1)
        ]

        if p.unit == "same_day":
            if received.date() < now.date() or r.random() < 0.8:
                at = self._off(received, r.uniform(300, 3600), uid)
                if at < now:
                    d.update(status=S.RETURNED, finished_at=at, returned_at=at, collected_by=name)
                    d["timeliness"], d["stat_timeliness"] = rules.finish_timeliness(
                        at, due, due, 0, compare=self.compare
                    )
                    event(
                        "return-same-day", at, S.RECEIVED, S.RETURNED, counter, data=_json(collected_by=name)
                    )
            self._emit(d, did, code, p, commune, submitted, channel, (name, id_number, phone, address),
                       fees_total, events, steps, fees, documents)  # fmt: skip
            return

        total = max(wd.office_seconds_between(received, due, self.cal, sched), 3600)
        # outcome: most early, some on the due day, a few late; a few withdrawn or refused
        roll = r.random()
        f = (
            r.uniform(0.25, 0.9)
            if roll < 0.66
            else (r.uniform(0.9, 1.0) if roll < 0.93 else r.uniform(1.05, 1.8))
        )
        fate = r.random()
        cap = sched.capacity
        # the same allotments the services give each hand-over
        allot = {role: rules.handover_days(p.plan, role) for role in ("counter", "specialist", "leader")}
        t_assign = self._off(received, total * 0.04, uid)
        pause = None
        if r.random() < 0.05:  # supplement asked during appraisal: pause, then the period restarts
            asked = self._off(received, total * r.uniform(0.1, 0.3), uid)
            resolved = self._off(asked, r.uniform(1, 6) * cap, uid)
            pause = (asked, resolved)
        steps_plan = []  # (name, from, to, to_user, handed_by, days, started)
        seq_events = [("assign", t_assign, S.RECEIVED, S.IN_PROGRESS, leader, False)]
        steps_plan.append(
            ("Bộ phận Một cửa chuyển hồ sơ", uid, uid, None, leader, allot["counter"], received)
        )
        steps_plan.append((f"Chuyên viên thụ lý: {staff.names[specialist]}", uid, uid, specialist, leader, allot["specialist"],
                           t_assign))  # fmt: skip
        base, span = received, total
        supplements = []
        if pause is not None:
            asked, resolved = pause
            seq_events.append(
                ("request-supplement", asked, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, specialist, True)
            )
            if resolved < now:
                seq_events.append(("receive-supplement", resolved, S.SUPPLEMENT_REQUESTED, S.IN_PROGRESS, counter,
                                   True))  # fmt: skip
            d["supplement_count"] = 1
            self.yearly[(uid, asked.year, "supplement")] += 1
            supplements.append((did, PauseStage.APPRAISAL, json.dumps(["Bản sao giấy tờ bị mờ, đề nghị nộp lại"],
                                ensure_ascii=False), "Giấy tờ không đọc được", asked, specialist, False,
                                self.yearly[(uid, asked.year, "supplement")], resolved if resolved < now else None,
                                counter if resolved < now else None))  # fmt: skip
            new_due = wd.due_datetime(resolved, p.amount, p.unit, self.cal, sched)
            if resolved < now:  # received again: the period restarts, the statistic's moves by the pause
                d["due_at"] = d["original_due_at"] = new_due
                d["due_explanation"] = self._explanation(resolved, p, uid)
                d["stat_due_at"] = rules.statistic_due_after_pause(due, asked, resolved, self.cal, sched)
            base, span = resolved, max(wd.office_seconds_between(resolved, new_due, self.cal, sched), 3600)
        t_submit = self._off(base, span * f * 0.7, uid)
        t_approve = self._off(base, span * f * 0.9, uid)
        t_ready = self._off(base, span * f, uid)
        t_return = self._off(t_ready, r.uniform(0.1, 3) * cap, uid)
        withdrawn = fate < 0.015
        refused = 0.015 <= fate < 0.03
        if withdrawn:
            seq_events.append(("withdraw", t_submit, S.IN_PROGRESS, S.WITHDRAWN, counter, True))
        elif refused:
            seq_events.append(("refuse", t_approve, S.AWAITING_APPROVAL, S.REFUSED, leader, True))
            steps_plan.append(
                ("Trình lãnh đạo phê duyệt", uid, uid, None, specialist, allot["leader"], t_submit)
            )
            seq_events.insert(-1, ("submit", t_submit, S.IN_PROGRESS, S.AWAITING_APPROVAL, specialist, False))
        else:
            seq_events += [
                ("submit", t_submit, S.IN_PROGRESS, S.AWAITING_APPROVAL, specialist, False),
                ("approve", t_approve, S.AWAITING_APPROVAL, S.APPROVED, leader, True),
                ("mark-ready", t_ready, S.APPROVED, S.READY, specialist, True),
                ("return-result", t_return, S.READY, S.RETURNED, counter, True),
            ]
            steps_plan += [
                ("Trình lãnh đạo phê duyệt", uid, uid, None, specialist, allot["leader"], t_submit),
                ("Hoàn thiện kết quả sau phê duyệt", uid, uid, None, leader, allot["counter"], t_approve),
                ("Chuyển kết quả về Bộ phận Một cửa", uid, uid, None, specialist, allot["counter"], t_ready),
            ]
        seq_events.sort(key=lambda e: e[1])
        if 0.03 <= fate < 0.036:  # a backlog: stuck with the specialist or the leader, now overdue
            seq_events = seq_events[: 1 + int(r.random() < 0.5) + (1 if pause else 0)]
            steps_plan = steps_plan[: 2 + (1 if seq_events[-1][0] == "submit" else 0)]
        status = S.RECEIVED
        for action, at, before, after, actor, public in seq_events:
            if at >= now:
                break
            status = after
            data = "{}"
            if action == "assign":
                number = staff.specialists.index(specialist) + 1
                data = _json(assignee=f"gen-{commune.code}-cv{number}", automatic=False)
            elif action == "return-result":
                data = _json(collected_by=name, id_checked=True)
            event(action, at, before, after, actor, public=public, data=data)
            if action == "assign":
                d["assignee_id"] = specialist
            elif action in ("mark-ready", "refuse"):
                d["finished_at"] = at
                d["timeliness"], d["stat_timeliness"] = rules.finish_timeliness(
                    at, d["original_due_at"], d["stat_due_at"], d["supplement_count"], compare=self.compare
                )
            elif action == "return-result":
                d.update(returned_at=at, collected_by=name)
            if action == "refuse":
                d["refusal_reason"] = "Không đủ điều kiện theo quy định."
                self.yearly[(uid, at.year, "refusal")] += 1
                d["refusal_number"] = self.yearly[(uid, at.year, "refusal")]
            if action == "withdraw":
                d["withdrawal_reason"] = "Công dân đề nghị rút hồ sơ."
        if supplements and supplements[0][4] >= now:
            supplements = []
            d["supplement_count"] = 0
            d["due_at"] = d["stat_due_at"] = due
        d["status"] = status
        # control slip: the steps started before now; each one ends when the next begins
        started = [s for s in steps_plan if s[6] < now]
        for i, (sname, fu, tu, to_user, handed, sdays, st) in enumerate(started, start=1):
            sdue = rules.step_due_at(st, sdays, self.cal, sched)
            end = started[i][6] if i < len(started) else (t_return if status == S.RETURNED else None)
            if status in (S.WITHDRAWN, S.REFUSED) and i == len(started):
                end = d["finished_at"] or t_submit
            timeliness = rules.step_timeliness(end, sdue) if end else ""
            steps.append((did, i, StepKind.HANDOVER, sname, fu, tu, handed, to_user, st, sdays, sdue, end,
                          timeliness, ""))  # fmt: skip
        role = rules.risk_role(status)
        if role is not None:
            d["risk_at"] = rules.risk_at(d["due_at"], p.plan, role, self.cal, sched)
        self._emit(d, did, code, p, commune, submitted, channel, (name, id_number, phone, address), fees_total,
                   events, steps, fees, documents, supplements)  # fmt: skip

    def _emit(self, d, did, code, p, commune, submitted, channel, applicant, fees_total, events, steps, fees,
              documents, supplements=()):  # fmt: skip
        name, id_number, phone, address = applicant
        uid = commune.pk
        last = max([e[1] for e in events] + [submitted])
        self.statuses[d["status"]] += 1
        self.rows["dossier"].append((
            did, submitted, last, code, secrets.token_urlsafe(12), p.id, uid, uid, d["current_unit_id"],
            d["status"], channel, "counter" if channel != "online" else self.rng.choice(["online", "post"]), 1,
            "person", name, id_number, phone, "", address, uid, submitted, d["received_at"], d["received_by_id"],
            d["due_at"], d["original_due_at"], d["stat_due_at"], d["due_explanation"], d["risk_at"], "",
            d["supplement_count"], d["assignee_id"], d["finished_at"], d["returned_at"], d["collected_by"],
            d["timeliness"], d["stat_timeliness"], d["refusal_reason"], d["refusal_number"],
            d["withdrawal_reason"], fees_total, d["book_year"], d["book_number"], len(events),
            rules.search_text(code, name, id_number, phone), len(steps),
            steps[-1][10] if steps and steps[-1][11] is None else None, bool(phone), False, False,
        ))  # fmt: skip
        self.rows["event"].extend(events)
        self.rows["step"].extend(steps)
        self.rows["document"].extend(documents)
        self.rows["fee"].extend((did, n, a, False) for n, a in fees)
        self.rows["supplement"].extend(supplements)


def _json(**kw) -> str:
    return json.dumps(kw, ensure_ascii=False)


# --- writing -----------------------------------------------------------------------------------------------

_TABLE_KEYS = {
    Dossier: "dossier",
    DossierDocument: "document",
    DossierFee: "fee",
    SupplementRequest: "supplement",
    DossierStep: "step",
    DossierEvent: "event",
}


def _sqlite_value(v):
    if isinstance(v, datetime):
        return v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    return v


def _write(rows: dict[str, list[tuple]]) -> None:
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for model, columns in TABLES:
            batch = rows.get(_TABLE_KEYS[model])
            if not batch:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            cols = ", ".join(connection.ops.quote_name(c) for c in columns)
            if postgres:
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({cols}) VALUES ({marks})",
                    [tuple(_sqlite_value(v) for v in row) for row in batch],
                )


def _first_ids() -> dict[str, int]:
    """Dossier ids are given explicitly (children refer to them); the other tables number their own rows."""
    return {"dossier": (Dossier.objects.aggregate(m=Max("id"))["m"] or 0) + 1}


def _sequences(communes: list[Unit]) -> tuple[Counter, Counter]:
    ids = [c.pk for c in communes]
    daily = Counter({(u, d): n for u, d, n in DailySequence.objects.filter(unit_id__in=ids).values_list(
        "unit_id", "day", "last")})  # fmt: skip
    yearly = Counter({(u, y, k): n for u, y, k, n in YearlySequence.objects.filter(unit_id__in=ids).values_list(
        "unit_id", "year", "kind", "last")})  # fmt: skip
    return daily, yearly


def _save_sequences(communes: list[Unit], daily: Counter, yearly: Counter) -> None:
    ids = [c.pk for c in communes]
    DailySequence.objects.filter(unit_id__in=ids).delete()
    YearlySequence.objects.filter(unit_id__in=ids).delete()
    DailySequence.objects.bulk_create(
        [DailySequence(unit_id=u, day=d, last=n) for (u, d), n in daily.items()], batch_size=5000
    )
    YearlySequence.objects.bulk_create(
        [YearlySequence(unit_id=u, year=y, kind=k, last=n) for (u, y, k), n in yearly.items()],
        batch_size=5000,
    )


def _fast_load(on: bool) -> bool:
    """Skip foreign-key triggers during COPY (rows are built consistent); needs a superuser, else no-op."""
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic(), connection.cursor() as c:
            c.execute(f"SET session_replication_role = {'replica' if on else 'origin'}")
        return True
    except Exception:
        return False


class _Writer:
    """Writes batches inline, or on PostgreSQL outside a transaction in a second thread (its own connection) so
    that building the next batch in Python overlaps the server's COPY of the previous one."""

    def __init__(self, *, threaded: bool):
        self.threaded = threaded
        self.error: BaseException | None = None
        if threaded:
            self.queue: queue.Queue = queue.Queue(maxsize=2)
            self.thread = threading.Thread(target=self._run, name="generate-dossiers-writer", daemon=True)
            self.thread.start()
        else:
            self.fast = _fast_load(True)

    def put(self, rows: dict[str, list[tuple]]) -> None:
        if not self.threaded:
            with transaction.atomic():
                _write(rows)
            return
        if self.error is not None:
            raise self.error
        self.queue.put(rows)

    def _run(self) -> None:
        fast = _fast_load(True)
        try:
            while (rows := self.queue.get()) is not None:
                if self.error is None:
                    try:
                        with transaction.atomic():
                            _write(rows)
                    except BaseException as exc:  # reported by close(); keep draining so put() never blocks
                        self.error = exc
        finally:
            if fast:
                _fast_load(False)
            connection.close()

    def close(self) -> None:
        if self.threaded:
            self.queue.put(None)
            self.thread.join()
            if self.error is not None:
                raise self.error
        elif self.fast:
            _fast_load(False)


def _working_days(cal: wd.Calendar, first: date, last: date) -> list[date]:
    cal.is_working_day(first), cal.is_working_day(last)  # OutOfCalendar if the calendar does not cover them
    return [d for d in cal.work_dates if first <= d <= last]


def generate(
    *,
    province: Unit,
    count: int,
    seed: int = 766,
    years: int = 2,
    now: datetime | None = None,
    force: bool = False,
    batch: int = 20_000,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Fill the database with `count` dossiers of the communes of `province` received over `years` years up to
    `now`. Refuses if the database holds dossiers this generator did not make, unless `force`."""
    started = time.monotonic()
    now = now or timezone.now()
    if not force:
        real = real_dossier_count()
        if real:
            raise GenerationRefused(
                _(
                    "Cơ sở dữ liệu đang có %(n)s hồ sơ thật. Dùng --force nếu thật sự muốn sinh thêm dữ liệu mẫu."
                )
                % {"n": real}
            )
    communes = _communes(province)
    if not communes:
        raise GenerationRefused(
            _("Tỉnh %(p)s không có xã, phường nào đang hoạt động.") % {"p": province.name}
        )
    rng = random.Random(seed)
    today = timezone.localtime(now).date()
    with transaction.atomic():
        procedures = _procedures(communes, today)
        staff = _staff(province, communes)
    builder = _Builder(
        province=province,
        communes=communes,
        procedures=procedures,
        staff=staff,
        now=now,
        rng=rng,
        first_ids=_first_ids(),
        sequences=_sequences(communes),
    )
    first = date(today.year - years, today.month, min(today.day, 28))
    days = _working_days(builder.cal, first, today - timedelta(days=1)) or [today]
    per_day, extra = divmod(count, len(days))
    extra_days = set(rng.sample(range(len(days)), extra))
    weights = [rng.lognormvariate(0, 0.6) for _ in communes]
    sched = builder.scheds[communes[0].pk]
    report = Report()
    writer = _Writer(threaded=connection.vendor == "postgresql" and not connection.in_atomic_block)
    try:
        pending = 0
        for index, day in enumerate(days):
            n = per_day + (1 if index in extra_days else 0)
            opening = timezone.make_aware(datetime.combine(day, sched.morning_start))
            for commune, k in sorted(
                Counter(rng.choices(range(len(communes)), weights=weights, k=n)).items()
            ):
                offsets = sorted(rng.randrange(sched.capacity) for _ in range(k))
                for off in offsets:
                    builder.dossier(
                        communes[commune], wd.add_office_seconds(opening, off, builder.cal, sched)
                    )
            pending += n
            if pending and (pending >= batch or index == len(days) - 1):
                for key, rows in builder.rows.items():
                    report.rows[key] += len(rows)
                writer.put(builder.rows)
                builder.rows = defaultdict(list)
                report.dossiers += pending
                pending = 0
                if progress:
                    rate = report.dossiers / max(time.monotonic() - started, 1e-6)
                    progress(
                        _("%(done)s/%(count)s hồ sơ (%(rate)s/s), đến ngày %(day)s")
                        % {
                            "done": report.dossiers,
                            "count": count,
                            "rate": f"{rate:,.0f}",
                            "day": f"{day:%d/%m/%Y}",
                        }
                    )
    finally:
        writer.close()
    with transaction.atomic():
        _save_sequences(communes, builder.daily, builder.yearly)
        dossier_tally_rebuild()  # the overview's counts of finished dossiers
        with connection.cursor() as c:
            for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _c in TABLES]):
                c.execute(sql)
        audit_record(
            actor=None,
            action=AUDIT_ACTION,
            obj=province,
            unit_code=province.code,
            summary=f"Sinh {count} hồ sơ mẫu cho {province.name}",
            data={"count": count, "seed": seed, "years": years, "rows": dict(report.rows)},
        )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as c:
            c.execute(
                "ANALYZE"
            )  # every table: fresh plans for the dossiers and for the units and users joined
    report.statuses = builder.statuses
    report.seconds = time.monotonic() - started
    return report
