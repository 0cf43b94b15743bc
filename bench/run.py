"""`SCALE=<n> make bench`: provincial-scale benchmark of the one-stop over HTTP, and of its SQL through pgbench.

1. Database `cqtt_bench_<scale>` on PostgreSQL: reused when it already holds `scale` generated dossiers, else
   created, migrated and filled with `manage.py generate_dossiers`.
2. Bench accounts of a sample of communes (API tokens, staff sessions) and a sample of existing dossiers to look up.
3. granian (ADR 0009) with several worker processes, production settings (DEBUG off, persistent DB connections, Redis cache).
4. locust headless, one scenario after another: lifecycle, work lists, commune overview, province overview, lookup,
   staff search, a citizen's rating (POST /api/v1/public/ratings/, each a returned dossier not rated yet; about
   30 % of the returned dossiers are rated beforehand) and the unit's rating summary (a commune's leader, or the
   province's supervisor one time in five), and a citizen's feedback through the public API.
5. pgbench with the SQL one lifecycle issues (captured from the services), to compare with the database's own limit.

Prints one line per scenario, then
`lifecycles_per_s=… p95_ms=… lookup_p95_ms=… worklist_p95_ms=… search_p95_ms=… rating_p95_ms=…
rating_summary_p95_ms=… feedback_p95_ms=… errors=…`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
OUT = ROOT / "var" / "bench"
SCENARIOS = [
    # name, locust user class, concurrent clients (None: --users for the lifecycle, --read-users for the rest)
    ("lifecycle", "LifecycleUser", "users"),
    ("worklist", "WorklistUser", "read_users"),
    ("overview", "OverviewUser", "read_users"),
    ("overview_province", "ProvinceOverviewUser", 2),
    ("lookup", "LookupUser", "read_users"),
    ("search", "SearchUser", "read_users"),
    ("rating", "RatingUser", "read_users"),
    ("rating_summary", "RatingSummaryUser", "read_users"),
    ("feedback", "FeedbackUser", "read_users"),
]


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    k = max(0, min(len(values) - 1, math.ceil(p / 100 * len(values)) - 1))  # nearest rank
    return values[k]


# --- database ----------------------------------------------------------------------------------------------


def prepare_database(args) -> str:
    import psycopg

    name = f"cqtt_bench_{args.scale}"
    url = f"{args.pg}/{name}"
    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not args.regenerate:
            if _generated(url, args.province) == args.scale:
                log(f"reusing {name} ({args.scale} generated dossiers)")
                _setup_django(url)
                from django.core.management import call_command

                call_command("migrate", verbosity=0)  # a bench database made by older code
                return url
        if exists:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        # settings this workload relies on (documented in docs/performance.md)
        admin.execute(f'ALTER DATABASE "{name}" SET jit = off')
    _setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_units", verbosity=0)
    started = time.monotonic()
    call_command("generate_dossiers", count=args.scale, province=args.province)
    log(f"generated {args.scale} dossiers in {time.monotonic() - started:.0f} s")
    return url


def _generated(url: str, province: str) -> int:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT coalesce(sum((data->>'count')::int), 0) FROM core_auditevent "
                "WHERE action = 'dossiers.generated' AND unit_code = %s",
                [province],
            ).fetchone()
            return int(row[0])
    except Exception:
        return -1


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    # sessions made here are signed with the key the server will use
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(60))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- accounts and samples ----------------------------------------------------------------------------------


def prepare_accounts(args) -> dict:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count
    from rest_framework.authtoken.models import Token

    from cqtt.accounts.models import User
    from cqtt.dossiers.models import Dossier
    from cqtt.procedures.models import Procedure
    from cqtt.units.models import Unit

    def session(user: User) -> str:
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s.create()
        return s.session_key

    def token(user: User) -> str:
        return Token.objects.get_or_create(user=user)[0].key

    province = Unit.objects.get(level="province", code=args.province)
    busiest = list(
        Dossier.objects.filter(receiving_unit__path__startswith=province.path)
        .values("receiving_unit")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("receiving_unit", flat=True)[: args.communes]
    )
    communes = []
    for unit in Unit.objects.filter(pk__in=busiest).order_by("code"):
        users = {
            u.username.rsplit("-", 1)[1]: u
            for u in User.objects.filter(username__startswith=f"gen-{unit.code}-")
        }
        procedures = list(
            Procedure.objects.filter(duration_unit="working_days", units=unit).values_list("code", flat=True)
        ) or list(Procedure.objects.filter(duration_unit="working_days").values_list("code", flat=True))
        communes.append(
            {
                "unit": unit.code,
                "counter_token": token(users["mc"]),
                "leader_token": token(users["ld"]),
                "specialist": users["cv1"].username,
                "procedures": sorted(set(procedures)),
                "sessions": {
                    "counter": session(users["mc"]),
                    "specialist": session(users["cv1"]),
                    "leader": session(users["ld"]),
                },
            }
        )
    supervisor = User.objects.get(username=f"gen-{province.code}-gs")
    total = Dossier.objects.count()
    percent = min(100.0, max(0.01, 300.0 * args.lookups / max(total, 1)))  # about 3× the rows wanted
    sample = list(
        Dossier.objects.raw(
            "SELECT id, code, applicant_phone, applicant_name, applicant_id_number, receiving_unit_id "
            "FROM dossiers_dossier TABLESAMPLE BERNOULLI (%s) WHERE code NOT LIKE 'PGB-%%' LIMIT %s",
            [percent, args.lookups],
        )
    )
    lookups = [(d.code, d.applicant_phone[-4:]) for d in sample]
    unit_codes = dict(Unit.objects.filter(pk__in=busiest).values_list("pk", "code"))
    searches: dict[str, list[str]] = {code: [] for code in unit_codes.values()}
    province_searches = []
    for d in sample:
        queries = _search_queries(d)
        province_searches.extend(queries)
        if d.receiving_unit_id in unit_codes:
            searches[unit_codes[d.receiving_unit_id]].extend(queries)
    for c in communes:
        c["searches"] = searches[c["unit"]] or province_searches[:50]
    return {
        "communes": communes,
        "province_session": session(supervisor),
        "province_token": token(supervisor),
        "province": province.code,
        "rating_tokens": _rating_tokens(args),
        "period": _quarter(),
        "lookups": lookups,
        "province_searches": province_searches,
    }


def prepare_ratings(args) -> None:
    """Ratings over the generated dossiers, as a province would have them: about 30 % of the returned dossiers
    rated on the day of return (one INSERT … SELECT), then the tallies recounted. Once per database."""
    from django.db import connection

    from cqtt.ratings.models import Rating
    from cqtt.ratings.services import tally_rebuild

    if Rating.objects.exists():
        return
    started = time.monotonic()
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO ratings_rating (dossier_id, unit_id, officer_id, channel, level, reasons, comment, "
            "i1, i3, i4, i7, rated_at, received_at, client_id, source, flags, review, review_note) "
            "SELECT id, receiving_unit_id, received_by_id, CASE WHEN id % 3 = 0 THEN 'web' ELSE 'kiosk' END, "
            "(ARRAY['very_satisfied','very_satisfied','satisfied','satisfied','satisfied','neutral',"
            "'unsatisfied','very_satisfied','satisfied','very_unsatisfied'])[1 + id % 10], '[]'::jsonb, '', "
            "CASE timeliness WHEN 'early' THEN 2 WHEN 'on_time' THEN 1 ELSE 0 END, 2, 1, "
            "CASE timeliness WHEN 'early' THEN 2 ELSE 1 END, returned_at, returned_at, '', '', '[]'::jsonb, "
            "'counted', '' FROM dossiers_dossier WHERE status = 'returned' AND returned_at IS NOT NULL "
            "AND id % 10 < 3"
        )
        made = cur.rowcount
    rows = tally_rebuild()
    log(f"made {made} ratings and {rows} tally rows in {time.monotonic() - started:.0f} s")


def _rating_tokens(args) -> list[str]:
    """Tokens of returned dossiers not rated yet, one per rating the scenario sends."""
    from cqtt.dossiers.models import Dossier

    total = Dossier.objects.count()
    percent = min(100.0, max(0.01, 1000.0 * args.ratings / max(total, 1)))  # returned ones are ~ a third
    rows = Dossier.objects.raw(
        "SELECT d.id, d.lookup_token FROM dossiers_dossier d TABLESAMPLE BERNOULLI (%s) "
        "WHERE d.status = 'returned' AND NOT EXISTS (SELECT 1 FROM ratings_rating r WHERE r.dossier_id = d.id) "
        "LIMIT %s",
        [percent, args.ratings],
    )
    return [d.lookup_token for d in rows]


def _quarter() -> str:
    from django.utils import timezone

    today = timezone.localdate()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def _search_queries(d) -> list[str]:
    """What staff type into the search box to find this dossier: its code, the applicant's name as written or
    without diacritics, family and given name only, the ID number, the phone, its last 4 digits."""
    from cqtt.core.text import fold

    words = d.applicant_name.split()
    return [
        d.code,
        d.applicant_name,
        fold(d.applicant_name),
        f"{words[0]} {words[-1]}",
        d.applicant_id_number,
        d.applicant_phone,
        d.applicant_phone[-4:],
    ]


# --- server ------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, url: str, port: int) -> subprocess.Popen:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{url}?{args.db_options}" if args.db_options else url,
        "CONN_MAX_AGE": "600",
        "REDIS_URL": args.redis,
        # as behind nginx: each simulated citizen sends its own address in X-Forwarded-For, so the per-IP lookup
        # limit (20/min) applies per citizen as in production rather than to the load generator's one address
        "NUM_PROXIES": "1",
    }
    threads = args.threads or (1 if args.server == "granian" else 2)
    if args.server == "granian":
        cmd = [
            str(VENV_BIN / "granian"),
            "--interface",
            "wsgi",
            "config.wsgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--blocking-threads",
            str(threads),
            "--no-ws",
            "--log-level",
            "warning",
        ]
    else:
        cmd = [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(threads),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
            "--max-requests",
            "0",
        ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/api/v1/units/?type=province", timeout=5
            ) as r:
                if r.status == 200:
                    return proc
        except Exception:
            time.sleep(0.5)
    stop(proc)
    raise SystemExit(f"{args.server} did not start")


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except Exception:
        pass


# --- load --------------------------------------------------------------------------------------------------


def cpu_seconds(server_pgid: int) -> dict[str, float]:
    """CPU time used so far by the platform's processes (the server's process group), PostgreSQL and Redis."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {"platform": 0.0, "postgresql": 0.0, "redis": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        pgrp, cpu = int(fields[2]), (int(fields[11]) + int(fields[12])) / tick
        if pgrp == server_pgid:
            used["platform"] += cpu
        elif comm == "postgres":
            used["postgresql"] += cpu
        elif comm.startswith("redis"):
            used["redis"] += cpu
    return used


