"""Races that only a real server shows: run on PostgreSQL (skipped on SQLite, which serialises writers)."""

import threading

import pytest
from django.db import connection

from cqtt.core.errors import TransitionNotAllowed
from cqtt.dossiers import services as s
from cqtt.dossiers.models import Dossier, DossierEvent

from .conftest import applicant, at, documents_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_at_once(n, target):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait(timeout=20)
            results.append(target(i))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


def test_fifty_simultaneous_intakes_get_fifty_distinct_gap_free_codes(world):
    when = at(2026, 11, 23, 9, 0)

    def intake(i):
        return s.dossier_intake(
            actor=world.counter_a,
            procedure_code="1.001193",
            applicant=applicant(full_name=f"Người nộp {i}"),
            documents=documents_for(world.birth),
            at=when,
            counter=world.counter,
        ).dossier.code

    codes, errors = _run_at_once(50, intake)
    assert errors == []
    assert len(set(codes)) == 50
    assert sorted(int(c[-4:]) for c in codes) == list(range(1, 51))
    assert sorted(Dossier.objects.values_list("book_number", flat=True)) == list(range(1, 51))


def test_two_officers_acting_on_one_dossier_at_once_one_succeeds_the_other_is_told(world):
    dossier = s.dossier_intake(
        actor=world.counter_a,
        procedure_code="1.001193",
        applicant=applicant(),
        documents=documents_for(world.birth),
        at=at(2026, 11, 23, 9, 0),
    ).dossier
    dossier = s.dossier_assign(actor=world.leader, dossier=dossier, assignee=world.specialist)
    dossier = s.dossier_approve(actor=world.leader, dossier=dossier)
    dossier = s.dossier_mark_ready(actor=world.leader, dossier=dossier)

    def give_back(i):
        return s.dossier_return_result(actor=world.counter_a, dossier=dossier, collected_by=f"Người nhận {i}")

    results, errors = _run_at_once(2, give_back)
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], TransitionNotAllowed)
    dossier.refresh_from_db()
    assert dossier.status == "returned" and dossier.collected_by == results[0].collected_by
    assert DossierEvent.objects.filter(dossier=dossier, action="return-result").count() == 1


def test_two_edits_from_the_same_page_version_do_not_overwrite_each_other(world):
    dossier = s.dossier_intake(
        actor=world.counter_a,
        procedure_code="1.001193",
        applicant=applicant(),
        documents=documents_for(world.birth),
        at=at(2026, 11, 23, 9, 0),
    ).dossier
    seen = dossier.version

    def act(i):
        if i == 0:
            return s.dossier_assign(
                actor=world.leader, dossier=dossier, assignee=world.specialist, expected_version=seen
            )
        return s.dossier_withdraw(
            actor=world.counter_a, dossier=dossier, reason="Đơn xin rút", expected_version=seen
        )

    results, errors = _run_at_once(2, act)
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], TransitionNotAllowed)
    assert "vừa được người khác cập nhật" in str(errors[0])
