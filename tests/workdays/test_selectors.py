from datetime import date, time
from decimal import Decimal

import pytest

from cqtt.workdays.models import CalendarOverride, WorkSchedule
from cqtt.workdays.selectors import calendar_for, due_for, schedule_for, workday_unit_find
from cqtt.workdays.services import override_delete, override_save, schedule_save
from tests.factories import make_commune, make_province

from .conftest import at

pytestmark = pytest.mark.django_db


def test_calendar_without_overrides_follows_the_library():
    cal = calendar_for(None)

    assert not cal.is_working_day(date(2026, 2, 17))
    assert cal.is_working_day(date(2026, 8, 22))


def test_a_new_national_override_is_seen_at_once_and_gone_after_delete():
    assert calendar_for(None).is_working_day(date(2026, 3, 10))
    override = override_save(
        override=CalendarOverride(date=date(2026, 3, 10), kind="holiday", name="Nghỉ đột xuất")
    )

    assert not calendar_for(None).is_working_day(date(2026, 3, 10))

    override_delete(override=override)
    assert calendar_for(None).is_working_day(date(2026, 3, 10))


def test_a_province_override_applies_only_to_units_of_that_province():
    province, other = make_province("91"), make_province("92")
    commune, elsewhere = make_commune(province), make_commune(other)
    override_save(
        override=CalendarOverride(
            date=date(2026, 3, 10), kind="holiday", name="Lễ hội tỉnh", province=province
        )
    )

    inside = due_for(at("09/03/2026", "09:00"), Decimal(1), "working_days", commune)
    outside = due_for(at("09/03/2026", "09:00"), Decimal(1), "working_days", elsewhere)

    assert inside.due_at == at("11/03/2026", "17:00")
    assert {i.date: i.reason for i in inside.explanation}[date(2026, 3, 10)] == "Lễ hội tỉnh"
    assert outside.due_at == at("10/03/2026", "17:00")
    assert calendar_for(None).is_working_day(date(2026, 3, 10))


def test_a_province_workday_override_beats_a_national_holiday_override():
    province = make_province("93")
    override_save(override=CalendarOverride(date=date(2026, 3, 10), kind="holiday", name="Nghỉ toàn quốc"))
    override_save(
        override=CalendarOverride(
            date=date(2026, 3, 10), kind="workday", name="Tỉnh vẫn làm việc", province=province
        )
    )

    assert calendar_for("93").is_working_day(date(2026, 3, 10))
    assert not calendar_for(None).is_working_day(date(2026, 3, 10))


def test_an_override_edit_is_picked_up_by_the_cache():
    override = override_save(override=CalendarOverride(date=date(2026, 3, 10), kind="holiday", name="Nghỉ"))
    assert not calendar_for(None).is_working_day(date(2026, 3, 10))

    override.kind = "workday"
    override_save(override=override)

    assert calendar_for(None).is_working_day(date(2026, 3, 10))


def test_calendar_is_cached_between_calls(django_assert_num_queries):
    first = calendar_for(None)

    with django_assert_num_queries(1):  # the generation check only
        assert calendar_for(None) is first


def test_schedule_falls_back_to_settings_and_uses_the_units_own_hours():
    commune = make_commune()
    assert schedule_for(None).afternoon_end == time(17, 0)
    assert schedule_for(commune).cutoff == time(15, 0)

    schedule_save(schedule=WorkSchedule(unit=commune, afternoon_end=time(16, 30), cutoff=time(14, 0)))

    own = schedule_for(commune)
    assert own.afternoon_end == time(16, 30)
    assert own.cutoff == time(14, 0)
    assert own.morning_start == time(7, 30)
    result = due_for(at("09/03/2026", "14:30"), Decimal(1), "same_day", commune)
    assert result.due_at == at("10/03/2026", "16:30")


def test_count_receipt_day_setting_counts_the_receipt_day(settings):
    settings.WORKDAYS = {**settings.WORKDAYS, "COUNT_RECEIPT_DAY": True}

    result = due_for(at("09/03/2026", "10:00"), Decimal(1), "working_days")

    assert result.due_at == at("09/03/2026", "17:00")


def test_units_are_found_by_code_or_by_unique_name():
    province = make_province("94", name="Tỉnh Tìm Kiếm")
    commune = make_commune(province, code="94001", name="Phường Hòa Bình")

    assert workday_unit_find("94001") == [commune]
    assert workday_unit_find("phuong hoa binh") == [commune]
    assert workday_unit_find("không có") == []
