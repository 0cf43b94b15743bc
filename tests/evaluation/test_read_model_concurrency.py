"""Two workers recounting one slice at once take turns (PostgreSQL only: SQLite serialises writers)."""

import datetime as dt
import threading

import pytest
from django.db import connection

from cqtt.evaluation import read_model
from cqtt.evaluation.models import UnitMonthFact
from cqtt.letters.models import Letter

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_recounts_wait_for_the_one_in_progress_and_count_what_it_could_not_see(world, monkeypatch):
    w = world
    november = dt.date(2026, 11, 1)
    slices = {(w.a.pk, november)}
    counted = threading.Event()
    go_on = threading.Event()
    real_count = read_model.count_facts

    def slow_first_count(s=None):
        out = real_count(s)
        if threading.current_thread().name == "first":
            counted.set()  # the first worker has counted, and holds the slice
            assert go_on.wait(20)
        return out

    monkeypatch.setattr(read_model, "count_facts", slow_first_count)
    errors = []

    def refresh():
        try:
            read_model.facts_refresh(slices=slices)
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=refresh, name="first")
    first.start()
    assert counted.wait(20)
    # while the first holds its count, a letter is made in the slice and a second worker recounts it
    Letter.objects.create(unit=w.a, kind="thanks", recipient_name="Bà Lê Thị Hoa")
    Letter.objects.filter(unit=w.a).update(created_at=dt.datetime(2026, 11, 12, 2, 0, tzinfo=dt.UTC))
    second = threading.Thread(target=refresh, name="second")
    third = threading.Thread(target=refresh, name="third")
    second.start()
    third.start()
    second.join(1.0)
    assert second.is_alive() and third.is_alive()  # both wait for the first worker's slice
    go_on.set()
    for worker in (first, second, third):
        worker.join(20)
    assert errors == []
    row = UnitMonthFact.objects.get(unit=w.a, month=november)
    assert row.letters_thanks == 1  # the second count, after the first: the letter is not lost
