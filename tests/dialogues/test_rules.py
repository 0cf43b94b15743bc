"""The pure rules: a commitment's due date in working days (across a holiday, with its explanation), kept on time,
overdue, and the yearly legal minimum."""

import datetime as dt

import pytest

from cqtt.core.process import Refusal
from cqtt.dialogues import rules
from cqtt.workdays.rules import build_calendar

NEW_YEAR = dt.date(2027, 1, 1)  # a Friday
CALENDAR = build_calendar(2026, 2027, library_holidays={NEW_YEAR: "Tết Dương lịch"})


def test_a_commitment_due_in_three_working_days_skips_the_weekend_and_the_new_year_holiday():
    # given a dialogue on Wednesday 30/12/2026
    start = dt.date(2026, 12, 30)
    # when the commitment is due in 3 working days
    due = rules.commitment_due(CALENDAR, start, 3)
    # then Thursday 31/12 is the first, Friday 1/1 (holiday) and the weekend are skipped, Tuesday 5/1 the third
    assert due == dt.date(2027, 1, 5)
    lines = {item.date: item.reason for item in rules.explain_commitment_due(CALENDAR, start, due)}
    assert lines[start] == "Ngày đối thoại, không tính"
    assert lines[dt.date(2026, 12, 31)] == "Ngày làm việc thứ 1"
    assert lines[NEW_YEAR] == "Tết Dương lịch"
    assert "Thứ Bảy" in lines[dt.date(2027, 1, 2)]
    assert lines[dt.date(2027, 1, 5)] == "Ngày làm việc thứ 3"
    assert len(lines) == 7


def test_kept_on_time_is_done_on_or_before_the_due_date():
    due = dt.date(2026, 12, 10)
    assert rules.kept_on_time(status="done", due_date=due, done_on=due) is True
    assert rules.kept_on_time(status="done", due_date=due, done_on=dt.date(2026, 12, 11)) is False
    assert rules.kept_on_time(status="dropped", due_date=due, done_on=None) is False
    assert rules.kept_on_time(status="open", due_date=due, done_on=None) is None


def test_overdue_is_open_after_the_due_date():
    due = dt.date(2026, 12, 10)
    assert rules.is_overdue(status="open", due_date=due, today=dt.date(2026, 12, 11))
    assert not rules.is_overdue(status="open", due_date=due, today=due)
    assert not rules.is_overdue(status="done", due_date=due, today=dt.date(2027, 1, 1))


def test_the_yearly_minimum_needs_a_held_dialogue_with_the_front_and_a_youth_dialogue():
    none = {r.kind: r for r in rules.yearly_minimum([])}
    assert not none["annual_front"].met and not none["youth"].met and not none["youth"].planned
    mixed = {
        r.kind: r
        for r in rules.yearly_minimum(
            [("annual_front", "minutes_published", 6), ("youth", "announced", 3), ("youth", "cancelled", 3)]
        )
    }
    assert mixed["annual_front"].met
    assert not mixed["youth"].met and mixed["youth"].planned
    periodic_only = {
        r.kind: r for r in rules.yearly_minimum([("periodic", "held", 1), ("thematic", "held", 2)])
    }
    assert not periodic_only["annual_front"].met


@pytest.mark.parametrize(
    ("process", "action", "state", "role"),
    [
        (rules.DIALOGUE, "cancel", "planned", "specialist"),
        (rules.DIALOGUE, "publish_minutes", "held", "specialist"),
        (rules.COMMITMENT, "drop", "open", "specialist"),
        (rules.DIALOGUE, "announce", "planned", "observer"),
        (rules.COMMITMENT, "complete", "open", "counter_officer"),
    ],
)
def test_roles_the_tables_refuse(process, action, state, role):
    with pytest.raises(Refusal) as refused:
        process.check(action, state, {role})
    assert not refused.value.conflict


def test_states_the_tables_refuse():
    with pytest.raises(Refusal) as refused:
        rules.COMMITMENT.check("complete", "done", {"leader"})
    assert refused.value.conflict
    with pytest.raises(Refusal):
        rules.DIALOGUE.check("publish_minutes", "announced", {"leader"})


def test_a_youth_dialogue_outside_march_meets_the_minimum_with_a_hint():
    youth = {r.kind: r for r in rules.yearly_minimum([("youth", "held", 9)])}["youth"]
    assert youth.met and youth.off_month
    march = {r.kind: r for r in rules.yearly_minimum([("youth", "planned", 3)])}["youth"]
    assert not march.met and march.planned and not march.off_month
