from typing import Any

from django.db import transaction

from cqtt.core.audit import audit_record
from cqtt.core.errors import ServiceError
from cqtt.core.text import nfc
from cqtt.units.models import Unit

from .models import Role, RoleAssignment, User


@transaction.atomic
def user_save_profile(*, user: User, actor: Any = None) -> User:
    user.full_name = nfc(user.full_name)
    user.position = nfc(user.position)
    user.work_phone = "".join(ch for ch in user.work_phone if ch.isdigit() or ch == "+")
    creating = user.pk is None
    user.save()
    audit_record(actor=actor, action="user.created" if creating else "user.updated", obj=user,
                 unit_code=user.unit.code if user.unit_id else "", summary=user.username)
    return user


@transaction.atomic
def role_grant(*, user: User, unit: Unit, role: str, actor: Any = None) -> RoleAssignment:
    if role not in Role.values:
        raise ServiceError({"role": "Vai trò không hợp lệ."})
    if role == Role.PROVINCIAL_SUPERVISOR and unit.level != "province":
        raise ServiceError({"unit": "Vai trò giám sát cấp tỉnh chỉ gán tại đơn vị cấp tỉnh."})
    assignment, created = RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        audit_record(actor=actor, action="role.granted", obj=assignment, unit_code=unit.code,
                     summary=f"{user.username}: {role}")
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, actor: Any = None) -> None:
    audit_record(actor=actor, action="role.revoked", obj=assignment, unit_code=assignment.unit.code,
                 summary=f"{assignment.user.username}: {assignment.role}")
    assignment.delete()
