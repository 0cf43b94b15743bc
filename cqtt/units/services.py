"""Writes to the unit tree. Derived fields (path, province code, search text) are set here, never in save()."""

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.core.audit import audit_changes, audit_record, audit_snapshot
from cqtt.core.errors import PermissionDenied, ServiceError
from cqtt.core.text import nfc

from . import rules
from .models import Camera, Counter, FootageRequest, FootageSource, FootageStatus, Office, Unit
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


# --- counter cameras and footage requests (the platform stores no video) ---------------------------------------
# Who may call these is checked by the interfaces through accounts.permissions (the units app sits below
# accounts): the unit administrator and the leaders of the unit manage; the reactions call them as the system.

CAMERA_NAME_MAX = 120
RECORDER_MAX = 200
REASON_MAX = 500


def _camera_problems(name: str, recorder: str, retention_days: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not name:
        problems["name"] = [_("Nhập tên camera.")]
    elif len(name) > CAMERA_NAME_MAX:
        problems["name"] = [_("Tên camera tối đa %(n)s ký tự.") % {"n": CAMERA_NAME_MAX}]
    if not recorder:
        problems["recorder"] = [_("Nhập địa chỉ hoặc vị trí đầu ghi.")]
    elif len(recorder) > RECORDER_MAX:
        problems["recorder"] = [_("Địa chỉ đầu ghi tối đa %(n)s ký tự.") % {"n": RECORDER_MAX}]
    if not isinstance(retention_days, int) or not 1 <= retention_days <= rules.RETENTION_MAX_DAYS:
        problems["retention_days"] = [
            _("Số ngày lưu hình là số nguyên từ 1 đến %(n)s.") % {"n": rules.RETENTION_MAX_DAYS}
        ]
    return problems


@transaction.atomic
def camera_save(
    *,
    counter: Counter,
    name: str,
    recorder: str,
    retention_days: int,
    is_active: bool = True,
    camera: Camera | None = None,
    actor: Any = None,
) -> Camera:
    """Register a camera of a counter, or change one (`camera`); a camera never moves to another counter."""
    name, recorder = nfc(name), nfc(recorder)
    problems = _camera_problems(name, recorder, retention_days)
    if problems:
        raise ServiceError(problems)
    if camera is not None and camera.counter_id != counter.pk:
        raise ServiceError({"counter": [_("Camera này thuộc quầy khác.")]})
    camera = camera or Camera(counter=counter)
    before = audit_snapshot(camera)
    creating = camera.pk is None
    camera.name, camera.recorder, camera.retention_days, camera.is_active = (
        name,
        recorder,
        retention_days,
        is_active,
    )
    camera.save()
    audit_record(
        actor=actor,
        action="camera.created" if creating else "camera.updated",
        obj=camera,
        unit_code=counter.office.unit.code,
        summary=f"{counter} — {camera.name}",
        changes=audit_changes(camera, before),
    )
    return camera


@transaction.atomic
def footage_request_open(
    *,
    counter: Counter,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    source: str,
    source_ref: str,
    actor: Any,
    officer_id: int | None = None,
) -> FootageRequest:
    """Record a time window at a counter whose footage should be pulled, with the counter's active cameras and
    when the first recorder overwrites it. Once per `(source, source_ref)`: opening it again returns the first."""
    reason, source_ref = nfc(reason), nfc(source_ref)[:64]
    problems: dict[str, list[str]] = {}
    if not reason:
        problems["reason"] = [_("Nhập lý do cần trích xuất hình ảnh.")]
    elif len(reason) > REASON_MAX:
        problems["reason"] = [_("Lý do tối đa %(n)s ký tự.") % {"n": REASON_MAX}]
    if source not in FootageSource.values:
        problems["source"] = [_("Nguồn không hợp lệ.")]
    if starts_at is None or ends_at is None:
        problems["starts_at"] = [_("Nhập thời gian bắt đầu và kết thúc.")]
    elif ends_at <= starts_at:
        problems["ends_at"] = [_("Thời gian kết thúc phải sau thời gian bắt đầu.")]
    elif ends_at - starts_at > dt.timedelta(days=1):
        problems["ends_at"] = [_("Khoảng thời gian tối đa 24 giờ.")]
    if problems:
        raise ServiceError(problems)
    if source_ref:
        found = FootageRequest.objects.filter(source=source, source_ref=source_ref).first()
        if found is not None:
            return found
    cameras = list(counter.cameras.filter(is_active=True))
    request = FootageRequest(
        counter=counter,
        officer_id=officer_id,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        source=source,
        source_ref=source_ref,
        retention_ends_at=rules.retention_ends(ends_at, [c.retention_days for c in cameras]),
    )
    try:
        with transaction.atomic():
            request.save(force_insert=True)
    except IntegrityError:  # the same rating's reaction ran in parallel
        return FootageRequest.objects.get(source=source, source_ref=source_ref)
    request.cameras.set(cameras)
    audit_record(
        actor=actor,
        action="footage.opened",
        obj=request,
        unit_code=counter.office.unit.code,
        summary=str(request),
        data={"cameras": [c.name for c in cameras], "source": source, "source_ref": source_ref},
    )
    return request


@transaction.atomic
def footage_request_close(
    *, footage: FootageRequest, outcome: str, note: str, actor: Any, at: dt.datetime | None = None
) -> FootageRequest:
    """The inspector pulled the footage (`pulled`) or found it not needed (`dismissed`, with a note)."""
    note = nfc(note)
    if outcome not in (FootageStatus.PULLED, FootageStatus.DISMISSED):
        raise ServiceError({"outcome": [_("Chọn đã trích xuất hoặc không cần trích xuất.")]})
    if len(note) > REASON_MAX:
        raise ServiceError({"note": [_("Ghi chú tối đa %(n)s ký tự.") % {"n": REASON_MAX}]})
    if outcome == FootageStatus.DISMISSED and not note:
        raise ServiceError({"note": [_("Ghi lý do không cần trích xuất.")]})
    footage = (
        FootageRequest.objects.select_for_update().select_related("counter__office__unit").get(pk=footage.pk)
    )
    if footage.status != FootageStatus.OPEN:
        raise ServiceError({"outcome": [_("Yêu cầu này đã được đóng.")]})
    before = audit_snapshot(footage)
    footage.status, footage.closed_note, footage.closed_at = outcome, note, at or timezone.now()
    footage.save(update_fields=["status", "closed_note", "closed_at", "updated_at"])
    audit_record(
        actor=actor,
        action=f"footage.{outcome}",
        obj=footage,
        unit_code=footage.counter.office.unit.code,
        summary=str(footage),
        changes=audit_changes(footage, before),
    )
    return footage
