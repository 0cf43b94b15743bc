"""`kill -9` of the worker in the middle of a batch: a second worker reconciles what the first left in `sending`
and every citizen gets each message exactly once (the gateway dedupes on the reference, which a resend keeps).
Real processes (`manage.py notify_worker`) against the test database on PostgreSQL and a local gateway."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.db.models import Count

from cqtt.notifications.models import Message

from .peers import Gateway, serve

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="worker processes share the test database: PostgreSQL only"
)

ROOT = Path(__file__).resolve().parents[2]
N = 300
BATCH = 20
STUCK_AFTER = 2.0
PAST = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # due for the workers whatever this process's clock says


def database_url() -> str:
    s = connection.settings_dict
    user = quote(s.get("USER") or "")
    password = f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{user}{password}@{s.get('HOST') or '127.0.0.1'}{port}/{quote(s['NAME'])}"


def counts() -> Counter:
    rows = Message.objects.values("status").annotate(n=Count("pk"))
    return Counter({r["status"]: r["n"] for r in rows})


def wait_for(condition, *, timeout: float, every: float = 0.02, what: str = "", logs=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = condition()
        if got:
            return got
        time.sleep(every)
    tail = logs() if logs else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {what}: {counts()}\n{tail}")


class Worker:
    """One `manage.py notify_worker` process, its output in a file."""

    def __init__(self, env: dict, log: Path) -> None:
        self.log = log
        self.out = open(log, "ab")  # closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "notify_worker", "--batch", str(BATCH), "--threads", "4"],
            cwd=ROOT,
            env=env,
            stdout=self.out,
            stderr=subprocess.STDOUT,
        )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill9(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self.out.close()

    def stop(self) -> None:
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)  # the worker finishes its batch and leaves
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if not self.out.closed:
            self.out.close()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_leaves_every_message_delivered_exactly_once(world, tmp_path):
    Message.objects.bulk_create(
        Message(
            key=f"kill9-{i}",
            unit=world.a,
            subject_code=f"25747-261123-{i:04d}",
            event="received",
            channel="sms",
            to=f"849{i:08d}",
            text=f"Phường Thủ Dầu Một đã tiếp nhận hồ sơ 25747-261123-{i:04d}.",
            created_at=PAST,
            next_attempt_at=PAST,
        )
        for i in range(N)
    )
    gateway = Gateway(delay=0.01)
    server, url = serve(gateway)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("NOTIFY_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=database_url(),
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
        NOTIFY_SMS_GATEWAY_URL=f"{url}/sms",
        NOTIFY_STUCK_AFTER_SECONDS=str(STUCK_AFTER),
        NOTIFY_HTTP_TIMEOUT_SECONDS="1",  # a send takes less than the stuck limit
    )
    workers: list[Worker] = []
    stuck: Counter = Counter()  # message id → how many kills found it in `sending`
    try:
        # kill the first worker while it holds a batch; should a kill land between a batch's record and the
        # next claim (nothing held), let another worker run and kill that one
        for attempt in range(5):
            first = Worker(env, tmp_path / f"worker-{attempt}.log")
            workers.append(first)
            sent_before = counts()["sent"]

            def half_way(first=first, sent_before=sent_before):
                if not first.alive():
                    return True
                now = counts()
                return now["sent"] >= sent_before + BATCH and now["sending"] > 0

            wait_for(
                half_way,
                timeout=60,
                every=0.005,
                what="a worker half-way through",
                logs=first.tail,
            )
            assert first.alive(), first.tail()
            first.kill9()
            held = set(Message.objects.filter(status="sending").values_list("pk", flat=True))
            stuck.update(held)
            assert len(held) <= BATCH
            if held:
                break
        assert stuck, "no worker was killed with a batch in hand"
        killed_at = time.monotonic()
        at_kill = counts()
        assert 0 < at_kill["sent"] < N and at_kill["sending"] > 0, at_kill

        # the held messages are older than the stuck limit when the next worker starts (it reconciles at once)
        time.sleep(max(0.0, STUCK_AFTER + 0.5 - (time.monotonic() - killed_at)))
        second = Worker(env, tmp_path / "worker-last.log")
        workers.append(second)
        wait_for(
            lambda: not second.alive() or not (set(counts()) & {"created", "sending", "temporary-failure"}),
            timeout=60,
            every=0.1,
            what="every message sent",
            logs=second.tail,
        )
        assert second.alive(), second.tail()
        second.stop()
    finally:
        for w in workers:
            w.stop()
        server.shutdown()
        server.server_close()

    messages = {str(m.pk): m for m in Message.objects.all()}
    assert len(messages) == N
    assert counts() == Counter({"sent": N}), workers[-1].tail()
    # the gateway delivered every message, each once and to its own number
    assert set(gateway.delivered) == set(messages)
    assert len(gateway.delivered) == N
    for ref, body in gateway.delivered.items():
        assert body["to"] == messages[ref].to and body["text"] == messages[ref].text
    # only what a killed worker held was posted again, each once per kill that caught it
    posts = gateway.deliveries_per_reference()
    reposted = {ref for ref, n in posts.items() if n > 1}
    assert reposted <= {str(pk) for pk in stuck}
    assert all(posts[str(pk)] <= 1 + n for pk, n in stuck.items())
    kills = len(workers) - 1
    assert len(gateway.posts) - N <= sum(stuck.values()) <= BATCH * kills
    # each message went out under one gateway id (a resend answered the first one's) and was tried once more
    # for every kill that left it in `sending`
    assert len({m.provider_id for m in messages.values()}) == N
    for ref, m in messages.items():
        assert m.provider == "http" and m.sent_at is not None and m.claim == "" and m.sending_since is None
        assert m.provider_id == f"gw-{list(gateway.delivered).index(ref) + 1}"
        assert m.attempts == 1 + stuck[m.pk], ref
