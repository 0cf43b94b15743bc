"""Writes to the procedure catalogue: saving versions, opening a new version, importing a file."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.accounts.permissions import user_scope
from cqtt.core.audit import audit_changes, audit_record, audit_snapshot
from cqtt.core.errors import ServiceError
from cqtt.core.text import fold, nfc
from cqtt.units.models import Unit

from . import rules
from .columns import HEADERS, ProcedureRecord, format_date, parse_row, record_from_procedure
from .importing import FileRejected, RowError, read_table
from .models import DurationUnit, Fee, Procedure, ProcedureField, ProcessStep, RequiredDocument
from .selectors import (
    procedure_code_owned_by,
    procedure_import_allowed,
    procedure_unit_importable,
    procedure_version_editable,
)


def _normalise(procedure: Procedure) -> None:
    procedure.code = nfc(procedure.code)
    procedure.name = nfc(procedure.name)
    procedure.legal_basis = "\n".join(nfc(line) for line in procedure.legal_basis.splitlines() if nfc(line))
    procedure.result = "\n".join(nfc(line) for line in procedure.result.splitlines() if nfc(line))
    procedure.search_text = rules.procedure_search_text(procedure.name, procedure.code, procedure.field.name)


def _validate(procedure: Procedure) -> None:
    errors: dict[str, str] = {}
    if not procedure.code:
        errors["code"] = _("Cần nhập mã thủ tục.")
    if not procedure.name:
        errors["name"] = _("Cần nhập tên thủ tục.")
    if procedure.duration_unit == DurationUnit.SAME_DAY:
        procedure.duration_amount = 0
    elif not rules.duration_amount_is_valid(procedure.duration_amount):
        errors["duration_amount"] = _("Thời hạn phải lớn hơn 0 và là bội số của 0,5.")
    if procedure.valid_to and procedure.valid_to < procedure.valid_from:
        errors["valid_to"] = _("“Hiệu lực đến” phải sau hoặc bằng “Hiệu lực từ”.")
    clash = Procedure.objects.filter(code=procedure.code, valid_from=procedure.valid_from).exclude(
        pk=procedure.pk
    )
    if procedure.code and procedure.valid_from and clash.exists():
        errors["valid_from"] = _("Đã có phiên bản của thủ tục này hiệu lực từ ngày %(d)s.") % {
            "d": format_date(procedure.valid_from)
        }
    if errors:
        raise ServiceError(errors)


def _set_units(procedure: Procedure, units: Iterable[Unit], actor: Any) -> None:
    """Units the actor may administer become exactly `units`; units outside its reach are left as they are."""
    wanted = {u.pk for u in units}
    scope = user_scope(actor) if actor is not None else None
    if scope is None or scope.is_global:
        procedure.units.set(wanted)
        return
    for unit in units:
        if not procedure_unit_importable(user=actor, unit=unit):
            raise ServiceError({"units": _("Bạn không quản lý đơn vị %(c)s.") % {"c": unit.code}})
    kept = {u.pk for u in procedure.units.all() if not procedure_unit_importable(user=actor, unit=u)}
    if not wanted | kept:
        # a version without units is offered everywhere: only a superuser makes one
        raise ServiceError({"units": _needs_own_unit()})
    procedure.units.set(wanted | kept)


@transaction.atomic
def procedure_field_save(*, field: ProcedureField, actor: Any = None) -> ProcedureField:
    field.code = nfc(field.code)
    field.name = nfc(field.name)
    if not field.code or not field.name:
        raise ServiceError({"name": _("Cần nhập mã và tên lĩnh vực.")})
    creating = field.pk is None
    before = audit_snapshot(field)
    field.save()
    audit_record(
        actor=actor,
        action="procedure_field.created" if creating else "procedure_field.updated",
        obj=field,
        summary=field.name,
        changes=audit_changes(field, before),
    )
    return field


def _shared_code(code: str) -> str:
    return _(
        "Mã thủ tục %(c)s còn được đơn vị ngoài phạm vi bạn quản lý (hoặc cả nước) áp dụng; chỉ quản trị hệ "
        "thống được thay đổi nội dung hoặc mở phiên bản mới."
    ) % {"c": code}


def _needs_own_unit() -> str:
    return _("Cần ít nhất một đơn vị thực hiện do bạn quản lý.")


def procedure_ownership_problems(
    *, code: str, pk: int | None, units: list[Unit] | None, actor: Any
) -> dict[str, str]:
    """The rules of the catalogue import, for every other path (the admin): a unit administrator adds or
    changes only versions offered by its own units, never a version of a code that another unit or the whole
    country (a version without units) uses, and never a version without units. Empty when allowed."""
    if actor is None or user_scope(actor).is_global:
        return {}
    shared = {"code": _shared_code(code)}
    if pk is not None:
        stored = Procedure.objects.filter(pk=pk).first()
        if stored is not None and not procedure_version_editable(user=actor, procedure=stored):
            return shared
        if (
            stored is not None
            and stored.code != code
            and not procedure_code_owned_by(user=actor, code=stored.code)
        ):
            return shared
    if code and not procedure_code_owned_by(user=actor, code=code):
        if Procedure.objects.filter(code=code).exclude(pk=pk).exists():
            return shared
    if units is None:
        return {"units": _needs_own_unit()} if pk is None else {}
    if not units:
        return {"units": _needs_own_unit()}
    for unit in units:
        if not procedure_unit_importable(user=actor, unit=unit):
            return {"units": _("Bạn không quản lý đơn vị %(c)s.") % {"c": unit.code}}
    return {}


def _require_editable_parts(procedure: Procedure, actor: Any) -> None:
    """Documents, fees and steps are content: only the owner of the version changes them."""
    if actor is None or user_scope(actor).is_global:
        return
    if not procedure_version_editable(user=actor, procedure=procedure):
        raise ServiceError(
            {
                "procedure": _(
                    "Phiên bản này còn được đơn vị ngoài phạm vi bạn quản lý (hoặc cả nước) áp dụng."
                )
            }
        )


@transaction.atomic
def procedure_save(
    *, procedure: Procedure, actor: Any = None, units: Iterable[Unit] | None = None
) -> Procedure:
    """Create or update one version (admin, demo). `units`, when given, replaces the units the actor manages."""
    _normalise(procedure)
    _validate(procedure)
    units = list(units) if units is not None else None
    problems = procedure_ownership_problems(code=procedure.code, pk=procedure.pk, units=units, actor=actor)
    if problems:
        raise ServiceError(problems)
    creating = procedure.pk is None
    before = audit_snapshot(procedure)
    procedure.save()
    if units is not None:
        _set_units(procedure, units, actor)
    audit_record(
        actor=actor,
        action="procedure.created" if creating else "procedure.updated",
        obj=procedure,
        summary=f"{procedure.code} {procedure.name}",
        data={"valid_from": str(procedure.valid_from)},
        changes=audit_changes(procedure, before),
    )
    return procedure


@transaction.atomic
def procedure_set_units(*, procedure: Procedure, units: Iterable[Unit], actor: Any = None) -> None:
    """Set the units offering a version; units outside the actor's administration are kept as they are."""
    _set_units(procedure, list(units), actor)
    audit_record(
        actor=actor,
        action="procedure.units_set",
        obj=procedure,
        summary=procedure.code,
        data={"units": sorted(procedure.units.values_list("code", flat=True))[:500]},
    )


