"""`make bench-notify`: the notices' sender (`manage.py notify_worker`) on PostgreSQL, end to end.

1. Database `cqtt_bench_notify` on PostgreSQL, dropped and created again on every run (`jit = off`, as for
   `make bench`), migrated, with one unit.
2. A local SMS gateway in its own process, implementing exactly the generic gateway contract
   (cqtt/notifications/adapters/gateway.py): `POST {to, text, reference}` answers `200 {"id": "gw-<n>"}`, a
   reference already seen answers its first id and is not delivered again. HTTP/1.1 keep-alive
   (ThreadingHTTPServer, one thread per connection). It counts the posts of each reference and records the time
   it first accepted each one.
3. Two `manage.py notify_worker` processes with production settings (`config.settings.prod`: DEBUG off,
   `CONN_MAX_AGE=600`, Redis), `NOTIFY_SMS_GATEWAY_URL` pointing at the gateway, the command's own defaults for
   batch, threads and poll.
4. The producer — this process — writes the messages as the platform's outbox consumer does: `Message` rows in
   `created`, channel `sms`, valid mobile numbers `849xxxxxxxx`, `created_at = next_attempt_at = ` the moment of
   the insert, with `bulk_create` every 20 ms at a fixed rate (default 1,000 messages/s, `NOTIFY_BENCH_RATE`),
   while the workers run. A steady rate twice the target rather than everything at once: a backlog inserted
   up front would make the enqueue-to-accepted latency measure only how long the queue was (the last message
   would wait for the 99,999 before it); at a fixed rate above what is asked, the latency is what a citizen
   waits when notices arrive faster than the target, and the throughput is what the workers keep up with (if
   they fall behind the producer, the backlog grows and the latency with it, visibly).
5. When every message has left `created`/`sending` (or `NOTIFY_BENCH_TIMEOUT` passed), the workers are stopped
   (SIGTERM: they finish their batch) and the gateway's records are compared with the database's.

Prints one detail line, then
`messages_per_s=… p95_enqueue_to_accepted_ms=… lost=… duplicates=… reposts=… messages=… workers=2`:
- `messages_per_s`: messages sent (status `sent` in the database) / (last `sent_at` − first `created_at`);
- `p95_enqueue_to_accepted_ms`: p95 (nearest rank) of the gateway's first acceptance minus `created_at`;
- `lost`: messages not both `sent` in the database and accepted by the gateway;
- `duplicates`: references the gateway delivered more than once (0 while it dedupes: a failed dedupe would
  show here);
- `reposts`: posts beyond one per reference (a worker sending a message again, e.g. after a reconcile).

Everything is also written to `var/bench/notify-result.json`. `NOTIFY_BENCH_MESSAGES` (default 100,000),
`NOTIFY_BENCH_RATE`, `NOTIFY_BENCH_WORKERS`, `NOTIFY_BENCH_WORKER_ARGS` (extra options for the workers, e.g.
`--batch 100`), `--profile` (the first worker under cProfile, written to `var/bench/notify-worker.prof`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import shlex
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
DB_NAME = "cqtt_bench_notify"
UNIT_CODE = "BENCHTB"
TEXT = (
    "UBND phường Thử Nghiệm đã tiếp nhận hồ sơ {code}. Hẹn trả kết quả 27/11/2026. "
    "Tra cứu: https://motcua.example.vn/tra-cuu/{token}/"
)


def log(msg: str) -> None:
    print(f"[bench-notify] {msg}", file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float:
    from run import percentile as nearest_rank

    return nearest_rank(values, p)


def free_port() -> int:
    from run import free_port as port

    return port()


# --- the gateway (its own process) -------------------------------------------------------------------------


def gateway_main(port: int) -> None:
    """The generic JSON SMS gateway: dedupes on `reference`; `GET /count` and `GET /stats` for the bench."""
    lock = threading.Lock()
    refs: dict[str, list] = {}  # reference → [posts, deliveries, first accepted (epoch s), id]
    totals = {"posts": 0, "refused": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # TCP_NODELAY, and each answer in one write: headers and body written apart, with Nagle's algorithm on,
        # wait for the client's delayed ACK (40 ms a request)
        disable_nagle_algorithm = True

        def _answer(self, code: int, answer: dict | bytes) -> None:
            data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            head = (
                f"HTTP/1.1 {code} {'OK' if code == 200 else 'Bad Request'}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
            )
            self.wfile.write(head.encode() + data)

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            now = time.time()
            try:
                body = json.loads(raw)
                to, text, ref = body["to"], body["text"], body["reference"]
                valid = all(isinstance(v, str) and v for v in (to, text, ref))
            except (ValueError, KeyError, TypeError):
                valid = False
            if not valid:
                with lock:
                    totals["refused"] += 1
                return self._answer(400, {"error": "to, text and reference are required"})
            with lock:
                totals["posts"] += 1
                seen = refs.get(ref)
                if seen is None:
                    seen = refs[ref] = [0, 1, now, f"gw-{len(refs) + 1}"]  # delivered to the phone once
                seen[0] += 1
                answer = {"id": seen[3]}
            self._answer(200, answer)

        def do_GET(self):
            with lock:  # a snapshot
                if self.path == "/count":
                    data = json.dumps({"accepted": len(refs), **totals}).encode()
                else:
                    data = json.dumps({"refs": refs, **totals}).encode()
            self._answer(200, data)

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        # the listen backlog: socketserver's 5 drops the SYNs of a pool opening its connections all at once,
        # and the kernel's retransmissions (1, 3, 7, 15 s…) show up as seconds of latency
        request_queue_size = 1024

    server = Server(("127.0.0.1", port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()


def get_json(url: str, timeout: float = 30) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())


# --- database and processes --------------------------------------------------------------------------------


def settings_env(args, db_url: str) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(60),
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": db_url,
        "CONN_MAX_AGE": "600",
        "REDIS_URL": args.redis,
        "LOG_LEVEL": "WARNING",
    }


def prepare_database(args) -> str:
    import psycopg

    url = f"{args.pg}/{DB_NAME}"
    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DB_NAME}"')
        admin.execute(f'ALTER DATABASE "{DB_NAME}" SET jit = off')
    os.environ.update(settings_env(args, url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from cqtt.units.models import Unit
    from cqtt.units.services import unit_save

    call_command("migrate", verbosity=0)
    unit_save(
        unit=Unit(
            code=UNIT_CODE,
            name="Phường Thử Nghiệm",
            full_name="UBND phường Thử Nghiệm",
            level="commune",
            kind="ward",
        )
    )
    return url


def start(cmd: list[str], env: dict, log_name: str) -> subprocess.Popen:
    out = open(OUT / log_name, "wb")  # closed when this process exits
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(proc: subprocess.Popen, timeout: float = 30) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def cpu_of(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def postgres_cpu() -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if stat[stat.index("(") + 1 : stat.rindex(")")] == "postgres":
            fields = stat[stat.rindex(")") + 2 :].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def wait_for_workers(count: int, workers: list[subprocess.Popen], timeout: float = 60) -> None:
    """Until each worker holds its database connection (it opens it for its first reconcile)."""
    from django.db import connection

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for w in workers:
            if w.poll() is not None:
                raise SystemExit(f"a worker exited with {w.returncode}: see {OUT}/notify-worker-*.log")
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [DB_NAME],
            )
            if cur.fetchone()[0] >= count:
                return
        time.sleep(0.2)
    raise SystemExit("the workers did not connect to the database")


# --- the producer ------------------------------------------------------------------------------------------


def produce(args, unit) -> tuple[float, float]:
    """Insert `args.messages` messages at `args.rate` per second; returns (start, end) as epoch seconds."""
    from django.utils import timezone

    from cqtt.notifications.models import Message

    tick = 0.02
    started = time.monotonic()
    started_at = time.time()
    made = 0
    while made < args.messages:
        due = min(args.messages, round(args.rate * (time.monotonic() - started)) + 1)
        if due > made:
            now = timezone.now()
            Message.objects.bulk_create(
                [
                    Message(
                        key=f"bench:{i}:received:sms",
                        unit=unit,
                        aggregate_id=i,
                        subject_code=f"BENCH-{i:07d}",
                        event="received",
                        channel="sms",
                        to=f"849{i % 10**8:08d}",
                        text=TEXT.format(code=f"BENCH-{i:07d}", token=secrets.token_urlsafe(12)),
                        status="created",
                        created_at=now,
                        next_attempt_at=now,
                    )
                    for i in range(made, due)
                ],
                batch_size=1000,
            )
            made = due
        if made < args.messages:
            time.sleep(max(0.0, tick - (time.monotonic() - started) % tick))
    return started_at, time.time()


def pending() -> int:
    from cqtt.notifications.models import Message

    return Message.objects.filter(status__in=["created", "sending", "temporary-failure"]).count()


# --- main --------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--messages", type=int, default=int(os.environ.get("NOTIFY_BENCH_MESSAGES", "100000"))
    )
    parser.add_argument("--rate", type=float, default=float(os.environ.get("NOTIFY_BENCH_RATE", "1000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("NOTIFY_BENCH_WORKERS", "2")))
    parser.add_argument(
        "--worker-args",
        default=os.environ.get("NOTIFY_BENCH_WORKER_ARGS", ""),
        help="extra options for each notify_worker (default: the command's own)",
    )
    parser.add_argument("--timeout", type=float, default=float(os.environ.get("NOTIFY_BENCH_TIMEOUT", "0")))
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/7"))
    parser.add_argument("--profile", action="store_true", help="run the first worker under cProfile")
    parser.add_argument("--gateway", type=int, metavar="PORT", help=argparse.SUPPRESS)  # the gateway process
    args = parser.parse_args()
    if args.gateway:
        return gateway_main(args.gateway)
    timeout = args.timeout or args.messages / args.rate + 120

    OUT.mkdir(parents=True, exist_ok=True)
    db_url = prepare_database(args)
    from cqtt.units.models import Unit

    unit = Unit.objects.get(code=UNIT_CODE)

    port = free_port()
    gateway_url = f"http://127.0.0.1:{port}"
    gateway = start(
        [sys.executable, __file__, "--gateway", str(port)], dict(os.environ), "notify-gateway.log"
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            get_json(f"{gateway_url}/count", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit("the gateway did not start") from None
            time.sleep(0.1)

    env = os.environ | settings_env(args, db_url) | {"NOTIFY_SMS_GATEWAY_URL": f"{gateway_url}/sms"}
    workers = []
    for n in range(args.workers):
        cmd = [sys.executable]
        if args.profile and n == 0:
            cmd += ["-m", "cProfile", "-o", str(OUT / "notify-worker.prof")]
        cmd += [str(ROOT / "manage.py"), "notify_worker", *shlex.split(args.worker_args)]
        workers.append(start(cmd, env, f"notify-worker-{n + 1}.log"))
    result: dict = {}
    try:
        wait_for_workers(args.workers, workers)
        cpu_before = {
            "workers": cpu_of([w.pid for w in workers]),
            "gateway": cpu_of([gateway.pid]),
            "postgresql": postgres_cpu(),
            "producer": own_cpu(),
        }
        log(f"producing {args.messages} messages at {args.rate:.0f}/s, {args.workers} workers")
        started_at, produced_at = produce(args, unit)
        log(f"produced in {produced_at - started_at:.1f} s")
        deadline = started_at + timeout
        left = pending()
        while left and time.time() < deadline:
            time.sleep(0.5)
            left = pending()
        finished_at = time.time()
        cpu_after = {
            "workers": cpu_of([w.pid for w in workers]),
            "gateway": cpu_of([gateway.pid]),
            "postgresql": postgres_cpu(),
            "producer": own_cpu(),
        }
        if left:
            log(f"timeout: {left} messages still waiting or sending")
    finally:
        for w in workers:
            stop(w)
    try:
        stats = get_json(f"{gateway_url}/stats", timeout=60)
    finally:
        stop(gateway)

    from cqtt.notifications.models import Message

    rows = list(Message.objects.values_list("id", "status", "created_at", "sent_at", "provider_id"))
    refs = stats["refs"]
    latencies, sent_times, lost, mismatched = [], [], 0, 0
    for pk, status, created_at, sent_at, provider_id in rows:
        seen = refs.get(str(pk))
        if status != "sent" or seen is None:
            lost += 1
            continue
        if provider_id != seen[3]:
            mismatched += 1
        latencies.append((seen[2] - created_at.timestamp()) * 1000)
        sent_times.append(sent_at.timestamp())
    known = {str(r[0]) for r in rows}
    first = min(r[2] for r in rows).timestamp()
    window = (max(sent_times) - first) if sent_times else 0.0
    cpu = {k: round(cpu_after[k] - cpu_before[k], 2) for k in cpu_after}
    sent = len(sent_times)
    result = {
        "messages": args.messages,
        "workers": args.workers,
        "worker_args": args.worker_args,
        "rate": args.rate,
        "produce_s": round(produced_at - started_at, 2),
        "drain_s": round(finished_at - produced_at, 2),
        "window_s": round(window, 2),
        "sent": sent,
        "messages_per_s": round(sent / window, 1) if window else 0.0,
        "p50_enqueue_to_accepted_ms": round(percentile(latencies, 50), 1),
        "p95_enqueue_to_accepted_ms": round(percentile(latencies, 95), 1),
        "p99_enqueue_to_accepted_ms": round(percentile(latencies, 99), 1),
        "max_enqueue_to_accepted_ms": round(max(latencies, default=0.0), 1),
        "lost": lost,
        "duplicates": sum(1 for v in refs.values() if v[1] > 1),
        "reposts": sum(v[0] - 1 for v in refs.values()),
        "posts": stats["posts"],
        "refused_posts": stats["refused"],
        "unknown_references": sum(1 for r in refs if r not in known),
        "provider_id_mismatches": mismatched,
        "cpu_s": cpu,
        "cpu_ms_per_message": {k: round(v / sent * 1000, 3) for k, v in cpu.items()} if sent else {},
    }
    (OUT / "notify-result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(
        " ".join(
            f"{k}={result[k]}"
            for k in (
                "window_s",
                "drain_s",
                "posts",
                "p50_enqueue_to_accepted_ms",
                "p99_enqueue_to_accepted_ms",
                "max_enqueue_to_accepted_ms",
                "unknown_references",
                "provider_id_mismatches",
            )
        )
        + " cpu_ms_per_message="
        + ",".join(f"{k}:{v}" for k, v in result["cpu_ms_per_message"].items()),
        flush=True,
    )
    print(
        " ".join(
            f"{k}={result[k]}"
            for k in (
                "messages_per_s",
                "p95_enqueue_to_accepted_ms",
                "lost",
                "duplicates",
                "reposts",
                "messages",
                "workers",
            )
        ),
        flush=True,
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
