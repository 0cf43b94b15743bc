from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from cqtt.core.errors import PermissionDenied
from cqtt.units.models import Unit

from .models import RoleAssignment, User
from .permissions import unit_scope_q, visible_units


def user_home_units(*, user: User) -> list[dict]:
    """The units the user's roles are held in, each with the roles held there (the staff home page)."""
    rows = (
        RoleAssignment.objects.filter(user=user)
        .select_related("unit", "unit__parent")
        .order_by("unit__path", "role")
    )
    grouped: dict[int, dict] = {}
    for ra in rows:
        entry = grouped.setdefault(ra.unit_id, {"unit": ra.unit, "roles": []})
        entry["roles"].append(ra.get_role_display())
    return list(grouped.values())


def staff_list_for(*, user: User) -> QuerySet[User]:
    """Staff accounts whose unit the user may see."""
    return (
        User.objects.filter(unit__in=visible_units(user))
        .select_related("unit")
        .prefetch_related(Prefetch("roles", queryset=RoleAssignment.objects.select_related("unit")))
        .order_by("unit__path", "full_name")
    )


def access_unit(*, user: User, code: str) -> Unit:
    unit = Unit.objects.filter(unit_scope_q(user), code=code).first()
    if unit is None:
        raise PermissionDenied(_("Không tìm thấy đơn vị hoặc bạn không có quyền truy cập."))
    return unit


def active_user_by_username(*, username: str) -> User | None:
    """The active account with this username, or None."""
    return User.objects.filter(username=username, is_active=True).order_by().first()
