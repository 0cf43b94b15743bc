"""Pure rules: ID number and phone formats (digits typed on any keyboard folded to ASCII first), the clocks."""

import datetime as dt
from decimal import Decimal

import pytest

from cqtt.dossiers import rules
from cqtt.dossiers.models import Status, Timeliness
from cqtt.dossiers.rules import id_number_problem, normalise_id_number, normalise_phone, phone_problem
from cqtt.workdays import rules as wd

TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("079085001234", "079085001234"),
        (" 0790 8500 1234 ", "079085001234"),
        ("０７９０８５００１２３４", "079085001234"),  # full-width, as a phone's IME types them
        ("０７９０　８５００　１２３４", "079085001234"),  # with ideographic spaces
        ("０１０１２３４５６７－００１", "0101234567-001"),  # a tax code with a full-width hyphen
        ("", ""),
    ],
)
def test_id_numbers_are_folded_to_ascii_digits_without_spaces(raw, expected):
    assert normalise_id_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912 345 678", "0912345678"),
        ("０９１２３４５６７８", "0912345678"),
        ("＋８４ ９１２ ３４５ ６７８", "0912345678"),
        ("（０２７４）３８２２０００", "02743822000"),
    ],
)
def test_phones_are_folded_to_ascii_digits(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    "value",
    ["０７９０８５００１２３４", "٠٧٩٠٨٥٠٠١٢٣٤", "०७९०८५००१२३४"],
    ids=["full-width", "arabic-indic", "devanagari"],
)
def test_only_ascii_digits_pass_the_id_number_check(value):
    assert id_number_problem(value, today=TODAY) == "Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert id_number_problem("079085001234", today=TODAY) == ""


def test_only_ascii_digits_pass_the_phone_and_tax_code_checks():
    assert phone_problem("０９１２３４５６７８").startswith("Số điện thoại không đúng định dạng")
    assert phone_problem("0912345678") == ""
    assert id_number_problem("０１０１２３４５６７", kind="organisation").startswith("Mã số thuế")
    assert id_number_problem("0101234567", kind="organisation") == ""


# --- the clocks the services and the generator share ---------------------------------------------------------

CAL = wd.build_calendar(2026, 2027, library_holidays={})
SCHED = wd.Schedule()  # 7:30–11:30, 13:30–17:00: 7.5 office hours a day
VN = wd.TZ


def test_counter_days_are_shared_by_its_two_hand_overs():
    plan = rules.process_plan(
        [
            ("Tiếp nhận", "counter", Decimal("0.5")),
            ("Thẩm định", "specialist", Decimal(2)),
            ("Trả", "counter", Decimal("0.5")),
        ],
        Decimal(3),
        "working_days",
    )
    assert rules.handover_days(plan, "counter") == Decimal("0.5")
    assert rules.handover_days(plan, "specialist") == Decimal(2)
    assert rules.handover_days(plan, "leader") == Decimal("0.5")  # no leader step: half a day


def test_without_steps_the_default_process_is_scaled_to_the_period():
    assert rules.process_plan([], Decimal(10), "working_days") == rules.default_process(Decimal(10))
    assert rules.process_plan([], Decimal(4), "working_hours") == rules.default_process(Decimal("0.5"))


def test_risk_counts_back_the_steps_still_to_come():
    plan = rules.default_process(Decimal(10))  # counter 0.5, specialist 8.5, leader 0.5, counter 0.5
    due = dt.datetime(2026, 11, 27, 17, 0, tzinfo=VN)  # Friday
    assert rules.risk_role(Status.IN_PROGRESS) == "specialist"
    assert rules.risk_role(Status.SUPPLEMENT_REQUESTED) is None
    # one working day (leader + counter) before Friday's close
    assert rules.risk_at(due, plan, "specialist", CAL, SCHED) == dt.datetime(2026, 11, 26, 17, 0, tzinfo=VN)
    assert rules.risk_at(None, plan, "specialist", CAL, SCHED) is None


def test_the_statistic_moves_by_the_paused_office_time():
    stat = dt.datetime(2026, 11, 27, 17, 0, tzinfo=VN)
    moved = rules.statistic_due_after_pause(
        stat,
        dt.datetime(2026, 11, 25, 9, 0, tzinfo=VN),
        dt.datetime(2026, 11, 26, 9, 0, tzinfo=VN),
        CAL,
        SCHED,
    )
    assert moved == dt.datetime(2026, 11, 30, 17, 0, tzinfo=VN)  # one office day, over the weekend


def test_finish_timeliness_by_date_and_the_statistic_late_after_two_supplements():
    due = dt.datetime(2026, 11, 27, 17, 0, tzinfo=VN)
    evening = dt.datetime(2026, 11, 27, 18, 0, tzinfo=VN)
    assert rules.finish_timeliness(evening, due, None, 0) == (Timeliness.ON_TIME, Timeliness.ON_TIME)
    assert rules.finish_timeliness(evening, due, due, 0, compare="datetime")[0] == Timeliness.LATE
    assert rules.finish_timeliness(evening, due, due, 2) == (Timeliness.ON_TIME, Timeliness.LATE)
    assert rules.finish_timeliness(evening, None, None, 0) == ("", "")
    assert rules.step_timeliness(evening, due) == Timeliness.LATE
