"""`make bench-complaints`: opening a commune's case book of 100,000 cases on PostgreSQL (issue 14: p95 < 200 ms).

Without `DATABASE_URL`, recreates the database `cqtt_bench_complaints` on 127.0.0.1:5432, migrates it and makes one
ward with `COMPLAINTS_BENCH_CASES` (default 100,000) cases of every kind and state spread over four years (rows
written in bulk: the list's speed, not the intake's, is measured), and a leader. With `DATABASE_URL`, uses that
database and adds the cases to its busiest commune when it has fewer. Then requests, through the whole Django
stack with the test client (no network: the server's own time), `COMPLAINTS_BENCH_N` (default 200) times each:
the staff list page (first page; page 100; overdue only; denunciations only) and the API list, and prints
`<view>_p95_ms=…` per view, `p95_ms=…` over all, and OK or SLOW against the 200 ms target.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "cqtt_bench_complaints"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
TARGET_MS = 200


def _prepare_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DB_NAME}"')
    os.environ["DATABASE_URL"] = f"{PG}/{DB_NAME}"


def _fill(unit, n: int) -> None:
    """n cases of the unit, in bulk, with deadlines from the calendar (not the services: speed of the list)."""
    from cqtt.complaints import rules
    from cqtt.complaints.models import CODE_PREFIX, Case, Identity, Kind, Status
    from cqtt.workdays.selectors import calendar_for

    calendar = calendar_for(unit.province_code)
    rng = random.Random(14)
    today = dt.date(2026, 12, 1)
    first = today.toordinal() - 4 * 365
    statuses = list(Status.values)
    batch: list[Case] = []
    start = Case.objects.filter(unit=unit).count()
    for i in range(start, n):
        kind = rng.choice(Kind.values)
        received = dt.date.fromordinal(first + (i * 4 * 365) // n)
        status = Status.RECEIVED if received.toordinal() > today.toordinal() - 20 else rng.choice(statuses)
        acceptance = rules.deadline(received, rules.acceptance_period(kind), calendar).due_on
        accepted = calendar.add_working_days(received, 5) if status != Status.RECEIVED else None
        resolution = (
            rules.deadline(
                accepted, rules.resolution_period(kind), calendar, counting="calendar_days", amount=30
            ).due_on
            if accepted
            else None
        )
        batch.append(
            Case(
                code=f"{CODE_PREFIX[kind]}-{unit.code}-B{i:07d}",
                unit=unit,
                kind=kind,
                status=status,
                channel=rng.choice(["in_person", "post", "online", "transferred"]),
                content=f"Nội dung đơn thử số {i}: việc xây dựng, đất đai, thái độ cán bộ ở khu phố {i % 9 + 1}.",
                received_on=received,
                acceptance_due_on=acceptance,
                accepted_on=accepted,
                resolution_due_on=resolution,
                anonymous=kind == "denunciation" and i % 7 == 0,
            )
        )
        if len(batch) == 5000:
            made = Case.objects.bulk_create(batch)
            Identity.objects.bulk_create([Identity(case=c, full_name=f"Người gửi {c.pk}") for c in made])
            batch = []
    if batch:
        made = Case.objects.bulk_create(batch)
        Identity.objects.bulk_create([Identity(case=c, full_name=f"Người gửi {c.pk}") for c in made])


def main() -> int:
    n_cases = int(os.environ.get("COMPLAINTS_BENCH_CASES", "100000"))
    n = int(os.environ.get("COMPLAINTS_BENCH_N", "200"))
    fresh = not os.environ.get("DATABASE_URL")
    if fresh:
        _prepare_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from cqtt.accounts.models import Role, User
    from cqtt.accounts.services import role_grant
    from cqtt.complaints.models import Case
    from cqtt.units.models import Unit
    from cqtt.units.services import unit_save

    if connection.vendor != "postgresql":
        print(
            "the target is for PostgreSQL: unset DATABASE_URL (a bench database is made) or point it at one"
        )
        return 1
    if fresh:
        call_command("migrate", verbosity=0)
        province = unit_save(
            unit=Unit(
                code="79",
                name="Thành phố Hồ Chí Minh",
                full_name="Thành phố Hồ Chí Minh",
                level="province",
                kind="city",
            )
        )
        unit_save(
            unit=Unit(
                code="25747",
                name="Phường Thủ Dầu Một",
                full_name="Phường Thủ Dầu Một",
                level="commune",
                kind="ward",
                parent=province,
            )
        )
    top = Case.objects.values("unit_id").annotate(c=Count("pk")).order_by("-c").first()
    unit = (
        Unit.objects.get(pk=top["unit_id"])
        if top
        else Unit.objects.filter(level="commune").order_by("pk").first()
    )
    started = time.perf_counter()
    _fill(unit, n_cases)
    filled = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_case")
    leader = User.objects.filter(username="bench_kn_leader").first() or User.objects.create_user(
        "bench_kn_leader", password=None, full_name="Lãnh đạo thử"
    )
    if not leader.roles.filter(unit=unit, role=Role.LEADER).exists():
        role_grant(user=leader, unit=unit, role=Role.LEADER)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(leader)
    views = {
        "list": f"/khieu-nai-to-cao/?unit={unit.code}",
        "list_page100": f"/khieu-nai-to-cao/?unit={unit.code}&page=100",
        "list_overdue": f"/khieu-nai-to-cao/?unit={unit.code}&overdue=on",
        "list_denunciations": f"/khieu-nai-to-cao/?unit={unit.code}&kind=denunciation",
        "api_list": f"/api/v1/complaints/?unit={unit.code}",
    }
    results: dict[str, list[float]] = {}
    for name, url in views.items():
        for _ in range(5):  # warm-up
            client.get(url)
        timings = []
        for _ in range(n):
            t0 = time.perf_counter()
            r = client.get(url)
            timings.append((time.perf_counter() - t0) * 1000)
            if r.status_code != 200:
                print(f"{name}: {r.status_code} {r.content[:200]!r}")
                return 1
        results[name] = sorted(timings)

    def p95(values: list[float]) -> float:
        return values[max(0, int(len(values) * 0.95 + 0.5) - 1)]

    every = sorted(t for v in results.values() for t in v)
    cases = Case.objects.filter(unit=unit).count()
    parts = " ".join(f"{k}_p95_ms={p95(v):.1f}" for k, v in results.items())
    worst = max(p95(v) for v in results.values())
    print(
        f"{parts} p95_ms={p95(every):.1f} p50_ms={statistics.median(every):.1f} worst_view_p95_ms={worst:.1f} "
        f"cases={cases} unit={unit.code} n={n} fill_s={filled:.1f} target_p95_ms={TARGET_MS} "
        f"{'OK' if worst < TARGET_MS else 'SLOW'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