def run_scenario(
    args,
    name: str,
    user_class: str,
    users: int,
    seconds: int,
    port: int,
    config: Path,
    server_pgid: int = 0,
    phase: str = "measure",
) -> dict:
    timings = OUT / f"timings-{name}.json"
    # the phase tells a scenario that uses things up (the rating tokens) which share is the warm-up's
    env = os.environ | {"BENCH_CONFIG": str(config), "BENCH_TIMINGS": str(timings), "BENCH_PHASE": phase}
    cmd = [
        str(VENV_BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        f"http://127.0.0.1:{port}",
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{seconds}s",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "10",
        user_class,
    ]
    before, load_before = cpu_seconds(server_pgid), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=False)
    after, load_after = cpu_seconds(server_pgid), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = {k: after[k] - before[k] for k in after}
    cpu["load generator"] = (load_after.ru_utime + load_after.ru_stime) - (
        load_before.ru_utime + load_before.ru_stime
    )
    data = json.loads(timings.read_text(encoding="utf-8"))
    window = data["window"]["stop"] - data["window"]["start"]
    rows = data["timings"]
    flows = [t for n, t, ok in rows if n == "lifecycle" and ok]
    requests = [(n, t, ok) for n, t, ok in rows if n != "lifecycle"]
    errors = sum(1 for _n, _t, ok in rows if not ok and _n != "lifecycle")
    times = [t for _n, t, ok in requests if ok]
    result = {
        "scenario": name,
        "users": users,
        "seconds": round(window, 1),
        "requests": len(requests),
        "requests_per_s": round(len(requests) / window, 1),
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "p99_ms": round(percentile(times, 99), 1),
        "errors": errors,
        "by_name": {},
    }
    for n in sorted({n for n, _t, _ok in requests}):
        ts = [t for m, t, ok in requests if m == n and ok]
        result["by_name"][n] = {
            "count": len(ts),
            "p50_ms": round(percentile(ts, 50), 1),
            "p95_ms": round(percentile(ts, 95), 1),
        }
    total = sum(cpu.values())
    # where the machine's CPU went during the run (locust's start-up and ramp included)
    result["cpu_share"] = {k: round(v / total, 3) for k, v in cpu.items()} if total else {}
    if name == "lifecycle":
        result["lifecycles"] = len(flows)
        result["lifecycles_per_s"] = round(len(flows) / window, 1)
        result["lifecycle_p95_ms"] = round(percentile(flows, 95), 1)
        if flows:
            result["cpu_ms_per_lifecycle"] = {k: round(v / len(flows) * 1000, 1) for k, v in cpu.items()}
    return result