@transaction.atomic
def procedure_document_save(*, document: RequiredDocument, actor: Any = None) -> RequiredDocument:
    _require_editable_parts(document.procedure, actor)
    document.name = nfc(document.name)
    document.note = nfc(document.note)
    if not document.name:
        raise ServiceError({"name": _("Cần nhập tên giấy tờ.")})
    before = audit_snapshot(document)
    document.save()
    audit_record(
        actor=actor,
        action="procedure.document_saved",
        obj=document.procedure,
        summary=document.name,
        data={"part": "requireddocument", "part_id": document.pk},
        changes=audit_changes(document, before),
    )
    return document


@transaction.atomic
def procedure_fee_save(*, fee: Fee, actor: Any = None) -> Fee:
    _require_editable_parts(fee.procedure, actor)
    fee.name = nfc(fee.name)
    fee.exemptions = nfc(fee.exemptions)
    if not fee.name:
        raise ServiceError({"name": _("Cần nhập tên phí, lệ phí.")})
    before = audit_snapshot(fee)
    fee.save()
    audit_record(
        actor=actor,
        action="procedure.fee_saved",
        obj=fee.procedure,
        summary=f"{fee.name}: {fee.amount}",
        data={"part": "fee", "part_id": fee.pk},
        changes=audit_changes(fee, before),
    )
    return fee


