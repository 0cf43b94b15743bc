"""Automatic assignment rules (which specialist receives a procedure's dossiers at intake)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cqtt.accounts.models import Role
from cqtt.accounts.permissions import require_admin_of, user_roles_in
from cqtt.core.errors import ServiceError
from cqtt.core.text import nfc


def assignment_rule_problems(*, rule) -> dict[str, list[str]]:
    """Field-by-field reasons a rule cannot be saved (NFC-normalises its codes)."""
    rule.procedure_code = nfc(rule.procedure_code)
    rule.field_code = nfc(rule.field_code)
    errors: dict[str, list[str]] = {}
    if not rule.procedure_code and not rule.field_code:
        errors["procedure_code"] = [_("Nhập mã thủ tục hoặc mã lĩnh vực.")]
    if rule.department_id and rule.unit_id and not rule.department.path.startswith(rule.unit.path):
        errors["department"] = [_("Phòng, ban thụ lý phải thuộc đơn vị tiếp nhận.")]
    if (
        rule.specialist_id
        and rule.department_id
        and Role.SPECIALIST not in user_roles_in(rule.specialist, rule.department)
    ):
        errors["specialist"] = [_("Cán bộ này không phải chuyên viên của phòng, ban đã chọn.")]
    return errors


@transaction.atomic
def assignment_rule_save(*, rule, actor: Any = None):
    """Create or change an automatic-assignment rule; the department must belong to the receiving unit."""
    from cqtt.core.audit import audit_changes, audit_record, audit_snapshot

    require_admin_of(actor, rule.unit)
    errors = assignment_rule_problems(rule=rule)
    if errors:
        raise ServiceError(errors)
    creating = rule.pk is None
    before = audit_snapshot(rule)
    rule.save()
    audit_record(
        actor=actor,
        action="assignment_rule.created" if creating else "assignment_rule.updated",
        obj=rule,
        unit_code=rule.unit.code,
        summary=str(rule),
        changes=audit_changes(rule, before),
    )
    return rule
