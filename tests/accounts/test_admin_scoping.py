"""A unit administrator manages its own unit in the admin and sees nothing of another commune."""

import pytest
from django.urls import reverse

from cqtt.accounts.models import Role, RoleAssignment
from cqtt.units.models import Counter, Office
from cqtt.units.services import counter_save, office_save
from tests.factories import make_commune, make_province, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_communes():
    province = make_province("83")
    mine, other = make_commune(province), make_commune(province)
    admin = make_user("qt", unit=mine, role=Role.UNIT_ADMIN)
    stranger = make_user("stranger", unit=other, role=Role.SPECIALIST)
    office = office_save(office=Office(unit=other, name="Bộ phận Một cửa khác"))
    counter = counter_save(counter=Counter(office=office, number=1))
    return {
        "mine": mine,
        "other": other,
        "admin": admin,
        "stranger": stranger,
        "office": office,
        "counter": counter,
    }


def test_unit_admin_role_gives_admin_access(client, two_communes):
    admin = two_communes["admin"]
    admin.refresh_from_db()
    assert admin.is_staff and not admin.is_superuser
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200


def test_unit_admin_lists_show_only_its_unit(client, two_communes):
    client.force_login(two_communes["admin"])
    users = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "qt" in users and "stranger" not in users
    offices = client.get(reverse("admin:units_office_changelist")).content.decode()
    assert "Bộ phận Một cửa khác" not in offices


@pytest.mark.parametrize(
    ("url_name", "key"),
    [
        ("admin:accounts_user_change", "stranger"),
        ("admin:units_unit_change", "other"),
        ("admin:units_office_change", "office"),
        ("admin:units_counter_change", "counter"),
    ],
)
def test_unit_admin_cannot_open_or_change_another_communes_rows(client, two_communes, url_name, key):
    client.force_login(two_communes["admin"])
    url = reverse(url_name, args=[two_communes[key].pk])
    response = client.get(url)
    assert response.status_code == 302  # Django admin redirects when the row is outside the queryset
    response = client.post(url, {"name": "đổi tên"})
    assert response.status_code == 302
    two_communes["office"].refresh_from_db()
    assert two_communes["office"].name == "Bộ phận Một cửa khác"


def test_unit_admin_cannot_see_role_assignments_of_another_commune(client, two_communes):
    client.force_login(two_communes["admin"])
    other_ra = RoleAssignment.objects.get(user=two_communes["stranger"])
    response = client.get(reverse("admin:accounts_roleassignment_change", args=[other_ra.pk]))
    assert response.status_code == 302


def test_unit_admin_is_not_offered_superuser_rights(client, two_communes):
    client.force_login(two_communes["admin"])
    page = client.get(reverse("admin:accounts_user_change", args=[two_communes["admin"].pk])).content.decode()
    assert 'name="is_superuser"' not in page


def test_counter_officer_has_no_admin(client, two_communes):
    client.force_login(make_user(unit=two_communes["mine"], role=Role.COUNTER_OFFICER))
    assert client.get(reverse("admin:index")).status_code == 302


# --- writes that bypassed the services (outside probe, issue 11) --------------------------------------------


def test_bulk_delete_of_role_assignments_revokes_through_the_service(client, two_communes):
    from cqtt.accounts.services import UNIT_ADMIN_GROUP
    from cqtt.core.models import AuditEvent

    mine = two_communes["mine"]
    deputy = make_user("pho", unit=mine, role=Role.UNIT_ADMIN)
    deputy.refresh_from_db()
    assert deputy.is_staff
    client.force_login(two_communes["admin"])
    ids = list(RoleAssignment.objects.filter(user=deputy).values_list("pk", flat=True))
    r = client.post(
        reverse("admin:accounts_roleassignment_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert r.status_code == 302
    deputy.refresh_from_db()
    assert not RoleAssignment.objects.filter(user=deputy).exists()
    assert AuditEvent.objects.filter(action="role.revoked", summary="pho: unit_admin").count() == 1
    assert not deputy.is_staff and not deputy.groups.filter(name=UNIT_ADMIN_GROUP).exists()


def test_admin_offers_no_delete_that_skips_a_service(client, two_communes):
    admin = two_communes["admin"]
    client.force_login(admin)
    colleague = make_user("dongnghiep", unit=two_communes["mine"], role=Role.SPECIALIST)
    html = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "delete_selected" not in html
    r = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [colleague.pk], "post": "yes"},
    )
    assert r.status_code in (200, 302, 403)
    assert type(colleague).objects.filter(pk=colleague.pk).exists()
    assert client.get(reverse("admin:accounts_user_delete", args=[colleague.pk])).status_code == 403


def test_counters_edited_inside_the_office_page_leave_audit_events(client, two_communes):
    from cqtt.core.models import AuditEvent

    mine = two_communes["mine"]
    office = office_save(office=Office(unit=mine, name="Bộ phận Một cửa"))
    officer = make_user("quay1", unit=mine, role=Role.COUNTER_OFFICER)
    client.force_login(two_communes["admin"])
    data = {
        "unit": mine.pk,
        "name": "Bộ phận Một cửa",
        "kind": office.kind,
        "address": "",
        "phone": "",
        "counters-TOTAL_FORMS": "1",
        "counters-INITIAL_FORMS": "0",
        "counters-MIN_NUM_FORMS": "0",
        "counters-MAX_NUM_FORMS": "1000",
        "counters-0-number": "1",
        "counters-0-name": "Hộ tịch",
        "counters-0-is_active": "on",
        "counters-0-officers": [officer.pk],
    }
    r = client.post(reverse("admin:units_office_change", args=[office.pk]), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    counter = Counter.objects.get(office=office)
    assert list(counter.officers.all()) == [officer]
    assert AuditEvent.objects.filter(action="counter.created", object_id=str(counter.pk)).exists()
    assert AuditEvent.objects.filter(action="counter.officers_set", object_id=str(counter.pk)).exists()
