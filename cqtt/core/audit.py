"""The one way to record an audit event; every service calls it inside its transaction."""

from typing import Any

from django.db import models
from django.utils import timezone

from .models import AuditEvent


def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model,
    unit_code: str = "",
    summary: str = "",
    data: dict | None = None,
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
    )