@transaction.atomic
def procedure_step_save(*, step: ProcessStep, actor: Any = None) -> ProcessStep:
    """Save one step of the internal process; allotted time in working days, in steps of 0.25."""
    _require_editable_parts(step.procedure, actor)
    step.name = nfc(step.name)
    if not step.name:
        raise ServiceError({"name": _("Cần nhập tên bước.")})
    if step.allotted_days is None or step.allotted_days <= 0 or (step.allotted_days * 4) % 1:
        raise ServiceError(
            {"allotted_days": _("Thời gian của bước phải lớn hơn 0, là bội số của 0,25 ngày.")}
        )
    before = audit_snapshot(step)
    step.save()  # moves the version's updated_at (part_changed)
    audit_record(
        actor=actor,
        action="procedure.step_saved",
        obj=step.procedure,
        summary=f"{step.order}. {step.name}: {step.allotted_days}",
        data={"part": "processstep", "part_id": step.pk},
        changes=audit_changes(step, before),
    )
    return step


@transaction.atomic
def procedure_part_delete(*, part: RequiredDocument | Fee | ProcessStep, actor: Any = None) -> None:
    """Remove a document or a fee from a version."""
    _require_editable_parts(part.procedure, actor)
    audit_record(
        actor=actor,
        action="procedure.part_deleted",
        obj=part.procedure,
        summary=f"{part._meta.model_name}: {part.name}",
        data={"part": part._meta.model_name, "part_id": part.pk},
        changes=audit_changes(part, audit_snapshot(part), deleted=True),
    )
    part.delete()  # moves the version's updated_at (part_changed)


def _touch(*procedure_ids: int) -> None:
    """A part changed: move the versions' `updated_at` so caches keyed on it (the internal process plan used by
    the dossier services, the documents, fees and units read at intake) see the change."""
    if procedure_ids:
        Procedure.objects.filter(pk__in=procedure_ids).update(updated_at=timezone.now())


def part_changed(sender, instance, **kwargs) -> None:
    """Signal receiver: a document, fee or step of a version was saved or deleted (every path: the services
    above, the admin's inlines, anything else)."""
    if kwargs.get("raw"):
        return  # fixture loading: the version's own row comes with its timestamp
    _touch(instance.procedure_id)


def units_changed(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs) -> None:
    """Signal receiver: units were added to or removed from a version (or versions from a unit)."""
    if not reverse:
        if action.startswith("post_"):
            _touch(instance.pk)
        return
    # from the unit's side (`unit.procedures.add(…)`): `pk_set` holds the versions; a clear names none, so its
    # versions are looked up before they are cleared (the same transaction)
    if action in ("post_add", "post_remove"):
        ids = list(pk_set or ())
    elif action == "pre_clear":
        ids = list(Procedure.objects.filter(units=instance).values_list("pk", flat=True))
    else:
        return
    _touch(*ids)


@transaction.atomic
def procedure_new_version(*, previous: Procedure, valid_from: dt.date, actor: Any = None) -> Procedure:
    """Open a new version from `valid_from`, copying the previous one (units, documents, fees); the previous
    version stays in force until the day before."""
    previous = Procedure.objects.select_for_update().get(pk=previous.pk)
    if actor is not None and not procedure_code_owned_by(user=actor, code=previous.code):
        raise ServiceError({"code": _shared_code(previous.code)})
    if valid_from <= previous.valid_from:
        raise ServiceError(
            {
                "valid_from": _("Phiên bản mới phải có hiệu lực sau ngày %(d)s.")
                % {"d": format_date(previous.valid_from)}
            }
        )
    later = Procedure.objects.filter(code=previous.code, valid_from__gt=previous.valid_from).order_by(
        "valid_from"
    )
    if later.exists():
        raise ServiceError({"valid_from": _("Thủ tục này đã có phiên bản mới hơn.")})
    units = list(previous.units.all())
    documents = list(previous.documents.all())
    fees = list(previous.fees.all())
    steps = list(previous.steps.all())
    previous.valid_to = valid_from - dt.timedelta(days=1)
    previous.save(update_fields=["valid_to", "updated_at"])
    version = Procedure.objects.get(pk=previous.pk)
    version.pk = None
    version.id = None
    version._state.adding = True
    version.valid_from = valid_from
    version.valid_to = None
    version.save()
    version.units.set(units)
    for part in documents + fees + steps:
        part.pk = None
        part.procedure = version
    RequiredDocument.objects.bulk_create(documents)
    Fee.objects.bulk_create(fees)
    ProcessStep.objects.bulk_create(steps)
    audit_record(
        actor=actor,
        action="procedure.version_opened",
        obj=version,
        summary=f"{version.code} {version.name}",
        data={"previous_id": previous.pk, "valid_from": str(valid_from)},
    )
    return version


