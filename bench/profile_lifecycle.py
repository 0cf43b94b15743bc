"""Where a lifecycle's time goes inside the platform: plays `N` lifecycles of the bench communes in-process
(Django's test client, production settings, the bench database) and prints the Python CPU time per lifecycle and
per request, the SQL statements per request, then the same lifecycles under cProfile: the packages and
functions that take the time (PROFILE_SORT=tottime|cumulative, PROFILE_LINES=n).

Run after `make bench` has built the database and its accounts (var/bench/config.json):

    SCALE=1000000 .venv/bin/python bench/profile_lifecycle.py [N]
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import random
import secrets
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench"
CPU: Counter = Counter()  # CPU seconds per request kind, outside the profiler
ONLY = os.environ.get("PROFILE_REQUEST", "")  # profile only this request kind (receive, assign, …, lookup)
PROFILER: list = []  # the profiler of the profiled pass, when ONLY names a request kind


def _profiled(name: str):
    """Enable the profiler around one request when it is the kind asked for."""
    import contextlib

    if not (ONLY and PROFILER and name == ONLY):
        return contextlib.nullcontext()

    @contextlib.contextmanager
    def on():
        PROFILER[0].enable()
        try:
            yield
        finally:
            PROFILER[0].disable()

    return on()


def _setup() -> None:
    scale = os.environ.get("SCALE", "10000")
    pg = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(60),
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DATABASE_URL": f"{pg}/cqtt_bench_{scale}",
            "CONN_MAX_AGE": "600",
            "REDIS_URL": os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/7"),
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


class _NoCapture:
    captured_queries: list = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _lifecycle(client, c: dict, queries: Counter | None) -> None:
    """One lifecycle; with `queries`, its statements are counted (Django's query capture costs CPU itself, so
    the timed passes run without it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def capture():
        return CaptureQueriesContext(connection) if queries is not None else _NoCapture()

    counter = {"HTTP_AUTHORIZATION": f"Token {c['counter_token']}"}
    leader = {"HTTP_AUTHORIZATION": f"Token {c['leader_token']}"}
    phone = f"09{random.randrange(10**8):08d}"
    body = {
        "procedure_code": random.choice(c["procedures"]),
        "unit_code": c["unit"],
        "applicant": {"full_name": "Nguyễn Văn Bình", "phone": phone, "id_number": "079203001234"},
    }

    def post(path, data, headers, name):
        started = time.process_time()
        with capture() as ctx, _profiled(name):
            r = client.post(path, data=json.dumps(data), content_type="application/json", **headers)
        CPU[name] += time.process_time() - started
        if queries is not None:
            queries[name] += len(ctx.captured_queries)
        if r.status_code >= 400:
            raise RuntimeError(f"{path}: {r.status_code} {r.content[:300]!r}")
        return r.json()

    created = post("/api/v1/dossiers/", body, counter, "receive")
    version = created["version"]
    for action, data, headers in [
        ("assign", {"assignee": c["specialist"]}, leader),
        ("approve", {}, leader),
        ("mark-ready", {}, leader),
        ("return-result", {"collected_by": "Nguyễn Văn Bình"}, counter),
    ]:
        version = post(
            f"/api/v1/dossiers/{created['code']}/{action}/", data | {"version": version}, headers, action
        )["version"]
    started = time.process_time()
    with capture() as ctx, _profiled("lookup"):
        r = client.get(
            f"/api/v1/public/dossiers/{created['code']}/?phone_last4={phone[-4:]}",
            REMOTE_ADDR=f"10.8.{random.randrange(256)}.{random.randrange(1, 255)}",
        )
    CPU["lookup"] += time.process_time() - started
    if queries is not None:
        queries["lookup"] += len(ctx.captured_queries)
    if r.status_code != 200:
        raise RuntimeError(f"lookup: {r.status_code}")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    _setup()
    from django.test import Client

    config = json.loads((OUT / "config.json").read_text(encoding="utf-8"))
    communes = config["communes"]
    client = Client(HTTP_HOST="127.0.0.1")
    queries: Counter = Counter()
    for c in communes[:5]:  # warm caches and connections
        _lifecycle(client, c, None)
    for i in range(len(communes)):  # statements per request, counted in a pass of their own
        _lifecycle(client, communes[i], queries)
    counted = len(communes)
    CPU.clear()
    cpu0 = time.process_time()
    for i in range(n):
        _lifecycle(client, communes[i % len(communes)], None)
    bare = time.process_time() - cpu0
    print(f"python_cpu_ms_per_lifecycle={bare / n * 1000:.1f} (unprofiled, {n} lifecycles)")
    print("python_cpu_ms per request: " + " ".join(f"{k}={v / n * 1000:.1f}" for k, v in CPU.items()))
    print("statements per request: " + " ".join(f"{k}={v / counted:.1f}" for k, v in queries.items()))
    profiler = cProfile.Profile(time.process_time)  # CPU time: waits on the database are not counted
    if ONLY:
        PROFILER.append(profiler)
    else:
        profiler.enable()
    for i in range(n):
        _lifecycle(client, communes[i % len(communes)], None)
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_package: dict[str, float] = defaultdict(float)
    for (filename, _line, _fn), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        path = filename.replace(str(ROOT), "")
        if "site-packages/" in path:
            key = path.split("site-packages/")[1].split("/")[0]
        elif path.startswith("/cqtt/"):
            key = "/".join(path.split("/")[1:3])
        elif path.startswith("~") or path.startswith("<"):
            key = "builtins"
        else:
            key = "python stdlib"
        by_package[key] += tt
    total = sum(by_package.values())
    print("self time by package:")
    for key, t in sorted(by_package.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {key:28s} {t / total * 100:5.1f} %")
    stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(
        int(os.environ.get("PROFILE_LINES", "45"))
    )


if __name__ == "__main__":
    main()
