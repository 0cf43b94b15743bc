from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from cqtt.core.errors import PermissionDenied
from cqtt.core.text import fold
from cqtt.units.models import Counter, Unit

from .models import Role, RoleAssignment, User
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


# --- the public directory of a unit's officials (its public page and the directory API) ------------------------

DIRECTORY_ROLES = (Role.LEADER, Role.SPECIALIST, Role.COUNTER_OFFICER)


def directory_of(*, unit: Unit) -> list[dict]:
    """The unit's leaders and officials as the public sees them: active accounts holding a leader's, a
    specialist's or a counter officer's role in the unit (an administrator's or an observer's account alone is
    not listed), leaders first, then by position and name. The work phone only where the official made it
    public; no e-mail, username or id. `counter` names the active counter(s) of the unit's office served."""
    held = RoleAssignment.objects.filter(unit=unit, role__in=DIRECTORY_ROLES, user__is_active=True)
    leaders = set(held.filter(role=Role.LEADER).values_list("user_id", flat=True))
    users = list(
        User.objects.filter(pk__in=held.values("user_id"))
        .exclude(full_name="")
        .only(
            "pk",
            "full_name",
            "username",
            "position",
            "responsibilities",
            "work_phone",
            "phone_is_public",
            "photo",
        )
    )
    served: dict[int, list[str]] = {}
    for user_id, number, name in (
        Counter.objects.filter(office__unit=unit, is_active=True, officers__in=[u.pk for u in users])
        .order_by("number")
        .values_list("officers", "number", "name")
    ):
        served.setdefault(user_id, []).append(
            _("Quầy số %(n)s") % {"n": number} + (f" — {name}" if name else "")
        )
    users.sort(key=lambda u: (u.pk not in leaders, fold(u.position or "~"), fold(u.full_name)))
    return [
        {
            "full_name": u.full_name,
            "position": u.position,
            "responsibilities": u.responsibilities,
            "counter": ", ".join(served[u.pk]) if u.pk in served else None,
            "phone": u.work_phone if (u.phone_is_public and u.work_phone) else None,
            "photo_url": u.photo.url if u.photo else "",
            "is_leader": u.pk in leaders,
        }
        for u in users
    ]
