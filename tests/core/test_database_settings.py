"""The PostgreSQL connection works with the queries the evaluation dashboards need."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db.models import Count, Value
from django.db.models.functions import Concat, TruncMonth

from cqtt.core.models import AuditEvent

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _event(at: dt.datetime, action: str) -> AuditEvent:
    return AuditEvent.objects.create(occurred_at=at, action=action, object_type="t", object_id="1")


def test_server_side_binding_is_off_unless_asked_for():
    options = settings.DATABASES["default"].get("OPTIONS", {})
    assert not options.get("server_side_binding")


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_aggregate_grouped_by_an_expression_with_parameters_works():
    # given events in two local months (30 November 23:30 local time is still November there)
    _event(dt.datetime(2026, 11, 30, 23, 30, tzinfo=TZ), "a")
    _event(dt.datetime(2026, 11, 2, 9, 0, tzinfo=TZ), "a")
    _event(dt.datetime(2026, 12, 1, 0, 30, tzinfo=TZ), "b")
    # when grouped by the local month (AT TIME ZONE %s) and by a label with a parameter (Ticket #34255)
    rows = list(
        AuditEvent.objects.annotate(
            month=TruncMonth("occurred_at", tzinfo=TZ), label=Concat("action", Value("-x"))
        )
        .values("month", "label")
        .annotate(n=Count("id"))
        .order_by("month", "label")
    )
    # then
    assert [(r["month"].month, r["label"], r["n"]) for r in rows] == [(11, "a-x", 2), (12, "b-x", 1)]
