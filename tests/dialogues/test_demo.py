"""The demo dialogues cover every state of a dialogue, a question and a commitment, and are made once."""

import pytest
import time_machine

from cqtt.demo.dialogues import load_demo_dialogues
from cqtt.demo.feedback import load_demo_feedback
from cqtt.demo.loader import DEMO_COMMUNES, demo_load
from cqtt.dialogues import selectors
from cqtt.dialogues.models import Commitment, Dialogue, Question, QuestionSource, QuestionStatus, Status
from cqtt.units.models import Unit
from cqtt.units.services import units_load_national
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db


def test_demo_dialogues_have_every_state_and_are_made_once():
    units_load_national()
    demo_load(dossiers=0)
    communes = sorted(
        Unit.objects.filter(code__in=[c for _p, c, _n in DEMO_COMMUNES]), key=lambda u: u.code != "25747"
    )
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        load_demo_feedback(units=communes)
        assert load_demo_dialogues(units=communes) is True
        assert set(Dialogue.objects.values_list("status", flat=True)) == set(Status.values)
        assert set(Question.objects.values_list("status", flat=True)) == set(QuestionStatus.values)
        assert set(Question.objects.values_list("source", flat=True)) == set(QuestionSource.values)
        annual = Dialogue.objects.get(kind="annual_front")
        commitments = selectors.commitments_of(dialogue=annual)
        assert {(c.status, c.kept, c.overdue) for c in commitments} == {
            ("done", True, False),
            ("done", False, False),
            ("open", None, True),
            ("dropped", False, False),
        }
        assert Commitment.objects.filter(status="open", dialogue__kind="thematic").exists()
        assert load_demo_dialogues(units=communes) is False
