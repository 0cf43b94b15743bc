"""Reactions of the units app to other apps' outbox events. It imports none of them: it reads only the event's
payload (the ratings app puts the counter, the officer, the time and whether the rating was low in it)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from cqtt.core.models import OutboxEvent

from . import rules
from .models import Counter, FootageSource
from .services import footage_request_open


def on_rating_rated(event: OutboxEvent) -> None:
    """A low rating at a counter opens a footage request for the minutes around it, once per rating."""
    payload = event.payload or {}
    counter_id = payload.get("counter_id")
    if not payload.get("low") or not counter_id:
        return
    counter = Counter.objects.select_related("office__unit").filter(pk=counter_id).first()
    if counter is None:
        return
    try:
        at = dt.datetime.fromisoformat(payload.get("rated_at") or "")
    except ValueError:
        at = event.created_at
    starts_at, ends_at = rules.footage_window(at)
    footage_request_open(
        counter=counter,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=_("Người dân đánh giá chưa hài lòng (hồ sơ %(code)s).")
        % {"code": payload.get("dossier_code", "")},
        source=FootageSource.RATING,
        source_ref=f"rating:{event.aggregate_id}",
        actor=None,
        officer_id=payload.get("officer_id"),
    )
