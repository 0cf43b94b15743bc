"""The one way to record an audit event; every service calls it inside its transaction.

A service that changes a row says what changed: `before = audit_snapshot(obj)` before it saves, then
`audit_record(..., changes=audit_changes(obj, before))` after (ADR 0014). Changes are `{field: [old, new]}`
in JSON values; a model lists the fields never copied (`audit_excluded_fields`) and those whose values are
masked (`audit_masked_fields`: citizens' personal data). Passwords and bookkeeping timestamps are never copied.
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .models import AuditEvent

# never copied into a diff, whatever the model: secrets, clocks every save moves, derived search keys
ALWAYS_EXCLUDED = frozenset({"password", "last_login", "created_at", "updated_at", "search_text"})
MASK = "••••"


def _audited_fields(model: type[models.Model]) -> list[models.Field]:
    excluded = ALWAYS_EXCLUDED | set(getattr(model, "audit_excluded_fields", ()))
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in excluded and f.attname not in excluded
    ]


def _json(value: Any, field: models.Field | None = None) -> Any:
    if isinstance(value, Decimal) and isinstance(field, models.DecimalField):
        return f"{value:.{field.decimal_places}f}"
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def _masked(value: Any) -> Any:
    return MASK if value not in (None, "") else value


def audit_snapshot(obj: models.Model) -> dict[str, Any]:
    """The audited fields of `obj` as stored now, before a service saves its changes ({} for a new object)."""
    if obj.pk is None:
        return {}
    model = type(obj)
    names = [f.attname for f in _audited_fields(model)]
    return model._default_manager.filter(pk=obj.pk).values(*names).first() or {}


def audit_changes(obj: models.Model, before: dict[str, Any], *, deleted: bool = False) -> dict[str, list]:
    """`{field name: [old, new]}` for the audited fields that differ between `before` (`audit_snapshot`) and
    `obj` (new: every field set; deleted: every field that was set). Masked fields show only that they
    changed."""
    model = type(obj)
    masked = set(getattr(model, "audit_masked_fields", ()))
    changes: dict[str, list] = {}
    for f in _audited_fields(model):
        old = before.get(f.attname) if before else None
        new = None if deleted else f.value_from_object(obj)
        if old == new:  # Python values: Decimal("3") equals the stored Decimal("3.0")
            continue
        old, new = _json(old, f), _json(new, f)
        if old == new or (not before and new in (None, "")) or (deleted and old in (None, "")):
            continue
        if f.name in masked:
            old, new = _masked(old), _masked(new)
        changes[f.name] = [old, new]
    return changes


def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model,
    unit_code: str = "",
    summary: str = "",
    data: dict | None = None,
    changes: dict[str, list] | None = None,
) -> AuditEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        unit_code=unit_code,
        summary=summary[:500],
        data=data or {},
        changes=changes or {},
    )
