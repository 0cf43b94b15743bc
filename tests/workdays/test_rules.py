from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from cqtt.workdays import rules

from .conftest import at


def due(calendar, schedule, received, amount, unit="working_days"):
    return rules.compute_due(received, Decimal(amount), unit, calendar, schedule)


def reasons(result):
    return {item.date.strftime("%d/%m"): item.reason for item in result.explanation}


# --- working days ---------------------------------------------------------------------------------------


def test_one_working_day_received_before_tet_2026_is_due_the_monday_after_tet(calendar, schedule):
    result = due(calendar, schedule, at("13/02/2026", "10:00"), "1")

    assert result.due_at == at("23/02/2026", "17:00")
    assert result.due_at.utcoffset() == timedelta(hours=7)
    explained = reasons(result)
    assert list(explained) == [f"{d:02d}/02" for d in range(13, 24)]
    assert explained["13/02"] == "Ngày tiếp nhận, không tính"
    assert explained["14/02"] == "Thứ Bảy"
    assert explained["15/02"] == "Chủ nhật"
    assert explained["16/02"] == "Giao thừa Tết Nguyên Đán"
    assert explained["17/02"] == "Tết Nguyên Đán"
    assert explained["20/02"] == "Mùng bốn Tết Nguyên Đán"
    assert explained["22/02"] == "Chủ nhật"
    assert explained["23/02"] == "Ngày làm việc thứ 1"


def test_swapped_saturday_22_08_2026_counts_and_national_day_break_is_skipped(calendar, schedule):
    result = due(calendar, schedule, at("20/08/2026", "09:00"), "10")

    # 21, 22 (Sat, swapped), 24–28 = 7 days; 31/08, 01–02/09 off; 03, 04, 07/09 → day 10 on Mon 07/09
    assert result.due_at == at("07/09/2026", "17:00")
    explained = reasons(result)
    assert explained["22/08"] == "Ngày làm việc thứ 2 (Thứ Bảy làm bù)"
    assert explained["23/08"] == "Chủ nhật"
    assert explained["31/08"] == "Ngày nghỉ (thay cho ngày 22/08/2026)"
    assert explained["01/09"] == "Quốc khánh"
    assert explained["02/09"] == "Quốc khánh"
    assert explained["07/09"] == "Ngày làm việc thứ 10"
    assert calendar.working_days_between(date(2026, 8, 20), date(2026, 9, 4)) == 10


def test_vietnamese_culture_day_24_11_2026_is_skipped(calendar, schedule):
    result = due(calendar, schedule, at("23/11/2026", "08:00"), "1")

    assert result.due_at == at("25/11/2026", "17:00")
    assert reasons(result)["24/11"] == "Ngày Văn hóa Việt Nam"
    assert not calendar.is_working_day(date(2026, 11, 24))


def test_receipt_on_a_sunday_starts_counting_on_monday(calendar, schedule):
    result = due(calendar, schedule, at("08/03/2026", "20:00"), "2")

    assert result.due_at == at("10/03/2026", "17:00")
    assert reasons(result)["08/03"] == "Ngày tiếp nhận, không tính: Chủ nhật"


def test_weekend_holiday_names_the_weekday_too(calendar, schedule):
    result = due(calendar, schedule, at("24/04/2026", "09:00"), "1")

    assert result.due_at == at("28/04/2026", "17:00")
    assert reasons(result)["26/04"] == "Ngày Giỗ Tổ Hùng Vương (Chủ nhật)"
    assert reasons(result)["27/04"] == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"


# --- half days ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.5", ("10/03/2026", "11:30")),
        ("1", ("10/03/2026", "17:00")),
        ("1.5", ("11/03/2026", "11:30")),
        ("2.5", ("12/03/2026", "11:30")),
        ("3", ("12/03/2026", "17:00")),
    ],
)
def test_half_a_working_day_is_the_morning_session(calendar, schedule, amount, expected):
    result = due(calendar, schedule, at("09/03/2026", "09:00"), amount)

    assert result.due_at == at(*expected)


