"""The one permission layer: which units a user reaches, and which roles it holds there.

Every selector and API view scopes its query through `unit_scope_q` / `visible_units`; nothing filters by unit in
a view. A role held in a unit reaches that unit and everything below it (its departments); a provincial
supervisor's role is held at the province and so reaches every unit of the province.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cqtt.core.errors import PermissionDenied
from cqtt.units.models import Unit

from .models import Role, RoleAssignment

READ_ONLY_ROLES = frozenset({Role.OBSERVER})
_CACHE_ATTR = "_cqtt_scope"
_IDS_ATTR = "_cqtt_unit_ids"


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    unit_path: str


@dataclass(frozen=True)
class Scope:
    is_global: bool
    grants: tuple[Grant, ...]

    @property
    def roots(self) -> list[str]:
        paths = sorted({g.unit_path for g in self.grants})
        # drop paths already covered by a shorter one
        return [p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i])]

    def q(self, path_field: str) -> Q:
        if self.is_global:
            return Q()
        if not self.grants:
            return Q(pk__in=[])
        q = Q()
        for root in self.roots:
            q |= Q(**{f"{path_field}__startswith": root})
        return q

    def roles_for(self, unit: Unit) -> set[str]:
        """Roles that reach `unit` (held at it or at a unit above it)."""
        return {g.role for g in self.grants if unit.path.startswith(g.unit_path)}

    def reaches(self, unit: Unit) -> bool:
        return self.is_global or any(unit.path.startswith(g.unit_path) for g in self.grants)


SCOPE_CACHE_SECONDS = 60
_ALL_KEY = "cqtt:scope:gen"  # moves when units are added, moved or removed (every scope may change)


def _user_key(user_id) -> str:
    return f"cqtt:scope:gen:{user_id}"


def _entry_key(user_id) -> str:
    return f"cqtt:scope:{user_id}"


def scope_changed(*, user_ids: Iterable[int] | None = None, using: str = "default") -> None:
    """What some users may reach changed (their roles, account or tokens; `user_ids=None`: units were added,
    moved or removed, so everybody's). The cached scopes and token checks of those users become stale when
    the current transaction commits, not before: a request that reads the database before the commit has read
    the generation before it too, so what it caches is tagged with a generation that the commit then moves."""
    ids = None if user_ids is None else tuple({int(i) for i in user_ids if i is not None})
    if ids == ():
        return
    transaction.on_commit(lambda: _move_generations(ids), using=using)


def _move_generations(user_ids: tuple[int, ...] | None) -> None:
    if user_ids is None:
        cache.set(_ALL_KEY, secrets.token_hex(8), None)
    else:
        cache.set_many({_user_key(i): secrets.token_hex(8) for i in user_ids}, None)


def _generation(got: dict, user_id) -> str:
    """The user's generation from a `get_many` answer; a missing part is started with a fresh random value
    (never a value it had before, so an evicted key cannot bring back an old entry)."""
    parts = []
    for key in (_ALL_KEY, _user_key(user_id)):
        value = got.get(key)
        if value is None:
            cache.add(key, secrets.token_hex(8), None)
            value = cache.get(key)
        parts.append(value)
    return ":".join(parts)


def scope_generation(user_id) -> str:
    """The current generation of the user's cached scope and token checks (moves with every change to the
    user's roles, account or tokens, and with every change to the unit tree)."""
    return _generation(cache.get_many([_ALL_KEY, _user_key(user_id)]), user_id)


def _shared_scope(user) -> tuple[str, tuple | None]:
    """(generation, cached entry or None) from the shared cache, in one round trip."""
    got = cache.get_many([_ALL_KEY, _user_key(user.pk), _entry_key(user.pk)])
    generation = _generation(got, user.pk)
    entry = got.get(_entry_key(user.pk))
    if entry is not None and entry[0] == generation and entry[1] == bool(user.is_superuser):
        return generation, entry
    return generation, None


def prime_scope(user) -> str:
    """One round trip to the shared cache: the current generation, and the user's cached scope put on `user`
    when it is still valid (so `user_scope` needs no other). For callers that check the generation themselves
    (the API's remembered token checks)."""
    generation, entry = _shared_scope(user)
    if entry is not None:
        _remember(user, _CACHE_ATTR, entry[2])
        if entry[3] is not None:
            _remember(user, _IDS_ATTR, entry[3])
    return generation


def user_scope(user) -> Scope:
    """The user's grants, computed once per request (cached on the user object) and kept in the shared cache
    between requests until the user's roles or account or the unit tree change (`scope_changed`, on commit) or
    `SCOPE_CACHE_SECONDS` pass. The generation is read before the database, so a scope read from data that a
    transaction is about to change is stored under a generation that its commit moves."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        scope = Scope(False, ())
    else:
        generation, entry = _shared_scope(user)
        if entry is not None:
            scope = entry[2]
            if entry[3] is not None:
                _remember(user, _IDS_ATTR, entry[3])
        else:
            rows = RoleAssignment.objects.filter(user=user).values_list("role", "unit_id", "unit__path")
            scope = Scope(bool(user.is_superuser), tuple(Grant(r, u, p) for r, u, p in rows))
            ids = None if scope.is_global else _unit_ids(scope)
            if ids is not None:
                _remember(user, _IDS_ATTR, ids)
            cache.set(
                _entry_key(user.pk),
                (generation, bool(user.is_superuser), scope, ids),
                SCOPE_CACHE_SECONDS,
            )
    _remember(user, _CACHE_ATTR, scope)
    return scope


def _remember(user, attr: str, value) -> None:
    try:
        setattr(user, attr, value)
    except AttributeError:
        pass


def unit_scope_q(user, *, path_field: str = "path") -> Q:
    """A Q that keeps only rows whose unit (reached through `path_field`) the user may see."""
    return user_scope(user).q(path_field)


def visible_units(user) -> QuerySet[Unit]:
    return Unit.objects.filter(unit_scope_q(user))


def visible_unit_ids(user) -> list[int] | None:
    """Ids of every unit the user reaches (None = all units), computed once per request. Filtering big tables by
    `unit_id IN (…)` uses their unit indexes; a join on the unit path per row would not."""
    scope = user_scope(user)
    if scope.is_global:
        return None
    cached = getattr(user, _IDS_ATTR, None)
    if cached is not None:
        return cached
    ids = _unit_ids(scope)
    _remember(user, _IDS_ATTR, ids)
    return ids


def _unit_ids(scope: Scope) -> list[int]:
    return list(Unit.objects.filter(scope.q("path")).values_list("id", flat=True)) if scope.grants else []


def user_roles_in(user, unit: Unit) -> set[str]:
    scope = user_scope(user)
    if scope.is_global:
        return set(Role.values)
    return scope.roles_for(unit)


def require_unit_access(user, unit: Unit) -> None:
    if not user_scope(user).reaches(unit):
        raise PermissionDenied(_("Bạn không có quyền truy cập đơn vị này."))


def require_role(user, unit: Unit, roles: Iterable[str]) -> None:
    """Raise unless the user holds one of `roles` reaching `unit`."""
    wanted = set(roles)
    if not (user_roles_in(user, unit) & wanted):
        raise PermissionDenied(_("Vai trò của bạn không được thực hiện thao tác này tại đơn vị này."))


def can_write(user, unit: Unit) -> bool:
    """True when some role other than read-only observer reaches the unit."""
    return bool(user_roles_in(user, unit) - READ_ONLY_ROLES)


def require_admin_of(actor, unit: Unit | None) -> None:
    """For admin-type writes: the actor must be a superuser or hold `unit_admin` reaching `unit`.
    `actor=None` is the system itself (loaders, management commands) and passes."""
    if actor is None or getattr(actor, "is_superuser", False) or unit is None:
        return
    if Role.UNIT_ADMIN not in user_roles_in(actor, unit):
        raise PermissionDenied(_("Bạn không quản trị đơn vị này."))


# --- cache invalidation (signal receivers connected in AccountsConfig.ready and ApiConfig.ready) -------------
# Only the fields that change what a user may do move that user's generation: a login's `last_login` does not.
USER_ACCESS_FIELDS = ("username", "password", "is_active", "is_staff", "is_superuser", "unit_id")
UNIT_TREE_FIELDS = ("parent_id", "path")
_CHANGED_ATTR = "_cqtt_access_changed"


def _fields_changed(instance, fields: tuple[str, ...], update_fields) -> bool:
    if update_fields is not None and not {f.removesuffix("_id") for f in fields} & {
        f.removesuffix("_id") for f in update_fields
    }:
        return False
    if instance.pk is None:
        return True
    stored = type(instance)._default_manager.filter(pk=instance.pk).values_list(*fields).first()
    return stored is None or stored != tuple(getattr(instance, f) for f in fields)


def user_pre_save(sender, instance, update_fields=None, **kwargs) -> None:
    _remember(instance, _CHANGED_ATTR, _fields_changed(instance, USER_ACCESS_FIELDS, update_fields))


def user_post_save(sender, instance, created=False, **kwargs) -> None:
    if getattr(instance, _CHANGED_ATTR, True) and not created:
        scope_changed(user_ids=[instance.pk], using=kwargs.get("using") or "default")


def user_post_delete(sender, instance, **kwargs) -> None:
    scope_changed(user_ids=[instance.pk], using=kwargs.get("using") or "default")


def grant_changed(sender, instance, **kwargs) -> None:
    """A role assignment or an API token of a user was saved or deleted."""
    scope_changed(user_ids=[instance.user_id], using=kwargs.get("using") or "default")


def unit_pre_save(sender, instance, update_fields=None, **kwargs) -> None:
    _remember(instance, _CHANGED_ATTR, _fields_changed(instance, UNIT_TREE_FIELDS, update_fields))


def unit_post_save(sender, instance, **kwargs) -> None:
    if getattr(instance, _CHANGED_ATTR, True):
        scope_changed(using=kwargs.get("using") or "default")


def unit_post_delete(sender, instance, **kwargs) -> None:
    scope_changed(using=kwargs.get("using") or "default")


def units_bulk_changed(sender, **kwargs) -> None:
    """Units were loaded in bulk (already committed): every scope may have changed."""
    scope_changed()
