"""Property tests: with no overrides the calendar agrees with the `holidays` library."""

from datetime import date, datetime, time
from decimal import Decimal

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from cqtt.workdays import rules

ORACLE = holidays.country_holidays("VN", language="vi", years=range(2015, 2041))
SCHEDULE = rules.Schedule()
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2040, 10, 31))
inner_days = st.dates(min_value=date(2015, 4, 1), max_value=date(2040, 10, 31))  # room to move ±40 days


@settings(max_examples=300, deadline=None)
@given(d=days)
def test_is_working_day_agrees_with_the_library(calendar, d):
    assert calendar.is_working_day(d) == ORACLE.is_working_day(d)


@settings(max_examples=200, deadline=None)
@given(d=inner_days, n=st.integers(min_value=-40, max_value=40))
def test_add_working_days_agrees_with_the_library_and_lands_on_a_working_day(calendar, d, n):
    result = calendar.add_working_days(d, n)

    assert ORACLE.is_working_day(result)
    assert result == ORACLE.get_nth_working_day(d, n)


@settings(max_examples=200, deadline=None)
@given(start=inner_days, length=st.integers(min_value=-60, max_value=60))
def test_working_days_between_agrees_with_the_library(calendar, start, length):
    end = date.fromordinal(start.toordinal() + length)

    assert calendar.working_days_between(start, end) == ORACLE.get_working_days_count(start, end)


@settings(max_examples=200, deadline=None)
@given(
    d=days,
    clock=st.times(),
    halves=st.integers(min_value=1, max_value=40),
    unit=st.sampled_from([u.value for u in rules.PeriodUnit]),
)
def test_due_is_never_before_receipt_and_falls_in_office_hours_of_a_working_day(
    calendar, d, clock, halves, unit
):
    received = datetime.combine(d, clock.replace(microsecond=0), tzinfo=rules.TZ)

    result = rules.compute_due(received, Decimal(halves) / 2, unit, calendar, SCHEDULE)

    assert result.due_at >= received
    assert ORACLE.is_working_day(result.due_at.date())
    t = result.due_at.timetz().replace(tzinfo=None)
    assert time(7, 30) < t <= time(11, 30) or time(13, 30) < t <= time(17, 0)
    # the explanation covers every day from receipt to due, once each
    assert [i.date for i in result.explanation] == [
        date.fromordinal(o) for o in range(d.toordinal(), result.due_at.date().toordinal() + 1)
    ]


@settings(max_examples=200, deadline=None)
@given(d=days, n=st.integers(min_value=1, max_value=30))
def test_whole_working_days_end_on_the_nth_working_day_after_receipt(calendar, d, n):
    received = datetime.combine(d, time(9, 0), tzinfo=rules.TZ)

    due_at = rules.due_datetime(received, n, "working_days", calendar, SCHEDULE)

    assert due_at.date() == ORACLE.get_nth_working_day(d, n)
    assert due_at.time() == time(17, 0)
