"""`make bench-evaluation`: the evaluation read model at scale on PostgreSQL (issue 15).

Recreates the database `cqtt_bench_evaluation` on 127.0.0.1:5432 (`BENCH_PG`), migrates it and loads the national
unit list, then:

1. generates `EVALUATION_BENCH_DOSSIERS` (default 1,000,000) dossiers of province 79 with `generate_dossiers`
   and times `evaluation_rebuild` over them (target < 2 minutes at 1,000,000);
2. replaces the read model with a large one written directly (no dossiers): facts per commune and month for every
   commune of every province over 36 months, `EVALUATION_BENCH_FACTS` (default 10,000,000) dossiers' worth, and
   officer facts (three officers per commune);
3. requests through the whole Django stack with the test client, `EVALUATION_BENCH_N` (default 200) times each:
   the public scorecard of the busiest commune of 79 (a quarter), its indicators (API, a year), the ranking of
   all the communes of 79 (API, a year) and the ranking page with its trends; prints `<view>_p95_ms=…`, the
   rebuild time, and OK or SLOW against the targets (scorecard, indicators < 100 ms; ranking < 300 ms);
4. builds the province's review report for the year (every commune of 79, xlsx and PDF with charts) as the task
   builds it, and prints its time and sizes (`report_province_s=…`; it runs in the background, no target).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "cqtt_bench_evaluation"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
TARGETS_MS = {"scorecard": 100, "indicators": 100, "ranking": 300, "ranking_page": 300}
REBUILD_TARGET_S = 120
MONTHS = 36


def _prepare_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DB_NAME}"')
        admin.execute(f'ALTER DATABASE "{DB_NAME}" SET jit = off')
    os.environ["DATABASE_URL"] = f"{PG}/{DB_NAME}"


def _months(today: dt.date) -> list[dt.date]:
    from cqtt.evaluation.indices import last_months

    return [p.start for p in last_months(today, MONTHS)]


def _fill_facts(total: int, today: dt.date) -> tuple[int, int]:
    """Facts of every commune and month adding up to `total` received dossiers; returns (unit rows, officer rows)."""
    from cqtt.evaluation.models import OfficerMonthFact, UnitMonthFact
    from cqtt.units.models import Unit, UnitLevel

    UnitMonthFact.objects.all().delete()
    OfficerMonthFact.objects.all().delete()
    communes = list(Unit.objects.filter(level=UnitLevel.COMMUNE).values_list("pk", flat=True))
    months = _months(today)
    per_row = max(1, total // (len(communes) * len(months)))
    rng = random.Random(15)
    units, officers, n_units, n_officers = [], [], 0, 0
    officer_id = 10_000_000
    for unit_id in communes:
        ids = [officer_id + k for k in range(3)]
        officer_id += 3
        for month in months:
            received = max(1, int(per_row * rng.uniform(0.5, 1.5)))
            finished = int(received * rng.uniform(0.85, 1.0))
            late = int(finished * rng.uniform(0.0, 0.1))
            early = int((finished - late) * rng.uniform(0.3, 0.7))
            rated = int(finished * 0.3)
            unhappy = int(rated * rng.uniform(0.0, 0.08))
            fb = max(0, int(received * 0.01))
            fb_late = int(fb * rng.uniform(0.0, 0.2))
            units.append(
                UnitMonthFact(
                    unit_id=unit_id,
                    month=month,
                    received=received,
                    online=int(received * rng.uniform(0.1, 0.6)),
                    finished=finished,
                    early=early,
                    on_time=finished - late - early,
                    late=late,
                    online_finished=int(finished * 0.3),
                    online_late=int(late * 0.3),
                    rated=rated,
                    very_satisfied=int((rated - unhappy) * 0.6),
                    satisfied=rated - unhappy - int((rated - unhappy) * 0.6),
                    unsatisfied=unhappy,
                    i1_sum=int(rated * 1.5),
                    i1_n=rated,
                    i3_sum=int(rated * 1.8),
                    i3_n=rated,
                    i4_sum=int(rated * 1.9),
                    i4_n=rated,
                    i7_sum=int(rated * 1.4),
                    i7_n=rated,
                    feedback_received=fb,
                    feedback_on_time=fb - fb_late,
                    feedback_late=fb_late,
                    likes=fb,
                    dislikes=fb_late,
                    letters_apology=late,
                    letters_thanks=int(finished * 0.02),
                    letters_congratulation=int(finished * 0.05),
                    commitments_due=rng.randint(0, 3),
                    commitments_kept=rng.randint(0, 1),
                )
            )
            for oid in ids:
                r = rated // 3
                officers.append(
                    OfficerMonthFact(
                        unit_id=unit_id,
                        officer_id=oid,
                        month=month,
                        rated=r,
                        i1_sum=int(r * 1.5),
                        i1_n=r,
                        i3_sum=int(r * 1.8),
                        i3_n=r,
                        i4_sum=int(r * 1.9),
                        i4_n=r,
                        i7_sum=int(r * 1.4),
                        i7_n=r,
                    )
                )
        if len(units) >= 20_000:
            n_units += len(UnitMonthFact.objects.bulk_create(units, batch_size=5000))
            n_officers += len(OfficerMonthFact.objects.bulk_create(officers, batch_size=5000))
            units, officers = [], []
    n_units += len(UnitMonthFact.objects.bulk_create(units, batch_size=5000))
    n_officers += len(OfficerMonthFact.objects.bulk_create(officers, batch_size=5000))
    return n_units, n_officers


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(0, int(len(values) * 0.95 + 0.5) - 1)]


def main() -> int:
    n_dossiers = int(os.environ.get("EVALUATION_BENCH_DOSSIERS", "1000000"))
    n_facts = int(os.environ.get("EVALUATION_BENCH_FACTS", "10000000"))
    n = int(os.environ.get("EVALUATION_BENCH_N", "200"))
    _prepare_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum
    from django.test import Client

    from cqtt.accounts.models import Role, User
    from cqtt.accounts.services import role_grant
    from cqtt.evaluation.indices import month_period
    from cqtt.evaluation.models import UnitMonthFact
    from cqtt.evaluation.read_model import facts_rebuild
    from cqtt.evaluation.selectors import today
    from cqtt.units.models import Unit, UnitLevel

    if connection.vendor != "postgresql":
        print("the targets are for PostgreSQL")
        return 1
    call_command("migrate", verbosity=0)
    call_command("load_units", verbosity=0)
    started = time.perf_counter()
    if n_dossiers:
        call_command("generate_dossiers", count=n_dossiers, province="79", verbosity=0)
    generated_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    started = time.perf_counter()
    rebuilt_rows = facts_rebuild()
    rebuild_s = time.perf_counter() - started
    rebuilt_received = UnitMonthFact.objects.aggregate(s=Sum("received"))["s"] or 0

    day = today()
    started = time.perf_counter()
    unit_rows, officer_rows = _fill_facts(n_facts, day)
    fill_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE evaluation_unitmonthfact")
        cursor.execute("ANALYZE evaluation_officermonthfact")
    worth = UnitMonthFact.objects.aggregate(s=Sum("received"))["s"] or 0
    province = Unit.objects.get(code="79")
    communes = Unit.objects.filter(path__startswith=province.path, level=UnitLevel.COMMUNE)
    commune = communes.order_by("code").first()
    supervisor = User.objects.create_user("bench_dg_supervisor", password=None, full_name="Giám sát thử")
    role_grant(user=supervisor, unit=province, role=Role.PROVINCIAL_SUPERVISOR)
    leader = User.objects.create_user("bench_dg_leader", password=None, full_name="Lãnh đạo thử")
    role_grant(user=leader, unit=commune, role=Role.LEADER)
    this_month = month_period(day).label
    quarter = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    year = str(day.year)
    public, staff, boss = (
        Client(HTTP_HOST="127.0.0.1"),
        Client(HTTP_HOST="127.0.0.1"),
        Client(HTTP_HOST="127.0.0.1"),
    )
    staff.force_login(leader)
    boss.force_login(supervisor)
    views = {
        "scorecard": (public, f"/api/v1/public/units/{commune.code}/scorecard/?period={quarter}"),
        "scorecard_month": (public, f"/api/v1/public/units/{commune.code}/scorecard/?period={this_month}"),
        "indicators": (staff, f"/api/v1/evaluation/indicators/?unit={commune.code}&period={year}"),
        "indicators_page": (staff, f"/danh-gia-mo-hinh/don-vi/{commune.code}/?period={year}"),
        "ranking": (boss, f"/api/v1/evaluation/ranking/?province=79&period={year}"),
        "ranking_page": (boss, f"/danh-gia-mo-hinh/?province=79&period={year}"),
    }
    results = {}
    for name, (client, url) in views.items():
        for _i in range(5):
            client.get(url)
        timings = []
        for _i in range(n):
            t0 = time.perf_counter()
            r = client.get(url)
            timings.append((time.perf_counter() - t0) * 1000)
            if r.status_code != 200:
                print(f"{name}: {r.status_code} {r.content[:300]!r}")
                return 1
        results[name] = p95(timings)
    # a province's review report over the large read model, built as the task builds it (no target: it runs in
    # the background with its progress shown)
    from django.utils import timezone

    from cqtt.evaluation.reports_models import Report, ReportStatus
    from cqtt.evaluation.reports_services import report_build

    report = Report.objects.create(
        kind="model_review", unit=province, period=year, requested_by=supervisor, requested_at=timezone.now()
    )
    started = time.perf_counter()
    report_build(report_id=report.pk)
    report_s = time.perf_counter() - started
    report.refresh_from_db()
    if report.status != ReportStatus.DONE:
        print(f"report: {report.status} {report.error}")
        return 1
    report_part = (
        f"report_province_s={report_s:.1f} report_parts={report.total} "
        f"report_pdf_kb={len(report.pdf) // 1024} report_xlsx_kb={len(report.xlsx) // 1024}"
    )
    ok = all(
        results[k] < TARGETS_MS.get(k.split("_month")[0].replace("indicators_page", "indicators"), 300)
        for k in results
    )
    ok_rebuild = rebuild_s < REBUILD_TARGET_S * max(1.0, n_dossiers / 1_000_000)
    parts = " ".join(f"{k}_p95_ms={v:.1f}" for k, v in results.items())
    parts = f"{parts} {report_part}"
    print(
        f"{parts} rebuild_s={rebuild_s:.1f} rebuild_dossiers={n_dossiers} rebuild_rows={rebuilt_rows} "
        f"rebuild_received={rebuilt_received} generated_s={generated_s:.0f} fact_rows={unit_rows} "
        f"officer_rows={officer_rows} facts_worth_dossiers={worth} fill_s={fill_s:.0f} "
        f"communes_79={communes.count()} n={n} {'OK' if ok and ok_rebuild else 'SLOW'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
