"""`make bench-feedback`: feedback submission latency through the public API, against the configured database.

Posts `FEEDBACK_BENCH_N` (default 1,000) items to `POST /api/v1/public/feedback/` through the whole Django stack
(middleware, DRF, the service with its clocks, duplicate look-up, event, audit, outbox and notice rows) with
Django's test client in this process — no network, so the figure is the server's own time — and prints
`p50_ms=… p95_ms=… max_ms=… n=… unit=…`. Settings: `config.settings.dev` unless `DJANGO_SETTINGS_MODULE` says
otherwise; the database from `DATABASE_URL` (the lead runs it on a PostgreSQL database with 1,000,000 dossiers,
e.g. after `manage.py generate_dossiers`). The unit is `FEEDBACK_BENCH_UNIT` (default: the commune with the most
dossiers, else any commune). The submission budget per address is lifted for the run; one sender in ten repeats
an earlier text, so the duplicate look-up finds candidates. `--keep` leaves the items (default: deleted
afterwards with their events, outbox, audit and message rows).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["FEEDBACK_SUBMIT_RATE"] = "100000000/s"
os.environ.setdefault("OUTBOX_DELIVERY", "relay")

WORDS = (
    "đèn đường hỏng vỉa hè lấn chiếm rác thải cống tắc ngập nước tiếng ồn biển báo cây xanh đổ hẻm "
    "chợ trường học trạm y tế giờ tiếp dân thủ tục giấy tờ hướng dẫn cán bộ nhiệt tình chậm trễ"
).split()


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40))).capitalize() + "."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=int(os.environ.get("FEEDBACK_BENCH_N", "1000")))
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client

    from cqtt.core.models import AuditEvent, OutboxEvent
    from cqtt.dossiers.models import Dossier
    from cqtt.feedback.models import FeedbackEvent, FeedbackItem
    from cqtt.notifications.models import Message
    from cqtt.units.models import Unit

    code = os.environ.get("FEEDBACK_BENCH_UNIT")
    if not code:
        top = (
            Dossier.objects.values("receiving_unit__code").annotate(n=Count("pk")).order_by("-n").first()
            if Dossier.objects.exists()
            else None
        )
        code = top["receiving_unit__code"] if top else None
    unit = Unit.objects.filter(code=code).first() if code else Unit.objects.filter(level="commune").first()
    if unit is None:
        print("no commune in the database: run `manage.py load_units` (and `generate_dossiers`) first")
        return 1
    dossiers = Dossier.objects.count()
    client = Client(HTTP_HOST="127.0.0.1")
    rng = random.Random(20261124)
    earlier: list[str] = []
    timings: list[float] = []
    codes: list[str] = []
    for i in range(args.n + 20):  # the first 20 warm the caches and are not counted
        text = rng.choice(earlier) if earlier and rng.random() < 0.1 else _text(rng)
        earlier.append(text)
        body = {
            "unit_code": unit.code,
            "kind": rng.choice(["report", "recommendation", "suggestion", "commendation"]),
            "content": text,
            "phone": f"09{rng.randint(10_000_000, 10_000_999):08d}",  # ~1,000 senders: repeat senders exist
            "publish_consent": rng.random() < 0.5,
        }
        start = time.perf_counter()
        response = client.post(
            "/api/v1/public/feedback/",
            body,
            content_type="application/json",
            REMOTE_ADDR=f"10.0.{i // 250}.{i % 250}",
        )
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 201:
            print(f"request {i}: {response.status_code} {response.content[:300]!r}")
            return 1
        codes.append(response.json()["code"])
        if i >= 20:
            timings.append(elapsed)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95 + 0.5) - 1)]
    print(
        f"p50_ms={statistics.median(timings):.1f} p95_ms={p95:.1f} max_ms={timings[-1]:.1f} n={len(timings)} "
        f"unit={unit.code} dossiers={dossiers} target_p95_ms=100 {'OK' if p95 < 100 else 'SLOW'}"
    )
    if not args.keep:
        ids = list(FeedbackItem.objects.filter(code__in=codes).values_list("pk", flat=True))
        FeedbackEvent.objects.filter(item_id__in=ids).delete()
        OutboxEvent.objects.filter(stream="feedback", aggregate_id__in=ids).delete()
        AuditEvent.objects.filter(
            object_type="feedback.feedbackitem", object_id__in=[str(x) for x in ids]
        ).delete()
        Message.objects.filter(stream="feedback", aggregate_id__in=ids).delete()
        FeedbackItem.objects.filter(pk__in=ids).update(duplicate_of=None)
        FeedbackItem.objects.filter(pk__in=ids).delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
