"""Writes to the unit tree. Derived fields (path, province code, search text) are set here, never in save()."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cqtt.core.audit import audit_changes, audit_record, audit_snapshot
from cqtt.core.errors import PermissionDenied, ServiceError
from cqtt.core.text import nfc

from . import rules
from .models import Counter, Office, Unit
from .signals import units_bulk_changed

DATA_FILE = Path(__file__).parent / "data" / "vn_units_2026-07-25.json"


def _derive(unit: Unit) -> None:
    parent = unit.parent
    unit.path = rules.unit_path(unit.code, parent.path if parent else None)
    unit.province_code = rules.unit_province_code(
        unit.code, unit.level, parent.province_code if parent else None
    )
    unit.search_text = rules.unit_search_text(unit.name, unit.full_name, unit.code)
    unit.dossier_prefix = unit.digital_id or unit.code


@transaction.atomic
def unit_save(*, unit: Unit, actor: Any = None) -> Unit:
    """Create or update a unit (admin, demo loader); re-derives the paths of everything below it."""
    unit.code = nfc(unit.code)
    unit.name = nfc(unit.name)
    unit.full_name = nfc(unit.full_name) or unit.name
    unit.digital_id = nfc(unit.digital_id).strip()
    stored = Unit.objects.filter(pk=unit.pk).values("code", "digital_id").first() if unit.pk else None
    if actor is not None and not getattr(actor, "is_superuser", False):
        # the code and the electronic identifier are national data: dossier codes and lookups rest on them
        if stored is not None and (stored["code"], stored["digital_id"]) != (unit.code, unit.digital_id):
            raise PermissionDenied(_("Chỉ quản trị hệ thống được sửa mã đơn vị và mã định danh điện tử."))
        if stored is None and unit.digital_id:
            raise PermissionDenied(_("Chỉ quản trị hệ thống được đặt mã định danh điện tử."))
    if unit.parent_id and unit.pk and unit.parent.path.startswith(unit.path or "\0"):
        raise ServiceError({"parent": _("Không thể đặt đơn vị cấp dưới làm đơn vị cấp trên của chính nó.")})
    creating = unit.pk is None
    old_path = None if creating else Unit.objects.filter(pk=unit.pk).values_list("path", flat=True).first()
    _derive(unit)
    clash = Unit.objects.filter(dossier_prefix=unit.dossier_prefix).exclude(pk=unit.pk).first()
    if clash is not None:
        raise ServiceError(
            {
                "digital_id" if unit.digital_id else "code": _(
                    "Mã “%(p)s” đã là phần đầu mã hồ sơ của %(u)s; mỗi đơn vị cần một mã riêng."
                )
                % {"p": unit.dossier_prefix, "u": clash.full_name}
            }
        )
    before = audit_snapshot(unit)
    unit.save()
    if old_path and old_path != unit.path:
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).order_by("path"):
            _derive(child)
            child.save(update_fields=["path", "province_code", "search_text", "updated_at"])
    audit_record(
        actor=actor,
        action="unit.created" if creating else "unit.updated",
        obj=unit,
        unit_code=unit.code,
        summary=unit.full_name,
        changes=audit_changes(unit, before),
    )
    return unit


@dataclass
class LoadResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def units_load_national(*, data_file: Path = DATA_FILE, actor: Any = None) -> LoadResult:
    """Load the national list (34 provinces, 3,321 communes) idempotently with bulk writes."""
    provinces = json.loads(data_file.read_text(encoding="utf-8"))
    existing = {u.code: u for u in Unit.objects.filter(level__in=["province", "commune"])}
    fields = [
        "name",
        "full_name",
        "name_en",
        "full_name_en",
        "level",
        "kind",
        "parent",
        "path",
        "province_code",
        "search_text",
        "dossier_prefix",
        "is_active",
    ]
    compare = [f if f != "parent" else "parent_id" for f in fields]
    to_create: list[Unit] = []
    to_update: list[Unit] = []
    unchanged = 0

    def upsert(row: dict, parent: Unit | None) -> Unit:
        nonlocal unchanged
        level, kind = rules.NATIONAL_KINDS[row["AdministrativeUnitId"]]
        values = {
            "name": nfc(row["Name"]),
            "full_name": nfc(row["FullName"]),
            "name_en": row.get("NameEn") or "",
            "full_name_en": row.get("FullNameEn") or "",
            "level": level,
            "kind": kind,
            "parent": parent,
            "is_active": True,
        }
        unit = existing.get(row["Code"])
        if unit is None:
            unit = Unit(code=row["Code"], **values)
            _derive(unit)
            to_create.append(unit)
            return unit
        before = [getattr(unit, f) for f in compare]
        for key, value in values.items():
            setattr(unit, key, value)
        _derive(unit)
        if [getattr(unit, f) for f in compare] != before:
            to_update.append(unit)
        else:
            unchanged += 1
        return unit

    for prow in provinces:
        upsert(prow, None)
    Unit.objects.bulk_create(to_create, batch_size=500)
    Unit.objects.bulk_update(to_update, fields, batch_size=500)
    created, updated = len(to_create), len(to_update)
    to_create, to_update = [], []
    by_code = {u.code: u for u in Unit.objects.filter(level="province")}
    for prow in provinces:
        parent = by_code[prow["Code"]]
        for wrow in prow["Wards"]:
            upsert(wrow, parent)
    Unit.objects.bulk_create(to_create, batch_size=500)
    Unit.objects.bulk_update(to_update, fields, batch_size=500)
    result = LoadResult(created + len(to_create), updated + len(to_update), unchanged)
    if result.created or result.updated:
        # bulk writes send no save signals: those who keep derived data (cached permission scopes) hear it
        transaction.on_commit(lambda: units_bulk_changed.send(sender=Unit))
        marker = Unit.objects.order_by("path").first()
        audit_record(
            actor=actor,
            action="units.loaded",
            obj=marker,
            summary=data_file.name,
            data={"created": result.created, "updated": result.updated},
        )
    return result


@transaction.atomic
def office_save(*, office: Office, actor: Any = None) -> Office:
    office.name = nfc(office.name)
    office.address = nfc(office.address)
    creating = office.pk is None
    before = audit_snapshot(office)
    office.save()
    audit_record(
        actor=actor,
        action="office.created" if creating else "office.updated",
        obj=office,
        unit_code=office.unit.code,
        summary=office.name,
        changes=audit_changes(office, before),
    )
    return office


@transaction.atomic
def counter_save(*, counter: Counter, actor: Any = None) -> Counter:
    counter.name = nfc(counter.name)
    creating = counter.pk is None
    before = audit_snapshot(counter)
    counter.save()
    audit_record(
        actor=actor,
        action="counter.created" if creating else "counter.updated",
        obj=counter,
        unit_code=counter.office.unit.code,
        summary=str(counter),
        changes=audit_changes(counter, before),
    )
    return counter


@transaction.atomic
def counter_set_officers(*, counter: Counter, officers: Iterable[Any], actor: Any = None) -> None:
    """The officers serving at a counter become exactly `officers` (the admin offers only staff of the units
    the administrator reaches)."""
    officers = list(officers)
    before = sorted(counter.officers.values_list("username", flat=True))
    counter.officers.set(officers)
    after = sorted(o.username for o in officers)
    if before != after:
        audit_record(
            actor=actor,
            action="counter.officers_set",
            obj=counter,
            unit_code=counter.office.unit.code,
            summary=str(counter),
            data={"before": before, "after": after},
        )