# --- import -----------------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    closed: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int
    record: ProcedureRecord


def _check_rows(
    actor: Any, rows: list[_Row], errors: list[RowError]
) -> tuple[dict, dict, dict, list[Procedure]]:
    """Cross-row and database checks. Returns (fields by code, units by code, existing versions by key, versions
    to close)."""
    scope = user_scope(actor)

    def err(row: _Row, key: str, message: str) -> None:
        errors.append(RowError(row.number, HEADERS.get(key, ""), message))

    fields = {f.code: f for f in ProcedureField.objects.filter(code__in={r.record.field_code for r in rows})}
    unit_codes = {c for r in rows for c in r.record.units}
    units = {u.code: u for u in Unit.objects.filter(code__in=unit_codes)}
    existing = {
        (p.code, p.valid_from): p
        for p in Procedure.objects.filter(code__in={r.record.code for r in rows})
        .select_related("field")
        .prefetch_related("documents", "fees", Prefetch("units", queryset=Unit.objects.order_by("code")))
    }

    def foreign_units(p: Procedure) -> list[Unit]:
        return [u for u in p.units.all() if not procedure_unit_importable(user=actor, unit=u)]

    seen: dict[tuple[str, dt.date], int] = {}
    for row in rows:
        rec = row.record
        if rec.field_code not in fields:
            err(
                row,
                "field_code",
                _("Lĩnh vực mã “%(c)s” chưa có trong danh mục lĩnh vực.") % {"c": rec.field_code},
            )
        for code in rec.units:
            unit = units.get(code)
            if unit is None:
                err(row, "units", _("Không có đơn vị mã “%(c)s”.") % {"c": code})
            elif not procedure_unit_importable(user=actor, unit=unit):
                err(
                    row,
                    "units",
                    _("Bạn không có quyền quản trị đơn vị %(c)s (%(n)s).") % {"c": code, "n": unit.full_name},
                )
        if not scope.is_global and not rec.units:
            err(row, "units", _("Cần ít nhất một mã đơn vị thực hiện do bạn quản lý."))
        key = (rec.code, rec.valid_from)
        if key in seen:
            err(
                row,
                "code",
                _("Trùng mã thủ tục “%(c)s” (hiệu lực từ %(d)s) với dòng %(n)s.")
                % {"c": rec.code, "d": format_date(rec.valid_from), "n": seen[key]},
            )
        else:
            seen[key] = row.number
        current = existing.get(key)
        if current is not None and not scope.is_global and foreign_units(current):
            if record_from_procedure(current).content() != rec.content():
                err(
                    row,
                    "code",
                    _(
                        "Phiên bản này đang áp dụng tại đơn vị ngoài phạm vi bạn quản lý; bạn chỉ được "
                        "thay đổi danh sách đơn vị thực hiện của mình."
                    ),
                )

    # validity periods of one code must not overlap; an open earlier version not in the file is closed
    to_close: list[Procedure] = []
    file_keys = {(r.record.code, r.record.valid_from): r for r in rows}
    for code in {r.record.code for r in rows}:
        versions: list[tuple[dt.date, dt.date | None, _Row | None, Procedure | None]] = []
        for (c, start), p in existing.items():
            if c == code and (c, start) not in file_keys:
                versions.append((start, p.valid_to, None, p))
        for (c, start), r in file_keys.items():
            if c == code:
                versions.append((start, r.record.valid_to, r, None))
        versions.sort(key=lambda v: v[0])
        for before, after in zip(versions, versions[1:], strict=False):
            start_b, end_b, row_b, proc_b = before
            start_a, _end_a, row_a, _p = after
            if end_b is not None and end_b < start_a:
                continue
            if proc_b is not None and end_b is None and row_a is not None:
                if not scope.is_global and foreign_units(proc_b):
                    err(
                        row_a,
                        "valid_from",
                        _(
                            "Phiên bản đang hiệu lực từ %(d)s còn áp dụng tại đơn vị ngoài phạm vi "
                            "bạn quản lý; không thể mở phiên bản mới."
                        )
                        % {"d": format_date(start_b)},
                    )
                to_close.append(proc_b)
                proc_b.valid_to = start_a - dt.timedelta(days=1)
                continue
            row = row_a or row_b
            err(
                row,
                "valid_from",
                _("Thời gian hiệu lực chồng lấn với phiên bản hiệu lực từ %(d)s.")
                % {"d": format_date(start_b if row is row_a else start_a)},
            )
    return fields, units, existing, to_close


