import datetime as dt

import pytest

from cqtt.accounts.models import Role
from cqtt.evaluation import criteria_services as services
from cqtt.evaluation.criteria_models import CriteriaSet
from tests.dossiers.conftest import at, world
from tests.factories import make_user

TODAY = dt.date(2026, 11, 24)  # the frozen clock's day (tests/conftest.py FROZEN_NOW)


@pytest.fixture
def supervisor(world):
    """The province's steering committee (inspection team): a provincial supervisor at city 79."""
    return make_user("bcd_tinh", unit=world.city, role=Role.PROVINCIAL_SUPERVISOR, full_name="Phan Văn Kiểm")


@pytest.fixture
def leader_b(world):
    return make_user("lanhdao2", unit=world.b, role=Role.LEADER, full_name="Đỗ Thị Bình")


@pytest.fixture
def bd_set(db):
    return CriteriaSet.objects.get(province__isnull=True, code="BD-TIEU-CHI", version=1)


@pytest.fixture
def cycle(world, supervisor, bd_set):
    return services.cycle_create(
        actor=supervisor,
        province=world.city,
        name="Đánh giá mô hình năm 2026",
        criteria_set=bd_set,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        units=[world.a, world.b],
    )


@pytest.fixture
def assessment_a(cycle, world):
    return cycle.assessments.get(unit=world.a)


def self_values(assessment, score="12", comment="Đã niêm yết đầy đủ"):
    """Every self-assessed criterion at `score` (capped at its weight) with a comment."""
    values = {}
    for s in assessment.scores.select_related("criterion"):
        if s.criterion.kind == "self":
            values[f"score_{s.criterion_id}"] = str(min(float(score), float(s.criterion.weight)))
            values[f"comment_{s.criterion_id}"] = comment
    return values


def to_submitted(a, world):
    services.assessment_start(actor=world.leader, assessment=a)
    services.assessment_self_score(actor=world.leader, assessment=a, values=self_values(a))
    return services.assessment_submit(actor=world.leader, assessment=a)


def to_inspected(a, world, supervisor, *, score=None):
    to_submitted(a, world)
    values = {}
    if score is not None:
        values = {
            f"score_{s.criterion_id}": str(min(score, float(s.criterion.weight)))
            for s in a.scores.select_related("criterion")
        }
    return services.assessment_inspect(
        actor=supervisor, assessment=a, values=values, inspected_on=TODAY, note="Đoàn đã kiểm tra thực tế"
    )


__all__ = ["at", "world"]
