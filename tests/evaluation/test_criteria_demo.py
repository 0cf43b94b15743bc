"""The demo's criteria data covers every state of an assessment, and is made once."""

import pytest
import time_machine

from cqtt.demo.evaluation import load_demo_evaluation
from cqtt.demo.loader import DEMO_COMMUNES, demo_load
from cqtt.evaluation import criteria_selectors as selectors
from cqtt.evaluation.criteria_models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    Evidence,
    OutreachSession,
    PilotUnit,
    Review,
    RewardProposal,
)
from cqtt.units.models import Unit
from cqtt.units.services import units_load_national
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db


def test_demo_criteria_have_every_state_and_are_made_once():
    units_load_national()
    demo_load(dossiers=0)
    communes = sorted(
        Unit.objects.filter(code__in=[c for _p, c, _n in DEMO_COMMUNES]),
        key=lambda u: (u.code != "25747", u.code),
    )
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        assert load_demo_evaluation(units=communes) is True
        assert set(Assessment.objects.values_list("status", flat=True)) == set(AssessmentStatus.values)
        mine = Assessment.objects.get(unit__code="25747", cycle__name="Đánh giá mô hình năm 2026")
        assert mine.status == "self_assessing"  # the demo leader "lanhdao" has work to do
        assert Assessment.objects.get(status="recognised").decision_number == "2468/QĐ-UBND"
        assert RewardProposal.objects.exists() and Evidence.objects.exists()
        assert set(Review.objects.values_list("kind", flat=True)) == {"preliminary", "final"}
        assert CriteriaSet.objects.filter(province__code="79", version=2).exists()
        assert PilotUnit.objects.count() == 2 and OutreachSession.objects.count() == 6
        province = Unit.objects.get(code="79")
        progress = [r.progress for r in selectors.targets_progress(province=province)]
        assert [p.recognised for p in progress] == [1, 1, 1]
        assert load_demo_evaluation(units=communes) is False
