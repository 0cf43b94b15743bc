"""The demo feedback covers every state and channel and is made once."""

import pytest
import time_machine

from cqtt.demo.feedback import load_demo_feedback
from cqtt.demo.loader import DEMO_COMMUNES, demo_load
from cqtt.feedback.models import Channel, FeedbackItem, Status
from cqtt.units.models import Unit
from cqtt.units.services import units_load_national
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db


def test_demo_feedback_has_every_state_and_channel_and_is_idempotent():
    units_load_national()
    demo_load(dossiers=0)
    communes = sorted(
        Unit.objects.filter(code__in=[c for _p, c, _n in DEMO_COMMUNES]), key=lambda u: u.code != "25747"
    )
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        made = load_demo_feedback(units=communes)
        assert made == FeedbackItem.objects.count() > 20
        assert set(FeedbackItem.objects.values_list("status", flat=True)) == set(Status.values)
        assert set(FeedbackItem.objects.values_list("channel", flat=True)) == set(Channel.values)
        assert FeedbackItem.objects.filter(duplicate_of__isnull=False).exists()
        assert FeedbackItem.objects.filter(thanks_letter__isnull=False).exists()
        assert load_demo_feedback(units=communes) == 0
