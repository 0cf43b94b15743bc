"""Reads of the procedure catalogue. The catalogue itself is public; export and import are scoped to the units
the user administers."""

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from cqtt.accounts.models import Role
from cqtt.accounts.permissions import unit_scope_q, user_scope
from cqtt.core.text import search_terms
from cqtt.units.models import Unit, UnitLevel

from .columns import ProcedureRecord, record_from_procedure
from .models import Fee, Procedure, ProcedureField, RequiredDocument

IMPORT_ROLES = frozenset({Role.UNIT_ADMIN, Role.PROVINCIAL_SUPERVISOR})


def _today() -> dt.date:
    return timezone.localdate()


def in_force_q(at: dt.date, prefix: str = "") -> Q:
    """Versions in force on `at` (`valid_to` is the last day in force)."""
    return Q(**{f"{prefix}valid_from__lte": at}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": at})
    )


def procedure_in_force(*, code: str, at: dt.date) -> Procedure | None:
    """The version of procedure `code` in force on `at` — the one a dossier received that day refers to."""
    return (
        Procedure.objects.filter(in_force_q(at), code=code)
        .select_related("field")
        .order_by("-valid_from")
        .first()
    )


_PARTS: dict[tuple, tuple[list[RequiredDocument], list[Fee], frozenset[int]]] = {}


def _parts(procedure: Procedure) -> tuple[list[RequiredDocument], list[Fee], frozenset[int]]:
    """The version's documents, fees and the ids of the units that list it, kept per process under the
    version's `updated_at`: every change to them moves it in the same transaction (`services._touch`, and the
    receivers in `apps.py` for changes made elsewhere), so an entry is never stale: a version read after a
    change has a new key. Every intake needs them (three statements); they change a few times a year."""
    key = (procedure.pk, procedure.updated_at)
    parts = _PARTS.get(key)
    if parts is None:
        units = frozenset(
            Procedure.units.through.objects.filter(procedure_id=procedure.pk).values_list(
                "unit_id", flat=True
            )
        )
        documents = list(RequiredDocument.objects.filter(procedure_id=procedure.pk).order_by("order", "id"))
        fees = list(Fee.objects.filter(procedure_id=procedure.pk).order_by("order", "id"))
        parts = (documents, fees, units)
        if len(_PARTS) > 5000:
            _PARTS.clear()
        _PARTS[key] = parts
    return parts


def procedure_documents(*, procedure: Procedure) -> list[RequiredDocument]:
    """The version's required documents, in order (shared with other callers: read them, do not change them)."""
    return list(_parts(procedure)[0])


def procedure_fees(*, procedure: Procedure) -> list[Fee]:
    """The version's fees, in order (shared with other callers: read them, do not change them)."""
    return list(_parts(procedure)[1])


def procedure_offered_at(*, procedure: Procedure, unit: Unit) -> bool:
    """True when the version is carried out at `unit`: it lists that unit, or lists no unit at all."""
    units = _parts(procedure)[2]
    return not units or unit.pk in units


def procedure_list_public(
    *, q: str | None = None, field: str | None = None, unit: str | None = None, at: dt.date | None = None
) -> QuerySet[Procedure]:
    """Versions in force (today by default); every folded word of `q` must match; `field`/`unit` are codes."""
    qs = Procedure.objects.filter(in_force_q(at or _today()))
    for term in search_terms(q):
        qs = qs.filter(search_text__contains=term)
    if field:
        qs = qs.filter(field__code=field)
    if unit:
        qs = qs.filter(units__code=unit)
    return qs.select_related("field").prefetch_related("fees").order_by("search_text", "code")


def procedure_get_public(*, code: str, at: dt.date | None = None) -> Procedure | None:
    """The version in force with everything the detail page shows."""
    return (
        Procedure.objects.filter(in_force_q(at or _today()), code=code)
        .select_related("field")
        .prefetch_related(
            "documents",
            "fees",
            Prefetch("units", queryset=Unit.objects.select_related("parent").order_by("path")),
        )
        .order_by("-valid_from")
        .first()
    )


def procedure_document_for_download(*, code: str, document_id: int):
    """A blank form of a version in force today, or None."""
    procedure = procedure_get_public(code=code)
    if procedure is None:
        return None
    return procedure.documents.filter(pk=document_id).exclude(blank_form="").first()


def procedure_field_list() -> QuerySet[ProcedureField]:
    """Fields that have at least one version in force today."""
    return ProcedureField.objects.filter(in_force_q(_today(), "procedures__")).distinct().order_by("name")


def procedure_offering_provinces() -> QuerySet[Unit]:
    """Provinces with a commune offering a procedure in force today."""
    codes = Unit.objects.filter(in_force_q(_today(), "procedures__"), level=UnitLevel.COMMUNE).values(
        "province_code"
    )
    return Unit.objects.filter(level=UnitLevel.PROVINCE, code__in=codes).order_by("name")


def procedure_offering_communes(*, province_code: str) -> QuerySet[Unit]:
    """Communes of a province offering a procedure in force today."""
    ids = Procedure.objects.filter(in_force_q(_today())).values("units")
    return Unit.objects.filter(level=UnitLevel.COMMUNE, province_code=province_code, pk__in=ids).order_by(
        "name"
    )


def unit_find(*, code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first()


def procedure_import_allowed(*, user) -> bool:
    """Superusers, unit administrators and provincial supervisors may import."""
    scope = user_scope(user)
    return scope.is_global or any(g.role in IMPORT_ROLES for g in scope.grants)


def procedure_export_allowed(*, user) -> bool:
    """Any staff member holding a role (or a superuser) may export."""
    scope = user_scope(user)
    return scope.is_global or bool(scope.grants)


def procedure_unit_importable(*, user, unit: Unit) -> bool:
    """The user holds an import role reaching `unit`."""
    scope = user_scope(user)
    return scope.is_global or bool(scope.roles_for(unit) & IMPORT_ROLES)


def procedure_records_for_export(*, user) -> list[ProcedureRecord]:
    """Every version (one row each). A superuser gets the whole catalogue; other staff get the versions offered
    by units they reach, listing only those units — the file imports back unchanged."""
    scope = user_scope(user)
    qs = Procedure.objects.select_related("field").prefetch_related(
        "documents", "fees", Prefetch("units", queryset=Unit.objects.order_by("code"))
    )
    if not scope.is_global:
        qs = qs.filter(units__in=Unit.objects.filter(unit_scope_q(user))).distinct()
    records = []
    for procedure in qs.order_by("code", "valid_from"):
        codes = [u.code for u in procedure.units.all() if scope.reaches(u)]
        records.append(record_from_procedure(procedure, unit_codes=codes))
    return records


def procedure_code_owned_by(*, user, code: str) -> bool:
    """True when every stored version of `code` is offered only by units the user administers (and by at least
    one unit). A version with no units is the national one, offered everywhere: only a superuser changes it or
    opens another version of its code, since every commune's intake takes the version in force of a code."""
    scope = user_scope(user)
    if scope.is_global:
        return True
    versions = Procedure.objects.filter(code=code).prefetch_related("units")
    for version in versions:
        units = list(version.units.all())
        if not units or not all(procedure_unit_importable(user=user, unit=u) for u in units):
            return False
    return True


def procedure_version_editable(*, user, procedure: Procedure) -> bool:
    """The user may change the content of this stored version (not only its list of units)."""
    if user_scope(user).is_global:
        return True
    units = list(procedure.units.all())
    return bool(units) and all(procedure_unit_importable(user=user, unit=u) for u in units)
