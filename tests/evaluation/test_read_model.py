"""The read model: kept by the outbox consumers, rebuilt from the source tables, and both agree."""

import datetime as dt

import pytest
from django.core.management import call_command

from cqtt.core.models import OutboxEvent
from cqtt.evaluation import read_model
from cqtt.evaluation.models import FACT_FIELDS, OfficerMonthFact, UnitMonthFact

pytestmark = pytest.mark.django_db


def snapshot():
    units = {
        (r.unit_id, r.month): {f: getattr(r, f) for f in FACT_FIELDS if getattr(r, f)}
        for r in UnitMonthFact.objects.all()
    }
    officers = {
        (r.unit_id, r.officer_id, r.month): (r.rated, r.i1_sum, r.i1_n, r.i3_sum, r.i3_n, r.i7_sum, r.i7_n)
        for r in OfficerMonthFact.objects.all()
    }
    return units, officers


def test_the_consumers_count_two_months_of_dossiers_ratings_feedback_letters_and_commitments(two_months):
    w = two_months
    units, officers = snapshot()
    october = units[(w.a.pk, dt.date(2026, 10, 1))]
    november = units[(w.a.pk, dt.date(2026, 11, 1))]
    assert october["received"] == 3 and november["received"] == 1
    assert october["finished"] == 2 and october["early"] == 1 and october["late"] == 1
    assert november["finished"] == 1 and november["late"] == 1
    assert october["rated"] == 2 and october["very_satisfied"] == 1 and october["unsatisfied"] == 1
    assert november["rated"] == 1 and november["satisfied"] == 1
    assert october["feedback_received"] == 2 and november["feedback_received"] == 1
    assert october["feedback_on_time"] == 1 and november["feedback_late"] == 1
    assert october["commitments_due"] >= 1 and october["commitments_kept"] == 1
    assert october.get("i3_n") == 2
    assert (
        october["letters_congratulation"] == 2 and november["letters_congratulation"] == 1
    )  # birth → letters
    assert officers  # the ratings' officer (the counter officer who received)


def test_rebuild_equals_incremental_and_a_replay_counts_once(two_months):
    incremental = snapshot()
    assert incremental[0]
    # when: the whole read model is rebuilt from the source tables
    call_command("evaluation_rebuild", stdout=open("/dev/null", "w"))
    assert snapshot() == incremental
    # when: every event is handed to the consumers again (a replay after a rebuild)
    for event in OutboxEvent.objects.order_by("id"):
        stream = event.kind.split(".", 1)[0]
        for kind, consumer in read_model.CONSUMERS.items():
            if kind == event.kind or kind == f"{stream}.*":
                getattr(read_model, consumer.rsplit(".", 1)[1])(event)
    assert snapshot() == incremental


def test_a_rebuild_of_an_empty_world_leaves_no_rows(db):
    UnitMonthFact.objects.all().delete()
    assert read_model.facts_rebuild() == 0
    assert not UnitMonthFact.objects.exists()


def test_a_letter_made_or_cancelled_on_its_own_is_counted_at_once(world, django_capture_on_commit_callbacks):
    import time_machine

    from cqtt.letters import services as letters
    from tests.dossiers.conftest import at

    w = world
    november = (w.a.pk, dt.date(2026, 11, 1))
    with time_machine.travel(at(2026, 11, 12, 9, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            letter = letters.letter_draft(
                actor=w.leader,
                kind="thanks",
                unit=w.a,
                recipient_name="Ông Nguyễn Văn Tài",
                reason="Hiến đất",
            )
        assert snapshot()[0][november]["letters_thanks"] == 1  # no dossier event needed
        with django_capture_on_commit_callbacks(execute=True):
            letters.letter_cancel(actor=w.leader, letter=letter, reason="Trùng thư")
    assert november not in snapshot()[0]  # the slice has nothing left to count
