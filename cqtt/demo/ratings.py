"""Demo ratings: most returned demo dossiers rated by link or at the counter's kiosk (a seeded mix of levels,
reasons and a few comments), a few given late in the evening so the leader has ratings to review."""

from __future__ import annotations

import datetime as dt
import random

from cqtt.dossiers.models import Dossier, Status
from cqtt.ratings import services
from cqtt.ratings.models import Rating
from cqtt.units.models import Unit

LEVELS = ["very_satisfied"] * 5 + ["satisfied"] * 3 + ["neutral", "unsatisfied"]
GOOD = ["quick", "clear_guidance", "4xin_greet", "4luon_smile", "4luon_help"]
BAD = ["long_wait", "unclear_guidance", "many_trips"]
COMMENTS = [
    "Cán bộ hướng dẫn tận tình, dễ hiểu.",
    "Có kết quả sớm hơn ngày hẹn, cảm ơn phường.",
    "Phải chờ khá lâu vì đông người.",
    "Nên có thêm ghế ngồi chờ.",
]


def load_demo_ratings(*, units: list[Unit]) -> int:
    if Rating.objects.filter(unit__in=units).exists():
        return 0
    rng = random.Random(13)
    made = 0
    dossiers = (
        Dossier.objects.filter(receiving_unit__in=units, status=Status.RETURNED, returned_at__isnull=False)
        .select_related("receiving_unit")
        .order_by("pk")
    )
    for d in dossiers:
        if rng.random() < 0.25:
            continue  # not every citizen rates
        level = rng.choice(LEVELS)
        good = level in ("very_satisfied", "satisfied")
        reasons = rng.sample(GOOD if good else BAD, k=rng.randint(0, 2))
        late_evening = made % 17 == 5
        when = d.returned_at + dt.timedelta(minutes=rng.randint(1, 50))
        if late_evening:
            when = when.replace(hour=21, minute=30)
        services.rating_submit(
            dossier=d,
            level=level,
            reasons=reasons,
            comment=rng.choice(COMMENTS) if rng.random() < 0.2 else "",
            contacts=rng.choice([None, 0, 0, 1]),
            channel="kiosk" if d.delivery == "counter" and rng.random() < 0.6 else "web",
            rated_at=when,
            at=max(when, d.returned_at),
        )
        made += 1
    return made