def test_half_day_explanation_marks_the_morning(calendar, schedule):
    result = due(calendar, schedule, at("09/03/2026", "09:00"), "2.5")

    assert reasons(result)["12/03"] == "Ngày làm việc thứ 3, buổi sáng (nửa ngày)"


@pytest.mark.parametrize("amount", ["0", "-1", "1.25", "0.3"])
def test_amounts_must_be_positive_multiples_of_a_half(calendar, schedule, amount):
    with pytest.raises(rules.InvalidAmount):
        due(calendar, schedule, at("09/03/2026"), amount)


# --- count receipt day ----------------------------------------------------------------------------------


def test_count_receipt_day_makes_a_receipt_before_the_cutoff_day_one(calendar):
    schedule = rules.Schedule(count_receipt_day=True)

    early = due(calendar, schedule, at("09/03/2026", "14:59"), "1")
    late = due(calendar, schedule, at("09/03/2026", "15:01"), "1")

    assert early.due_at == at("09/03/2026", "17:00")
    assert reasons(early)["09/03"] == "Ngày tiếp nhận, tính là ngày làm việc thứ 1"
    assert late.due_at == at("10/03/2026", "17:00")
    assert reasons(late)["09/03"] == "Ngày tiếp nhận sau 15:00, không tính"


def test_count_receipt_day_half_day_received_in_the_afternoon_is_not_due_before_receipt(calendar):
    schedule = rules.Schedule(count_receipt_day=True)

    result = due(calendar, schedule, at("09/03/2026", "14:00"), "0.5")

    assert result.due_at == at("09/03/2026", "17:00")


# --- same day -------------------------------------------------------------------------------------------


def test_same_day_before_the_cutoff_is_due_at_close_of_that_day(calendar, schedule):
    result = due(calendar, schedule, at("09/03/2026", "14:59"), "1", "same_day")

    assert result.due_at == at("09/03/2026", "17:00")
    assert [i.reason for i in result.explanation] == ["Ngày tiếp nhận trước 15:00, trả kết quả trong ngày"]


def test_same_day_after_the_cutoff_is_due_at_close_of_the_next_working_day(calendar, schedule):
    result = due(calendar, schedule, at("13/03/2026", "15:01"), "1", "same_day")

    assert result.due_at == at("16/03/2026", "17:00")
    explained = reasons(result)
    assert explained["13/03"] == "Ngày tiếp nhận sau 15:00, trả kết quả ngày làm việc tiếp theo"
    assert explained["14/03"] == "Thứ Bảy"
    assert explained["16/03"] == "Ngày trả kết quả"


def test_same_day_uses_the_units_own_cutoff(calendar):
    schedule = rules.Schedule(cutoff=time(16, 0))

    assert due(calendar, schedule, at("09/03/2026", "15:30"), "1", "same_day").due_at == at(
        "09/03/2026", "17:00"
    )


# --- working hours --------------------------------------------------------------------------------------


def test_working_hours_skip_the_lunch_break(calendar, schedule):
    result = due(calendar, schedule, at("09/03/2026", "10:00"), "4", "working_hours")

    # 10:00–11:30 = 1h30, then 13:30 + 2h30
    assert result.due_at == at("09/03/2026", "16:00")
    assert reasons(result)["09/03"] == "Ngày tiếp nhận, tính 4 giờ làm việc từ 10:00"


def test_working_hours_ending_exactly_at_noon_stay_in_the_morning(calendar, schedule):
    assert due(calendar, schedule, at("09/03/2026", "10:00"), "1.5", "working_hours").due_at == at(
        "09/03/2026", "11:30"
    )


