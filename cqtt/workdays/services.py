"""Writes to the working-day calendar: overrides and office hours. Each write is audited and drops the cached
calendars once committed."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cqtt.accounts.permissions import require_admin_of
from cqtt.core.audit import audit_changes, audit_record, audit_snapshot
from cqtt.core.errors import ServiceError
from cqtt.core.text import nfc

from . import rules
from .models import CalendarOverride, OverrideKind, WorkSchedule
from .selectors import calendar_cache_clear, calendar_years


def _invalidate() -> None:
    calendar_cache_clear()
    transaction.on_commit(calendar_cache_clear)


def override_errors(override: CalendarOverride) -> dict[str, str]:
    """Field-by-field problems of an override (also used by the admin form to show them next to the fields)."""
    errors: dict[str, str] = {}
    if not nfc(override.name):
        errors["name"] = _("Vui lòng nhập tên ngày.")
    if override.kind not in OverrideKind.values:
        errors["kind"] = _("Loại phải là ngày nghỉ hoặc ngày làm việc.")
    first, last = calendar_years()
    if override.date is None or not first <= override.date.year <= last:
        errors["date"] = _("Ngày phải thuộc các năm %(a)s–%(b)s.") % {"a": first, "b": last}
    if override.province_id and override.province.level != "province":
        errors["province"] = _("Chỉ chọn đơn vị cấp tỉnh.")
    if not errors:
        clash = CalendarOverride.objects.filter(date=override.date, province_id=override.province_id)
        if override.pk:
            clash = clash.exclude(pk=override.pk)
        if clash.exists():
            errors["date"] = _("Đã có ngày điều chỉnh cho ngày này ở phạm vi này.")
    return errors


@transaction.atomic
def override_save(*, override: CalendarOverride, actor: Any = None) -> CalendarOverride:
    """Create or update an override (a government decision beating the `holidays` library)."""
    override.name = nfc(override.name)
    override.reference = nfc(override.reference)
    override.note = unicodedata.normalize("NFC", override.note or "").strip()  # keeps line breaks
    errors = override_errors(override)
    if errors:
        raise ServiceError(errors)
    creating = override.pk is None
    before = audit_snapshot(override)
    override.save()
    audit_record(
        actor=actor,
        action="calendar_override.created" if creating else "calendar_override.updated",
        obj=override,
        unit_code=override.province.code if override.province_id else "",
        summary=str(override),
        data={"date": override.date.isoformat(), "kind": override.kind, "reference": override.reference},
        changes=audit_changes(override, before),
    )
    _invalidate()
    return override


@transaction.atomic
def override_delete(*, override: CalendarOverride, actor: Any = None) -> None:
    audit_record(
        actor=actor,
        action="calendar_override.deleted",
        obj=override,
        unit_code=override.province.code if override.province_id else "",
        summary=str(override),
        data={"date": override.date.isoformat(), "kind": override.kind},
        changes=audit_changes(override, audit_snapshot(override), deleted=True),
    )
    override.delete()
    _invalidate()


@transaction.atomic
def schedule_save(*, schedule: WorkSchedule, actor: Any = None) -> WorkSchedule:
    """Create or update a unit's office hours and intake cut-off."""
    require_admin_of(actor, schedule.unit)
    problem = rules.schedule_problem(
        schedule.morning_start, schedule.morning_end, schedule.afternoon_start, schedule.afternoon_end
    )
    if problem:
        raise ServiceError({"morning_start": problem})
    creating = schedule.pk is None
    before = audit_snapshot(schedule)
    schedule.save()
    _invalidate()
    audit_record(
        actor=actor,
        action="work_schedule.created" if creating else "work_schedule.updated",
        obj=schedule,
        unit_code=schedule.unit.code,
        summary=str(schedule.unit),
        data={
            "morning": [f"{schedule.morning_start:%H:%M}", f"{schedule.morning_end:%H:%M}"],
            "afternoon": [f"{schedule.afternoon_start:%H:%M}", f"{schedule.afternoon_end:%H:%M}"],
            "cutoff": f"{schedule.cutoff:%H:%M}",
        },
        changes=audit_changes(schedule, before),
    )
    return schedule
