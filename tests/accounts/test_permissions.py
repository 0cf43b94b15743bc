import pytest

from cqtt.accounts.models import Role
from cqtt.accounts.permissions import can_write, require_role, user_roles_in, user_scope, visible_units
from cqtt.core.errors import PermissionDenied
from tests.factories import make_commune, make_department, make_province, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    p1, p2 = make_province("81"), make_province("82")
    a, b, c = make_commune(p1), make_commune(p1), make_commune(p2)
    return {"p1": p1, "p2": p2, "a": a, "a_dept": make_department(a), "b": b, "c": c}


def test_a_commune_role_reaches_its_commune_and_departments_only(tree):
    user = make_user(unit=tree["a"], role=Role.COUNTER_OFFICER)
    assert set(visible_units(user)) == {tree["a"], tree["a_dept"]}
    assert user_roles_in(user, tree["a_dept"]) == {Role.COUNTER_OFFICER}
    assert user_roles_in(user, tree["b"]) == set()


def test_a_provincial_supervisor_sees_every_unit_of_its_province_and_nothing_else(tree):
    user = make_user(unit=tree["p1"], role=Role.PROVINCIAL_SUPERVISOR)
    seen = set(visible_units(user))
    assert {tree["p1"], tree["a"], tree["a_dept"], tree["b"]} <= seen
    assert tree["c"] not in seen and tree["p2"] not in seen


def test_roles_in_several_units_add_up(tree):
    user = make_user(unit=tree["a"], role=Role.SPECIALIST)
    from cqtt.accounts.services import role_grant

    role_grant(user=user, unit=tree["c"], role=Role.LEADER)
    assert set(visible_units(user)) == {tree["a"], tree["a_dept"], tree["c"]}
    require_role(user, tree["c"], [Role.LEADER])
    with pytest.raises(PermissionDenied):
        require_role(user, tree["a"], [Role.LEADER])


def test_observer_is_read_only(tree):
    user = make_user(unit=tree["a"], role=Role.OBSERVER)
    assert tree["a"] in set(visible_units(user))
    assert not can_write(user, tree["a"])


def test_a_user_without_roles_sees_nothing_and_superuser_sees_all(tree):
    assert not visible_units(make_user(unit=tree["a"])).exists()
    admin = make_user(is_superuser=True)
    assert visible_units(admin).count() >= 6


def test_provincial_supervisor_role_is_refused_below_province(tree):
    from cqtt.accounts.services import role_grant
    from cqtt.core.errors import ServiceError

    with pytest.raises(ServiceError):
        role_grant(user=make_user(), unit=tree["a"], role=Role.PROVINCIAL_SUPERVISOR)


def test_scope_is_computed_once_per_user_object(tree, django_assert_num_queries):
    user = make_user(unit=tree["a"], role=Role.LEADER)
    user_scope(user)
    with django_assert_num_queries(0):
        user_roles_in(user, tree["a"])
        user_scope(user).q("path")


def test_role_grant_needs_a_unit_admin_reaching_the_unit(tree):
    from cqtt.accounts.services import role_grant, role_revoke

    admin_a = make_user(unit=tree["a"], role=Role.UNIT_ADMIN)
    target = make_user(unit=tree["b"])
    with pytest.raises(PermissionDenied):
        role_grant(user=target, unit=tree["b"], role=Role.SPECIALIST, actor=admin_a)
    granted = role_grant(user=target, unit=tree["a_dept"], role=Role.SPECIALIST, actor=admin_a)
    outsider = make_user(unit=tree["b"], role=Role.UNIT_ADMIN)
    with pytest.raises(PermissionDenied):
        role_revoke(assignment=granted, actor=outsider)


