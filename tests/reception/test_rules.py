"""The clocks of citizen reception in working days, with the unit's calendar (a holiday in between)."""

import datetime as dt

import pytest

from cqtt.core.process import Refusal
from cqtt.reception import rules
from cqtt.workdays.models import CalendarOverride
from cqtt.workdays.selectors import calendar_for
from cqtt.workdays.services import override_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar():
    return calendar_for("79")


def test_a_session_may_be_held_five_working_days_after_its_publication(calendar):
    # published on Tuesday 24/11/2026: Wed, Thu, Fri, Mon, Tue → Tuesday 1/12
    assert rules.earliest_session_day(calendar, dt.date(2026, 11, 24)) == dt.date(2026, 12, 1)
    assert rules.publication_allowed(calendar, dt.date(2026, 11, 24), dt.date(2026, 12, 1))
    assert not rules.publication_allowed(calendar, dt.date(2026, 11, 24), dt.date(2026, 11, 30))


def test_new_year_holiday_pushes_the_earliest_session_day():
    # published on Monday 28/12/2026: 29, 30, 31, (1/1 New Year off), 4, 5 → Tuesday 5/1/2027
    assert rules.earliest_session_day(calendar_for("79"), dt.date(2026, 12, 28)) == dt.date(2027, 1, 5)


def test_a_provincial_holiday_counts_for_that_province_only(world):
    override_save(
        override=CalendarOverride(
            date=dt.date(2026, 11, 27), kind="holiday", province=world.city, name="Nghỉ"
        )
    )
    assert rules.earliest_session_day(calendar_for("79"), dt.date(2026, 11, 24)) == dt.date(2026, 12, 2)
    assert rules.earliest_session_day(calendar_for("01"), dt.date(2026, 11, 24)) == dt.date(2026, 12, 1)


def test_refusal_notice_is_due_three_working_days_after_the_visit(calendar):
    # Friday 27/11 → Mon 30, Tue 1, Wed 2/12
    assert rules.refusal_notice_due(calendar, dt.date(2026, 11, 27)) == dt.date(2026, 12, 2)


def test_answer_is_due_ten_working_days_after_the_visit(calendar):
    # Tuesday 24/11 → two weeks later, Tuesday 8/12
    assert rules.answer_due(calendar, dt.date(2026, 11, 24)) == dt.date(2026, 12, 8)
    assert rules.answered_on_time(dt.date(2026, 12, 8), dt.date(2026, 12, 8))
    assert not rules.answered_on_time(dt.date(2026, 12, 8), dt.date(2026, 12, 9))


def test_only_persistent_and_repeated_petition_grounds_need_the_written_notice():
    assert rules.notice_required("persistent") and rules.notice_required("repeated_petition")
    assert not rules.notice_required("threatening")


def test_overdue_means_past_the_due_day_and_not_done():
    assert rules.is_overdue(dt.date(2026, 12, 8), None, dt.date(2026, 12, 9))
    assert not rules.is_overdue(dt.date(2026, 12, 8), None, dt.date(2026, 12, 8))
    assert not rules.is_overdue(dt.date(2026, 12, 8), dt.date(2026, 12, 9), dt.date(2026, 12, 10))


def test_a_held_session_cannot_be_published_again():
    t = rules.SESSION.check("hold", "published", {"leader"})
    assert t.target == "held"
    with pytest.raises(Refusal):
        rules.SESSION.check("publish", "held", {"leader"})
    with pytest.raises(Refusal):
        rules.VISIT.check("record", "", {"observer"})
