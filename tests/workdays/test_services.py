import unicodedata
from datetime import date, time

import pytest

from cqtt.core.errors import ServiceError
from cqtt.core.models import AuditEvent
from cqtt.workdays.models import CalendarOverride, WorkSchedule
from cqtt.workdays.services import override_delete, override_save, schedule_save
from tests.factories import make_commune, make_province, make_user

pytestmark = pytest.mark.django_db


def test_override_save_normalises_text_and_writes_an_audit_event():
    actor = make_user()
    decomposed = unicodedata.normalize("NFD", "  Nghỉ   bù Quốc khánh ")

    override = override_save(
        override=CalendarOverride(
            date=date(2027, 9, 3),
            kind="holiday",
            name=decomposed,
            reference=unicodedata.normalize("NFD", "Thông báo 1234/TB-BNV"),
        ),
        actor=actor,
    )

    assert override.name == "Nghỉ bù Quốc khánh"
    assert unicodedata.is_normalized("NFC", override.reference)
    event = AuditEvent.objects.get(action="calendar_override.created")
    assert event.actor == actor
    assert event.object_id == str(override.pk)
    assert event.data["date"] == "2027-09-03"


def test_two_national_overrides_on_one_day_are_refused():
    override_save(override=CalendarOverride(date=date(2027, 9, 3), kind="holiday", name="Nghỉ"))

    with pytest.raises(ServiceError) as err:
        override_save(override=CalendarOverride(date=date(2027, 9, 3), kind="workday", name="Làm"))

    assert "date" in err.value.message_dict


def test_the_same_day_may_be_overridden_nationally_and_per_province():
    province = make_province("95")
    override_save(override=CalendarOverride(date=date(2027, 9, 3), kind="holiday", name="Nghỉ"))

    override_save(
        override=CalendarOverride(date=date(2027, 9, 3), kind="workday", name="Làm", province=province)
    )

    assert CalendarOverride.objects.count() == 2


def test_override_province_must_be_a_province_and_date_inside_the_calendar():
    commune = make_commune()

    with pytest.raises(ServiceError) as err:
        override_save(
            override=CalendarOverride(date=date(2050, 1, 2), kind="holiday", name="", province=commune)
        )

    assert set(err.value.message_dict) == {"date", "name", "province"}


def test_override_delete_is_audited():
    override = override_save(override=CalendarOverride(date=date(2027, 9, 3), kind="holiday", name="Nghỉ"))

    override_delete(override=override)

    assert not CalendarOverride.objects.exists()
    assert AuditEvent.objects.filter(action="calendar_override.deleted").count() == 1


def test_schedule_save_refuses_sessions_out_of_order_and_audits_good_ones():
    commune = make_commune()

    with pytest.raises(ServiceError):
        schedule_save(schedule=WorkSchedule(unit=commune, morning_end=time(14, 0)))

    schedule_save(schedule=WorkSchedule(unit=commune, morning_start=time(8, 0)))
    event = AuditEvent.objects.get(action="work_schedule.created")
    assert event.unit_code == commune.code
    assert event.data["morning"] == ["08:00", "11:30"]