def test_working_hours_cross_a_weekend(calendar, schedule):
    result = due(calendar, schedule, at("13/03/2026", "16:00"), "2", "working_hours")

    assert result.due_at == at("16/03/2026", "08:30")
    explained = reasons(result)
    assert explained["13/03"] == "Ngày tiếp nhận, tính 1 giờ làm việc từ 16:00"
    assert explained["14/03"] == "Thứ Bảy"
    assert explained["16/03"] == "Ngày làm việc, tính 1 giờ"


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        ("06:00", ("09/03/2026", "08:30")),
        ("12:15", ("09/03/2026", "14:30")),
        ("18:00", ("10/03/2026", "08:30")),
    ],
)
def test_working_hours_received_outside_office_hours_start_at_the_next_session(
    calendar, schedule, clock, expected
):
    assert due(calendar, schedule, at("09/03/2026", clock), "1", "working_hours").due_at == at(*expected)


def test_a_full_day_of_working_hours_ends_at_close_not_next_morning(calendar, schedule):
    assert due(calendar, schedule, at("09/03/2026", "07:30"), "7.5", "working_hours").due_at == at(
        "09/03/2026", "17:00"
    )


# --- time zones and bounds ------------------------------------------------------------------------------


def test_other_offsets_are_converted_to_vietnam_time(calendar, schedule):
    received = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)  # 15:30 in Hà Nội

    result = due(calendar, schedule, received, "1", "same_day")

    assert result.due_at == at("10/03/2026", "17:00")
    assert result.due_at.tzinfo is rules.TZ


def test_naive_datetimes_are_refused(calendar, schedule):
    with pytest.raises(ValueError):
        due(calendar, schedule, datetime(2026, 3, 9, 10, 0), "1")


def test_dates_outside_the_calendar_years_are_refused(calendar, schedule):
    with pytest.raises(rules.OutOfCalendar):
        due(calendar, schedule, at("01/06/2041"), "1")
    with pytest.raises(rules.OutOfCalendar):
        due(calendar, schedule, at("31/12/2040"), "5")


# --- overrides ------------------------------------------------------------------------------------------


def _with(calendar_overrides):
    from cqtt.workdays.selectors import _library

    days, workdays = _library(2015, 2040)
    return rules.build_calendar(
        2015, 2040, library_holidays=days, library_workdays=workdays, overrides=calendar_overrides
    )


def test_a_national_override_wins_over_the_library():
    cal = _with(
        [
            rules.OverrideSpec(date(2026, 8, 31), "workday", "Làm việc bình thường"),
            rules.OverrideSpec(date(2026, 8, 22), "holiday", "Thứ Bảy nghỉ"),
            rules.OverrideSpec(date(2026, 3, 10), "holiday", "Nghỉ theo quyết định"),
        ]
    )

    assert cal.is_working_day(date(2026, 8, 31))
    assert not cal.is_working_day(date(2026, 8, 22))
    assert not cal.is_working_day(date(2026, 3, 10))
    assert cal.day_reason(date(2026, 3, 10)) == "Nghỉ theo quyết định"


def test_a_province_override_wins_over_a_national_one():
    cal = _with(
        [
            rules.OverrideSpec(date(2026, 3, 10), "holiday", "Nghỉ toàn quốc"),
            rules.OverrideSpec(date(2026, 3, 10), "workday", "Tỉnh làm việc", province_code="01"),
        ]
    )

    assert cal.is_working_day(date(2026, 3, 10))
    assert cal.day_reason(date(2026, 3, 10)) == "Tỉnh làm việc"


# --- calendar arithmetic --------------------------------------------------------------------------------


def test_add_working_days_moves_both_ways_and_zero_means_this_or_next(calendar):
    assert calendar.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert calendar.add_working_days(date(2026, 2, 23), -1) == date(2026, 2, 13)
    assert calendar.add_working_days(date(2026, 2, 14), 0) == date(2026, 2, 23)
    assert calendar.add_working_days(date(2026, 2, 13), 0) == date(2026, 2, 13)


def test_due_dates_are_formatted_in_vietnamese():
    assert rules.format_due(at("23/02/2026", "17:00")) == "17:00, Thứ Hai 23/02/2026"
    assert rules.format_day(date(2026, 2, 22)) == "Chủ nhật 22/02/2026"


def test_schedules_with_sessions_out_of_order_are_refused():
    with pytest.raises(ValueError):
        rules.Schedule(morning_end=time(14, 0))
