"""Demo dossiers in every state, built through the services themselves (so codes, due dates, steps and events
are real) with back-dated times. Deterministic (seeded) and idempotent: skipped when the units already have
dossiers."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cqtt.accounts.models import Role, User
from cqtt.dossiers import services as s
from cqtt.dossiers.models import Dossier
from cqtt.procedures.models import Procedure
from cqtt.units.models import Unit
from cqtt.workdays.selectors import calendar_for

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Đức", "Thu", "Quốc", "Bảo"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Khánh",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tú",
    "Vy",
    "Yến",
]
STREETS = [
    "Bạch Đằng",
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Quang Trung",
    "Cách Mạng Tháng Tám",
]

# target state → weight (out of 100)
PLAN = [
    ("returned", 34),
    ("returned_late", 7),
    ("ready", 8),
    ("approved", 4),
    ("awaiting_approval", 8),
    ("in_progress", 8),
    ("at_risk", 5),
    ("overdue", 5),
    ("received", 5),
    ("paused", 5),
    ("extended", 3),
    ("online", 3),
    ("intake_supplement", 2),
    ("intake_refused", 1),
    ("refused", 1),
    ("withdrawn", 1),
]


def _staff(unit: Unit, role: str, username: str, full_name: str) -> User:
    from cqtt.accounts.services import role_grant, user_save_profile

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, unit=unit, position="Công chức")
        user.set_unusable_password()
        user_save_profile(user=user)
    if not user.roles.filter(unit=unit, role=role).exists():
        role_grant(user=user, unit=unit, role=role)
    return user


def _people(unit: Unit) -> dict[str, User]:
    counter = User.objects.filter(roles__unit=unit, roles__role=Role.COUNTER_OFFICER).order_by(
        "username"
    ).first() or _staff(unit, Role.COUNTER_OFFICER, f"mc{unit.code}", "Cán bộ một cửa")
    specialist = User.objects.filter(roles__unit=unit, roles__role=Role.SPECIALIST).order_by(
        "username"
    ).first() or _staff(unit, Role.SPECIALIST, f"cv{unit.code}", "Chuyên viên thụ lý")
    leader = User.objects.filter(roles__unit=unit, roles__role=Role.LEADER).order_by(
        "username"
    ).first() or _staff(unit, Role.LEADER, f"ld{unit.code}", "Lãnh đạo UBND")
    return {"counter": counter, "specialist": specialist, "leader": leader}


def _moment(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@transaction.atomic
def load_demo_dossiers(
    *, units: list[Unit], count: int = 300, now: datetime | None = None, seed: int = 766
) -> int:
    if Dossier.objects.filter(receiving_unit__in=units).exists():
        return 0
    now = now or timezone.now()
    rng = random.Random(seed)
    cal = calendar_for(None)
    today = timezone.localtime(now).date()
    people = {u.pk: _people(u) for u in units}
    procedures = {
        u.pk: list(
            Procedure.objects.filter(units=u, valid_to__isnull=True).prefetch_related(
                "documents", "fees", "steps"
            )
        )
        for u in units
    }
    states = [name for name, weight in PLAN for _ in range(weight)]
    created = 0
    for i in range(count):
        unit = units[i % len(units)]
        procs = [
            p for p in procedures[unit.pk] if p.duration_unit == "working_days" and p.duration_amount >= 2
        ]
        if not procs:
            continue
        who = people[unit.pk]
        state = states[rng.randrange(len(states))]
        if state == "online":
            procs = [p for p in procs if p.online_level != "truc_tiep"] or procs
            state = "online" if procs[0].online_level != "truc_tiep" else "received"
        procedure = rng.choice(procs)
        days = int(procedure.duration_amount)
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        century = rng.choice([0, 1, 2, 3])  # sex and century: 0/1 born 1900s, 2/3 born 2000s
        year = rng.randrange(50, 100) if century < 2 else rng.randrange(0, 7)
        id_number = f"{rng.choice([79, 75, 20, 38, 1]):03d}{century}{year:02d}{rng.randrange(10**6):06d}"
        applicant = s.ApplicantData(
            full_name=name,
            id_number=id_number,
            phone=f"09{rng.randrange(10**8):08d}",
            email="",
            address=f"{rng.randrange(1, 300)} đường {rng.choice(STREETS)}, {unit.full_name}",
        )
        documents = [
            s.DocumentData(
                name=d.name,
                kind=d.kind if d.kind in ("original", "copy", "certified_copy") else "copy",
                count=d.count,
                required_document_id=d.pk,
            )
            for d in procedure.documents.all()
        ]
        # how many working days ago the dossier came in
        if state in ("returned", "returned_late", "refused", "withdrawn", "intake_refused"):
            back = rng.randrange(days + 4, 45)
        elif state == "overdue":
            back = days + rng.randrange(1, 5)
        elif state == "at_risk":
            back = days  # due on the next working day: inside the last day of allotment
        elif state in ("online", "intake_supplement", "received"):
            back = rng.randrange(0, 2)
        else:
            back = rng.randrange(1, max(days, 2))
        day = cal.add_working_days(today, -back) if back else today
        received = _moment(day, rng.choice([7, 8, 9, 10, 13, 14]), rng.choice([35, 40, 45, 50]))
        if received > now:
            received = now - timedelta(minutes=30)

        if state == "online":
            s.dossier_submit_online(
                procedure_code=procedure.code,
                unit=unit,
                applicant=applicant,
                documents=documents,
                at=received,
            )
            created += 1
            continue
        if state in ("intake_supplement", "intake_refused"):
            missing = [documents[-1].name] if documents else ["Giấy tờ tùy thân"]
            s.dossier_intake(
                actor=who["counter"],
                procedure_code=procedure.code,
                applicant=applicant,
                unit=unit,
                documents=documents[:-1],
                missing_items=missing if state == "intake_supplement" else [],
                refusal_reason="Hồ sơ không thuộc thẩm quyền giải quyết của UBND cấp xã"
                if state == "intake_refused"
                else "",
                at=received,
            )
            created += 1
            continue
        d = s.dossier_intake(
            actor=who["counter"],
            procedure_code=procedure.code,
            applicant=applicant,
            unit=unit,
            documents=documents,
            at=received,
        ).dossier
        created += 1
        if state == "received":
            continue
        step = received + timedelta(hours=1)
        d = s.dossier_assign(actor=who["leader"], dossier=d, assignee=who["specialist"], at=step)
        if state == "withdrawn":
            s.dossier_withdraw(
                actor=who["counter"],
                dossier=d,
                reason="Công dân có đơn xin rút hồ sơ",
                at=step + timedelta(days=1),
            )
            continue
        if state == "paused":
            s.dossier_request_supplement(
                actor=who["specialist"],
                dossier=d,
                items=["Bản sao giấy tờ chứng minh nơi cư trú"],
                reason="Thông tin nơi cư trú chưa khớp với cơ sở dữ liệu dân cư",
                at=min(step + timedelta(hours=3), now),
            )
            continue
        if state in ("in_progress", "at_risk", "overdue"):
            continue
        if state == "extended":
            new_due = _moment(cal.add_working_days(timezone.localtime(d.due_at).date(), 3), 17)
            s.dossier_extend(
                actor=who["leader"],
                dossier=d,
                reason="Cần xác minh thêm thông tin với cơ quan khác",
                new_due_at=new_due,
                at=step + timedelta(hours=2),
            )
            continue
        if state == "refused":
            s.dossier_refuse(
                actor=who["leader"],
                dossier=d,
                reason="Người yêu cầu không đủ điều kiện theo quy định",
                at=step + timedelta(days=1),
            )
            continue
        # finishing time: before the due date, or after it for late ones
        due_day = timezone.localtime(d.due_at).date()
        if state == "returned_late":
            finish_day = cal.add_working_days(due_day, rng.randrange(1, 3))
        else:
            finish_day = cal.add_working_days(due_day, -rng.randrange(0, max(days - 1, 1)))
        finish = max(_moment(finish_day, 9, 30), step + timedelta(hours=2))
        if finish > now:
            finish = now - timedelta(minutes=10)
        d = s.dossier_submit(actor=who["specialist"], dossier=d, at=finish - timedelta(minutes=50))
        if state == "awaiting_approval":
            continue
        d = s.dossier_approve(actor=who["leader"], dossier=d, at=finish - timedelta(minutes=20))
        if state == "approved":
            continue
        d = s.dossier_mark_ready(actor=who["specialist"], dossier=d, at=finish)
        if state == "ready":
            continue
        collected = min(finish + timedelta(hours=rng.choice([1, 5, 23])), now)
        s.dossier_return_result(
            actor=who["counter"], dossier=d, collected_by=applicant.full_name, at=collected
        )
    return created
