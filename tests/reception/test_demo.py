"""The demo reception covers every state of a session and of a visit and is made once."""

import pytest
import time_machine

from cqtt.demo.loader import DEMO_COMMUNES, demo_load
from cqtt.demo.reception import load_demo_reception
from cqtt.reception.models import Conclusion, Session, SessionStatus, Visit, VisitStatus
from cqtt.units.models import Unit
from cqtt.units.services import units_load_national
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db


def test_demo_reception_has_every_state_and_is_idempotent():
    units_load_national()
    demo_load(dossiers=0)
    communes = sorted(
        Unit.objects.filter(code__in=[c for _p, c, _n in DEMO_COMMUNES]), key=lambda u: u.code != "25747"
    )
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        assert load_demo_reception(units=communes)
        assert set(Session.objects.values_list("status", flat=True)) == set(SessionStatus.values)
        assert set(Visit.objects.values_list("status", flat=True)) == set(VisitStatus.values)
        answered = Visit.objects.filter(status=VisitStatus.ANSWERED)
        assert {True, False} <= set(answered.values_list("on_time", flat=True))
        assert Visit.objects.filter(is_group=True).exclude(representatives="").exists()
        assert Visit.objects.filter(refusal_notice_on__isnull=False).exists()
        assert (
            Visit.objects.exclude(feedback_code="").exists() and Visit.objects.exclude(case_code="").exists()
        )
        assert Visit.objects.exclude(documents=[]).exists()
        assert Conclusion.objects.get().tasks.count() == 2
        assert not load_demo_reception(units=communes)
