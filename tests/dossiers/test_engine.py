"""One transitions table and one runner: every state change of a dossier goes through them and leaves its
event and its outbox row."""

import importlib
import inspect
import pkgutil
import re

import pytest

from cqtt.core.models import OutboxEvent
from cqtt.dossiers import rules
from cqtt.dossiers import services as s
from cqtt.dossiers.models import DossierEvent, Status
from cqtt.dossiers.services import engine

from .conftest import at, receive

pytestmark = pytest.mark.django_db


def test_no_service_sets_the_status_by_hand():
    modules = [importlib.import_module(f"{s.__name__}.{m.name}") for m in pkgutil.iter_modules(s.__path__)]
    assert {m.__name__.rsplit(".", 1)[1] for m in modules} >= {"engine", "intake", "processing", "result"}
    source = "".join(inspect.getsource(m) for m in modules)
    assignments = [m.start() for m in re.finditer(r"\bdossier\.status = ", source)]
    runner = inspect.getsource(engine._apply)
    assert len(assignments) == 1 and "dossier.status = transition.target_from(before)" in runner


def test_every_action_of_the_table_has_one_service_and_targets_a_real_state():
    assert set(s.ACTION_SERVICES) == set(rules.TRANSITIONS)
    for t in rules.TRANSITIONS.values():
        assert t.target is None or t.target in Status.values
        assert t.sources <= set(Status.values)


def test_each_transition_writes_its_event_and_outbox_row_with_the_target_of_the_table(world):
    d = receive(world)
    assert OutboxEvent.objects.filter(aggregate_id=d.pk, kind="dossier.receive").count() == 1
    d = s.dossier_act(
        "assign", actor=world.leader, dossier=d, assignee=world.specialist, at=at(2026, 11, 23, 10)
    )
    assert d.status == rules.TRANSITIONS["assign"].target
    row = OutboxEvent.objects.get(aggregate_id=d.pk, kind="dossier.assign")
    assert row.payload["from_status"] == Status.RECEIVED and row.payload["status"] == Status.IN_PROGRESS
    assert row.payload["code"] == d.code and row.payload["life_event"] == "birth_registration"
    assert DossierEvent.objects.filter(dossier=d, action="assign").count() == 1
    version = d.version
    d = s.dossier_act(
        "approve", actor=world.leader, dossier=d, expected_version=version, at=at(2026, 11, 23, 11)
    )
    assert d.status == Status.APPROVED and d.version == version + 1
    assert OutboxEvent.objects.filter(aggregate_id=d.pk).count() == 3


def test_a_refused_transition_writes_nothing(world):
    from cqtt.core.errors import TransitionNotAllowed

    d = receive(world)
    with pytest.raises(TransitionNotAllowed):
        s.dossier_act("return-result", actor=world.counter_a, dossier=d, collected_by="A")
    assert not OutboxEvent.objects.filter(aggregate_id=d.pk, kind="dossier.return-result").exists()
    assert not DossierEvent.objects.filter(dossier=d, action="return-result").exists()
