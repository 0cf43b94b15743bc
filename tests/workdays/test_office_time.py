from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from cqtt.workdays.rules import (
    TZ,
    Schedule,
    add_office_seconds,
    build_calendar,
    office_seconds_between,
    subtract_office_seconds,
)

CAL = build_calendar(2026, 2027, library_holidays={datetime(2026, 11, 24).date(): "Ngày Văn hóa Việt Nam"})
SCHED = Schedule()
DAY = SCHED.capacity  # 7.5 h


def at(*args):
    return datetime(*args, tzinfo=TZ)


def test_office_time_skips_lunch_nights_weekends_and_holidays():
    assert office_seconds_between(at(2026, 11, 23, 11, 0), at(2026, 11, 23, 14, 0), CAL, SCHED) == 3600
    # Fri 16:00 → Mon 08:30 = 1 h + 1 h
    assert office_seconds_between(at(2026, 11, 20, 16, 0), at(2026, 11, 23, 8, 30), CAL, SCHED) == 7200
    # Mon 17:00 → Wed 07:30 skips Tuesday 24/11 (Culture Day)
    assert office_seconds_between(at(2026, 11, 23, 17, 0), at(2026, 11, 25, 7, 30), CAL, SCHED) == 0


def test_adding_one_day_of_office_time_lands_at_the_same_clock_next_working_day():
    assert add_office_seconds(at(2026, 11, 23, 10, 0), DAY, CAL, SCHED) == at(2026, 11, 25, 10, 0)


def test_half_a_day_from_the_afternoon_crosses_into_the_next_morning():
    assert add_office_seconds(at(2026, 11, 25, 14, 0), DAY // 2, CAL, SCHED) == at(2026, 11, 26, 8, 15)


def test_adding_at_the_close_of_day_ends_at_the_close():
    assert add_office_seconds(at(2026, 11, 25, 13, 30), 12600, CAL, SCHED) == at(2026, 11, 25, 17, 0)


@settings(max_examples=200)
@given(
    st.datetimes(min_value=datetime(2026, 1, 5), max_value=datetime(2027, 10, 31)),
    st.integers(min_value=1, max_value=40 * 27000),
)
def test_office_seconds_between_inverts_add_office_seconds(start, seconds):
    start = start.replace(tzinfo=TZ)
    end = add_office_seconds(start, seconds, CAL, SCHED)
    assert office_seconds_between(start, end, CAL, SCHED) == seconds


def test_subtracting_office_time_goes_back_over_weekends_and_holidays():
    # from Wed 25/11 10:00, one office day back skips Tuesday 24/11 (Culture Day) → Mon 23/11 10:00
    assert subtract_office_seconds(at(2026, 11, 25, 10, 0), DAY, CAL, SCHED) == at(2026, 11, 23, 10, 0)


@settings(max_examples=200)
@given(
    st.datetimes(min_value=datetime(2026, 3, 2), max_value=datetime(2027, 12, 1)),
    st.integers(min_value=1, max_value=30 * 27000),
)
def test_subtract_then_measure_gives_the_same_office_time(end, seconds):
    end = end.replace(tzinfo=TZ)
    start = subtract_office_seconds(end, seconds, CAL, SCHED)
    assert office_seconds_between(start, end, CAL, SCHED) == seconds