def test_only_a_superuser_grants_the_provincial_supervisor_role(tree):
    from cqtt.accounts.services import role_grant

    province_admin = make_user(unit=tree["p1"], role=Role.UNIT_ADMIN)
    with pytest.raises(PermissionDenied):
        role_grant(user=make_user(), unit=tree["p1"], role=Role.PROVINCIAL_SUPERVISOR, actor=province_admin)
    root = make_user(is_superuser=True)
    assert role_grant(user=make_user(), unit=tree["p1"], role=Role.PROVINCIAL_SUPERVISOR, actor=root)


def test_a_unit_admin_cannot_edit_a_superuser_or_put_staff_in_another_unit(tree):
    from cqtt.accounts.services import user_save_profile

    admin_a = make_user(unit=tree["a"], role=Role.UNIT_ADMIN)
    root = make_user(unit=tree["a"], is_superuser=True)
    root.position = "đổi"
    with pytest.raises(PermissionDenied):
        user_save_profile(user=root, actor=admin_a)
    staff = make_user(unit=tree["a"])
    staff.unit = tree["b"]
    with pytest.raises(PermissionDenied):
        user_save_profile(user=staff, actor=admin_a)


# --- the scope kept in the shared cache between requests ---------------------------------------------------


def _fresh(user):
    """The user as a new request loads it (nothing memoised on the instance)."""
    from cqtt.accounts.models import User

    return User.objects.get(pk=user.pk)


def test_cached_scope_costs_no_query_on_the_next_request(db, django_assert_num_queries):
    from cqtt.accounts.models import Role
    from cqtt.accounts.permissions import user_scope, visible_unit_ids
    from tests.factories import make_commune, make_user

    ward = make_commune()
    user = make_user(unit=ward, role=Role.LEADER)
    first = _fresh(user)
    assert visible_unit_ids(first) == [ward.pk]
    again = _fresh(user)
    with django_assert_num_queries(0):
        assert user_scope(again).roles_for(ward) == {Role.LEADER}
        assert visible_unit_ids(again) == [ward.pk]


def test_revoked_role_takes_effect_at_once(db, django_capture_on_commit_callbacks):
    from cqtt.accounts.models import Role
    from cqtt.accounts.permissions import user_roles_in, visible_unit_ids
    from cqtt.accounts.services import role_revoke
    from tests.factories import make_commune, make_user

    ward = make_commune()
    user = make_user(unit=ward, role=Role.LEADER)
    assert Role.LEADER in user_roles_in(_fresh(user), ward)
    with django_capture_on_commit_callbacks(execute=True):
        role_revoke(assignment=user.roles.get(unit=ward, role=Role.LEADER))
    assert user_roles_in(_fresh(user), ward) == set()
    assert visible_unit_ids(_fresh(user)) == []


def test_new_unit_below_a_root_is_visible_at_once(db, django_capture_on_commit_callbacks):
    from cqtt.accounts.models import Role
    from cqtt.accounts.permissions import visible_unit_ids
    from tests.factories import make_commune, make_department, make_user

    ward = make_commune()
    user = make_user(unit=ward, role=Role.LEADER)
    assert visible_unit_ids(_fresh(user)) == [ward.pk]
    with django_capture_on_commit_callbacks(execute=True):
        dept = make_department(ward)
    assert set(visible_unit_ids(_fresh(user))) == {ward.pk, dept.pk}


def test_deactivated_or_promoted_account_is_not_served_a_stale_scope(db, django_capture_on_commit_callbacks):
    from cqtt.accounts.models import Role
    from cqtt.accounts.permissions import user_scope
    from tests.factories import make_commune, make_user

    ward = make_commune()
    user = make_user(unit=ward, role=Role.LEADER)
    assert user_scope(_fresh(user)).grants
    user.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        user.save(update_fields=["is_active"])
    assert user_scope(_fresh(user)).grants == ()
    user.is_active = True
    user.is_superuser = True
    with django_capture_on_commit_callbacks(execute=True):
        user.save(update_fields=["is_active", "is_superuser"])
    assert user_scope(_fresh(user)).is_global
