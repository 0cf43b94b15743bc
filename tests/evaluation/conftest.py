import datetime as dt

import pytest
import time_machine

from cqtt.accounts.models import Role
from cqtt.dialogues import services as dialogues
from cqtt.dossiers import services as dossiers
from cqtt.evaluation import criteria_services as services
from cqtt.evaluation.criteria_models import CriteriaSet
from cqtt.feedback import services as feedback
from cqtt.ratings import services as ratings
from tests.charts_browser import watched  # noqa: F401 (the charts' browser fixture)
from tests.dossiers.conftest import applicant, at, documents_for, world
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


class Actions:
    """Drives the services of the source apps with their outbox reactions run (on_commit executed)."""

    def __init__(self, w, capture):
        self.w = w
        self.capture = capture

    def _run(self, when, fn):
        with time_machine.travel(when, tick=False), self.capture(execute=True):
            return fn()

    def receive(self, when, unit=None):
        w = self.w
        return self._run(
            when,
            lambda: (
                dossiers.dossier_intake(
                    actor=w.counter_a,
                    procedure_code=w.birth.code,
                    applicant=applicant(),
                    documents=documents_for(w.birth),
                    at=when,
                    counter=w.counter,
                ).dossier
            ),
        )

    def finish(self, d, when):
        w = self.w

        def go():
            x = dossiers.dossier_assign(actor=w.leader, dossier=d, assignee=w.specialist, at=when)
            x = dossiers.dossier_submit(actor=w.specialist, dossier=x, at=when)
            x = dossiers.dossier_approve(actor=w.leader, dossier=x, at=when)
            x = dossiers.dossier_mark_ready(actor=w.specialist, dossier=x, at=when)
            return dossiers.dossier_return_result(actor=w.counter_a, dossier=x, collected_by="B", at=when)

        return self._run(when, go)

    def rate(self, d, when, level="satisfied", contacts=0, bodies=0):
        return self._run(
            when,
            lambda: ratings.rating_submit(
                dossier=d, level=level, contacts=contacts, bodies=bodies, rated_at=when, at=when
            )[0],
        )

    def feedback(self, when):
        w = self.w
        return self._run(
            when,
            lambda: feedback.feedback_submit(
                unit=w.a,
                kind="report",
                content="Đèn đường trước nhà số 12 bị hỏng đã hai tuần.",
                channel="web",
                sender=feedback.SenderData(name="Phạm Văn Bình", phone="0912345678", email=""),
                at=when,
            ),
        )

    def answer(self, item, when):
        return self._run(
            when,
            lambda: feedback.feedback_answer(
                actor=self.w.leader, item=item, answer="Đã sửa đèn đường.", at=when
            ),
        )

    def commitment(self, starts, days, done_on=None):
        w = self.w
        values = {
            "kind": "annual_front",
            "topic": "Trật tự đô thị",
            "starts_at": starts,
            "place": "Hội trường UBND phường",
            "chair": "Chủ tịch UBND phường",
            "co_organiser": "Ủy ban MTTQ",
        }

        def go():
            d = dialogues.dialogue_plan(actor=w.leader, unit=w.a, at=starts - dt.timedelta(days=20), **values)
            d = dialogues.dialogue_announce(actor=w.leader, dialogue=d, at=starts - dt.timedelta(days=19))
            d = dialogues.dialogue_hold(actor=w.leader, dialogue=d, attendees=50, at=starts.replace(hour=11))
            return dialogues.commitment_add(
                actor=w.leader, dialogue=d, text="Dẹp chợ tạm", owner=w.specialist, days=days, at=starts
            )

        c = self._run(starts, go)
        if done_on:
            when = at(done_on.year, done_on.month, done_on.day, 16, 0)
            c = self._run(
                when,
                lambda: dialogues.commitment_complete(
                    actor=w.leader, commitment=c, done_on=done_on, evidence="Đã dẹp", at=when
                ),
            )
        return c


@pytest.fixture
def act(world, django_capture_on_commit_callbacks):
    return Actions(world, django_capture_on_commit_callbacks)


@pytest.fixture
def two_months(world, act):
    """Ward A across October and November 2026: dossiers finished early, late and across the month end, ratings,
    feedback answered on time and late, commitments kept and late."""
    w = world
    d1 = act.receive(at(2026, 10, 5, 9, 0))
    d2 = act.receive(at(2026, 10, 6, 9, 0))
    d3 = act.receive(at(2026, 10, 28, 9, 0))
    act.finish(d1, at(2026, 10, 6, 10, 0))  # early
    act.finish(d2, at(2026, 10, 20, 10, 0))  # late
    act.finish(d3, at(2026, 11, 3, 10, 0))  # late, in November
    d4 = act.receive(at(2026, 11, 10, 9, 0))
    act.rate(d1, at(2026, 10, 7, 9, 0), level="very_satisfied")
    act.rate(d2, at(2026, 10, 21, 9, 0), level="unsatisfied", contacts=2, bodies=2)
    act.rate(d4, at(2026, 11, 11, 9, 0), level="satisfied")
    f1 = act.feedback(at(2026, 10, 1, 9, 0))
    f2 = act.feedback(at(2026, 10, 2, 9, 0))
    act.answer(f1, at(2026, 10, 5, 9, 0))  # on time
    act.answer(f2, at(2026, 11, 20, 9, 0))  # late
    act.feedback(at(2026, 11, 2, 9, 0))
    act.commitment(at(2026, 10, 1, 8, 0), days=5, done_on=dt.date(2026, 10, 6))
    act.commitment(at(2026, 10, 20, 8, 0), days=10, done_on=dt.date(2026, 11, 10))
    return w


# --- criteria part ---

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
