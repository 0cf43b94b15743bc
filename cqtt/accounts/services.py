from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from cqtt.core.audit import audit_changes, audit_record, audit_snapshot
from cqtt.core.errors import PermissionDenied, ServiceError
from cqtt.core.text import nfc, nfc_text
from cqtt.units.models import Unit

from .models import Role, RoleAssignment, User
from .permissions import require_admin_of


@transaction.atomic
def user_save_profile(*, user: User, actor: Any = None) -> User:
    require_admin_of(actor, user.unit if user.unit_id else None)
    if actor is not None and not getattr(actor, "is_superuser", False) and user.pk:
        if User.objects.filter(pk=user.pk, is_superuser=True).exists():
            raise PermissionDenied(_("Chỉ quản trị hệ thống được sửa tài khoản quản trị hệ thống."))
    user.full_name = nfc(user.full_name)
    user.position = nfc(user.position)
    user.responsibilities = nfc_text(user.responsibilities)
    user.work_phone = "".join(ch for ch in user.work_phone if ch.isdigit() or ch == "+")
    creating = user.pk is None
    before = audit_snapshot(user)
    user.save()
    audit_record(
        actor=actor,
        action="user.created" if creating else "user.updated",
        obj=user,
        unit_code=user.unit.code if user.unit_id else "",
        summary=user.username,
        changes=audit_changes(user, before),
    )
    return user


UNIT_ADMIN_GROUP = "Quản trị đơn vị"
# Models a unit administrator keeps up to date in the admin (rows are scoped to its units there).
UNIT_ADMIN_MODELS = {
    "units": ["unit", "office", "counter"],
    "accounts": ["user", "roleassignment"],
    # national data (procedure fields, calendar overrides) stays with the superusers
    "procedures": ["procedure", "requireddocument", "fee", "processstep"],
    "workdays": ["workschedule"],
    "dossiers": ["dossier", "assignmentrule"],
}


def unit_admin_group_ensure() -> Group:
    """The permission group behind the unit administrator role (Django admin needs model permissions)."""
    group, _created = Group.objects.get_or_create(name=UNIT_ADMIN_GROUP)
    perms = Permission.objects.none()
    for app_label, models in UNIT_ADMIN_MODELS.items():
        qs = Permission.objects.filter(content_type__app_label=app_label)
        if models is not None:
            qs = qs.filter(content_type__model__in=models)
        perms = perms | qs
    group.permissions.set(perms)
    return group


def _sync_unit_admin_access(user: User) -> None:
    is_admin = RoleAssignment.objects.filter(user=user, role=Role.UNIT_ADMIN).exists()
    group = unit_admin_group_ensure()
    if is_admin:
        user.groups.add(group)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    else:
        user.groups.remove(group)
        if user.is_staff and not user.is_superuser:
            user.is_staff = False
            user.save(update_fields=["is_staff"])


@transaction.atomic
def role_grant(*, user: User, unit: Unit, role: str, actor: Any = None) -> RoleAssignment:
    if role not in Role.values:
        raise ServiceError({"role": _("Vai trò không hợp lệ.")})
    require_admin_of(actor, unit)
    if (
        actor is not None
        and getattr(actor, "pk", None) == user.pk
        and not getattr(actor, "is_superuser", False)
    ):
        # separation of duties: an administrator does not make themselves a leader (who may open a denouncer's
        # identity) or anything else; another administrator or the system administrator does
        raise PermissionDenied(_("Quản trị đơn vị không tự giao vai trò cho chính mình."))
    if role == Role.PROVINCIAL_SUPERVISOR and actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được giao vai trò giám sát cấp tỉnh."))
    if role == Role.PROVINCIAL_SUPERVISOR and unit.level != "province":
        raise ServiceError({"unit": _("Vai trò giám sát cấp tỉnh chỉ gán tại đơn vị cấp tỉnh.")})
    assignment, created = RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        audit_record(
            actor=actor,
            action="role.granted",
            obj=assignment,
            unit_code=unit.code,
            summary=f"{user.username}: {role}",
            changes=audit_changes(assignment, {}),
        )
        if role == Role.UNIT_ADMIN:
            _sync_unit_admin_access(user)
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, actor: Any = None) -> None:
    require_admin_of(actor, assignment.unit)
    audit_record(
        actor=actor,
        action="role.revoked",
        obj=assignment,
        unit_code=assignment.unit.code,
        summary=f"{assignment.user.username}: {assignment.role}",
        changes=audit_changes(assignment, audit_snapshot(assignment), deleted=True),
    )
    user, role = assignment.user, assignment.role
    assignment.delete()
    if role == Role.UNIT_ADMIN:
        _sync_unit_admin_access(user)


@transaction.atomic
def token_revoke(*, token, actor: Any) -> bool:
    """An API token is revoked by its holder: the next request with it is refused in every process (the
    holder's generation moves on commit). False when it was already revoked (by a request that authenticated
    with it at the same time): nothing is deleted or audited."""
    deleted, _by_model = Token.objects.filter(pk=token.pk).delete()
    if deleted:
        audit_record(actor=actor, action="token.revoked", obj=token.user, summary=token.user.username)
    return bool(deleted)
