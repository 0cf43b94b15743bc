"""The demo complaints cover every state of every kind's process and are made once."""

import pytest
import time_machine

from cqtt.complaints.models import Case, IdentityAccess, Kind, Status
from cqtt.demo.complaints import load_demo_complaints
from cqtt.demo.loader import DEMO_COMMUNES, demo_load
from cqtt.units.models import Unit
from cqtt.units.services import units_load_national
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db


def test_demo_complaints_have_every_state_and_kind_and_are_idempotent():
    units_load_national()
    demo_load(dossiers=0)
    communes = sorted(
        Unit.objects.filter(code__in=[c for _p, c, _n in DEMO_COMMUNES]), key=lambda u: u.code != "25747"
    )
    with time_machine.travel(at(2026, 12, 2, 10, 0), tick=False):
        assert load_demo_complaints(units=communes)
        assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
        assert set(Case.objects.values_list("kind", flat=True)) == set(Kind.values)
        assert Case.objects.filter(on_time=False).exists() and Case.objects.filter(on_time=True).exists()
        assert Case.objects.filter(split_from__isnull=False).count() == 3
        assert IdentityAccess.objects.count() == 1
        assert not load_demo_complaints(units=communes)
