import pytest
from django.core.management import call_command

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import visible_units
from cqtt.demo.loader import DEMO_COMMUNES, DEMO_PASSWORD, demo_load
from cqtt.units.models import Counter, Office, Unit
from cqtt.units.services import units_load_national

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    units_load_national()
    return demo_load(dossiers=0)


def test_demo_creates_offices_counters_and_departments_in_every_pilot_unit(demo):
    for _province, code, _name in DEMO_COMMUNES:
        office = Office.objects.get(unit__code=code)
        counters = Counter.objects.filter(office=office)
        assert 2 <= counters.count() <= 3
        assert all(c.officers.exists() for c in counters)
        assert Unit.objects.filter(parent__code=code, level="department").count() == 3


def test_demo_logins_hold_the_documented_roles(demo):
    expected = {
        "motcua": (Role.COUNTER_OFFICER, "25747"),
        "chuyenvien": (Role.SPECIALIST, "25747"),
        "lanhdao": (Role.LEADER, "25747"),
        "quantri": (Role.UNIT_ADMIN, "25747"),
        "tinh": (Role.PROVINCIAL_SUPERVISOR, "79"),
        "mttq": (Role.OBSERVER, "25747"),
        "motcua2": (Role.COUNTER_OFFICER, "06046"),
    }
    for username, (role, unit_code) in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.roles.filter(role=role, unit__code=unit_code).exists(), username
    tinh = User.objects.get(username="tinh")
    assert visible_units(tinh).filter(code="25978").exists()  # Thuận An is in Hồ Chí Minh City
    assert not visible_units(User.objects.get(username="motcua2")).filter(code="25747").exists()


def test_demo_is_idempotent(demo):
    counts = (Unit.objects.count(), User.objects.count(), Counter.objects.count())
    again = demo_load(dossiers=0)
    assert not again.changed
    assert (Unit.objects.count(), User.objects.count(), Counter.objects.count()) == counts


def test_demo_procedures_are_offered_in_the_pilot_units(demo):
    from cqtt.procedures.models import Procedure

    assert Procedure.objects.filter(units__code="25747").distinct().count() >= 20
    assert Procedure.objects.filter(code="1.001193").exists()


def test_load_demo_command_prints_the_logins(capsys):
    units_load_national()
    call_command("load_demo", "--dossiers", "0")
    out = capsys.readouterr().out
    assert "motcua2" in out and DEMO_PASSWORD in out


def test_demo_dossiers_cover_the_lifecycle_and_are_idempotent(demo):
    from cqtt.demo.dossiers import load_demo_dossiers
    from cqtt.dossiers.models import Dossier

    communes = list(Unit.objects.filter(code__in=[c for _p, c, _n in DEMO_COMMUNES]))
    created = load_demo_dossiers(units=communes, count=80)
    assert created == 80 == Dossier.objects.count()
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {"received", "in_progress", "returned", "awaiting_approval"} <= statuses
    assert Dossier.objects.filter(timeliness="late").exists()
    assert load_demo_dossiers(units=communes, count=80) == 0
