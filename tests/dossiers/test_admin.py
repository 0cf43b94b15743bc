import pytest
from django.urls import reverse

from cqtt.accounts.models import Role
from cqtt.dossiers.models import AssignmentRule
from tests.factories import make_user

from .conftest import receive

pytestmark = pytest.mark.django_db


def test_dossiers_are_read_only_in_the_admin_and_scoped_to_the_unit(client, world):
    mine = receive(world)
    admin_a = make_user("qt_a", unit=world.a, role=Role.UNIT_ADMIN)
    admin_b = make_user("qt_b", unit=world.b, role=Role.UNIT_ADMIN)
    client.force_login(admin_a)
    listing = client.get(reverse("admin:dossiers_dossier_changelist")).content.decode()
    assert mine.code in listing
    page = client.get(reverse("admin:dossiers_dossier_change", args=[mine.pk]))
    assert page.status_code == 200 and 'name="status"' not in page.content.decode()
    client.force_login(admin_b)
    assert mine.code not in client.get(reverse("admin:dossiers_dossier_changelist")).content.decode()
    assert client.get(reverse("admin:dossiers_dossier_change", args=[mine.pk])).status_code == 302


def test_assignment_rule_with_a_department_of_another_unit_is_refused_in_the_admin(client, world):
    admin = make_user(is_superuser=True, is_staff=True)
    client.force_login(admin)
    data = {
        "unit": world.b.pk,
        "procedure_code": "1.001193",
        "field_code": "",
        "department": world.dept.pk,
        "specialist": "",
        "is_active": "on",
    }
    r = client.post(reverse("admin:dossiers_assignmentrule_add"), data)
    assert r.status_code == 200 and "phải thuộc đơn vị tiếp nhận" in r.content.decode()
    data["unit"] = world.a.pk
    r = client.post(reverse("admin:dossiers_assignmentrule_add"), data)
    assert r.status_code == 302 and AssignmentRule.objects.get().department == world.dept