def scenario_line(r: dict) -> str:
    parts = [f"scenario={r['scenario']}", f"users={r['users']}", f"requests_per_s={r['requests_per_s']}"]
    if "lifecycles_per_s" in r:
        parts += [f"lifecycles_per_s={r['lifecycles_per_s']}", f"lifecycle_p95_ms={r['lifecycle_p95_ms']}"]
    parts += [
        f"p50_ms={r['p50_ms']}",
        f"p95_ms={r['p95_ms']}",
        f"p99_ms={r['p99_ms']}",
        f"errors={r['errors']}",
    ]
    if r.get("cpu_ms_per_lifecycle"):
        parts.append(
            "cpu_ms_per_lifecycle="
            + ",".join(f"{k.replace(' ', '_')}:{v}" for k, v in r["cpu_ms_per_lifecycle"].items())
        )
    return " ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=int(os.environ.get("SCALE", "10000")))
    parser.add_argument("--province", default=os.environ.get("BENCH_PROVINCE", "79"))
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/7"))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "30")))
    parser.add_argument("--users", type=int, default=int(os.environ.get("BENCH_USERS", "12")))
    parser.add_argument(
        "--read-users",
        type=int,
        default=int(os.environ.get("BENCH_READ_USERS", "4")),
        help="clients of the read-only scenarios (4 without pause ≈ 100 times a province's work-list traffic)",
    )
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "4")))
    parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("BENCH_THREADS", "0")) or None,
        help="threads per worker process (default: granian 1, gunicorn 2)",
    )
    parser.add_argument(
        "--server",
        choices=["granian", "gunicorn"],
        default=os.environ.get("BENCH_SERVER", "granian"),
        help="granian (production, ADR 0009) or gunicorn (for comparison; pip install gunicorn)",
    )
    parser.add_argument("--worker-class", default=os.environ.get("BENCH_WORKER_CLASS", "gthread"))
    parser.add_argument(
        "--db-options",
        default=os.environ.get("BENCH_DB_OPTIONS", ""),
        help="query string of database OPTIONS for the server, e.g. server_side_binding=true&prepare_threshold=2",
    )
    parser.add_argument("--communes", type=int, default=24)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument(
        "--ratings", type=int, default=40000, help="returned dossiers the rating scenario rates"
    )
    parser.add_argument("--only", default="", help="comma-separated scenarios (default: all)")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--no-pgbench", action="store_true")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    url = prepare_database(args)
    prepare_ratings(args)
    config = OUT / "config.json"
    config.write_text(json.dumps(prepare_accounts(args), ensure_ascii=False), encoding="utf-8")
    from explain_paths import explain_paths

    explained = explain_paths(json.loads(config.read_text(encoding="utf-8")))
    for r in explained:
        print(
            f"explain path={r['path']} queries={r['queries']} max_rows_read={r['max_rows_read']} "
            f"aggregated_rows={r['aggregated_rows']} over_reading={r['over_reading']} "
            f"big_seq_scans={r['big_seq_scans']} sql_ms={r['sql_ms']} planning_ms={r['planning_ms']}",
            flush=True,
        )
    port = free_port()
    server = start_server(args, url, port)
    results = []
    try:
        only = {s for s in args.only.split(",") if s}
        for name, user_class, users in SCENARIOS:
            if only and name not in only:
                continue
            n = users if isinstance(users, int) else getattr(args, users)
            run_scenario(
                args, name, user_class, n, 5, port, config, server.pid, phase="warmup"
            )  # not counted
            result = run_scenario(args, name, user_class, n, args.seconds, port, config, server.pid)
            results.append(result)
            print(scenario_line(result), flush=True)
    finally:
        stop(server)

    pg = None
    if not args.no_pgbench:
        from pgbench_lifecycle import run_pgbench

        pg = run_pgbench(url=url, clients=args.users, seconds=min(args.seconds, 20), out=OUT)
        print(
            f"scenario=pgbench_lifecycle clients={pg['clients']} db_lifecycles_per_s={pg['tps']} "
            f"statements_per_lifecycle={pg['statements']} latency_ms={pg['latency_ms']}",
            flush=True,
        )

    by = {r["scenario"]: r for r in results}
    life = by.get("lifecycle", {})
    summary = {
        "lifecycles_per_s": life.get("lifecycles_per_s", 0),
        "p95_ms": life.get("p95_ms", 0),
        "lookup_p95_ms": by.get("lookup", {}).get("p95_ms", 0),
        "worklist_p95_ms": max(
            by.get("worklist", {}).get("p95_ms", 0), by.get("overview", {}).get("p95_ms", 0)
        ),
        "search_p95_ms": by.get("search", {}).get("p95_ms", 0),
        "rating_p95_ms": by.get("rating", {}).get("p95_ms", 0),
        "rating_summary_p95_ms": by.get("rating_summary", {}).get("p95_ms", 0),
        "feedback_p95_ms": by.get("feedback", {}).get("p95_ms", 0),
        "errors": sum(r["errors"] for r in results),
    }
    if pg and pg["tps"] and life:
        summary["db_fraction"] = round(life["lifecycles_per_s"] / pg["tps"], 3)
    (OUT / f"result-{args.scale}.json").write_text(
        json.dumps({"scale": args.scale, "args": vars(args), "scenarios": results, "pgbench": pg, "summary": summary,
                    "explain": explained},
                   ensure_ascii=False, indent=2),
        encoding="utf-8",
    )  # fmt: skip
    print(" ".join(f"{k}={v}" for k, v in summary.items() if k != "db_fraction"), flush=True)
    if "db_fraction" in summary:
        print(f"fraction_of_db_limit={summary['db_fraction']}", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