@transaction.atomic
def procedures_import(*, actor: Any, file: IO[bytes], filename: str) -> ImportReport:
    """Import a catalogue file (layout in `columns`): every row is checked first and every bad row is reported;
    nothing is written unless the whole file is good."""
    if not procedure_import_allowed(user=actor):
        raise ServiceError({"file": _("Bạn không có quyền nhập danh mục thủ tục.")})
    report = ImportReport()
    try:
        table = read_table(file, filename)
    except FileRejected as exc:
        report.errors = exc.errors
        return report
    rows: list[_Row] = []
    for number, raw in table:
        record, row_errors = parse_row(raw)
        for key, message in row_errors:
            report.errors.append(RowError(number, HEADERS.get(key, ""), message))
        if record is not None:
            rows.append(_Row(number, record))
    fields, units, existing, to_close = _check_rows(actor, rows, report.errors)
    if report.errors:
        report.errors.sort(key=lambda e: e.row)
        return report

    scope = user_scope(actor)
    for proc in to_close:
        proc.save(update_fields=["valid_to", "updated_at"])
    report.closed = len(to_close)
    touched: list[Procedure] = []
    for row in rows:
        rec = row.record
        procedure = existing.get((rec.code, rec.valid_from))
        forms: dict[str, Any] = {}
        if procedure is None:
            procedure = Procedure(code=rec.code, valid_from=rec.valid_from)
            report.created += 1
        else:
            forms = {fold(d.name): d.blank_form for d in procedure.documents.all() if d.blank_form}
            report.updated += 1
        procedure.name = rec.name
        procedure.field = fields[rec.field_code]
        procedure.competent_level = rec.competent_level
        procedure.duration_amount = rec.duration_amount
        procedure.duration_unit = rec.duration_unit
        procedure.online_level = rec.online_level
        procedure.life_event = rec.life_event
        procedure.legal_basis = rec.legal_basis
        procedure.result = rec.result
        procedure.valid_to = rec.valid_to
        _normalise(procedure)
        procedure.save()
        procedure.documents.all().delete()
        procedure.fees.all().delete()
        RequiredDocument.objects.bulk_create(
            RequiredDocument(
                procedure=procedure,
                order=i,
                name=d.name,
                kind=d.kind,
                count=d.count,
                note=d.note,
                blank_form=forms.get(fold(d.name), ""),
            )
            for i, d in enumerate(rec.documents, start=1)
        )
        Fee.objects.bulk_create(
            Fee(procedure=procedure, order=i, name=f.name, amount=f.amount, exemptions=f.exemptions)
            for i, f in enumerate(rec.fees, start=1)
        )
        wanted = {units[c].pk for c in rec.units}
        if not scope.is_global:
            wanted |= {
                u.pk for u in procedure.units.all() if not procedure_unit_importable(user=actor, unit=u)
            }
        procedure.units.set(wanted)
        touched.append(procedure)
    audit_record(
        actor=actor,
        action="procedures.imported",
        obj=touched[0],
        summary=nfc(filename)[:200],
        data={
            "created": report.created,
            "updated": report.updated,
            "closed": report.closed,
            "codes": sorted({p.code for p in touched})[:500],
        },
    )
    return report
