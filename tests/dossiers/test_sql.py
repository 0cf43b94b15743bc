"""The hot path's named SQL (`dossiers.sql`) reads what the ORM reads, on SQLite and PostgreSQL."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError

from cqtt.dossiers import sql
from cqtt.dossiers.models import Dossier, DossierEvent
from cqtt.dossiers.services import dossier_assign, dossier_extend

from .conftest import at, receive


def _orm(pk: int) -> Dossier:
    return Dossier.objects.select_related("procedure", "handling_unit", "assignee").get(pk=pk)


def _same(read, orm, fields) -> None:
    for name in fields:
        assert getattr(read, name) == getattr(orm, name), name
        assert type(getattr(read, name)) is type(getattr(orm, name)), name


@pytest.mark.django_db(transaction=True)
def test_the_locked_read_equals_the_orm_read_field_by_field(world):
    dossier = receive(world, when=at(2026, 11, 23, 9, 0))
    dossier_assign(actor=world.leader, dossier=dossier, assignee=world.specialist, at=at(2026, 11, 23, 10, 0))
    dossier_extend(
        actor=world.leader,
        dossier=dossier,
        reason="Chờ xác minh",
        new_due_at=at(2026, 12, 4, 16, 0),
        at=at(2026, 11, 24, 9, 0),
    )
    orm = _orm(dossier.pk)
    with transaction.atomic():
        by_code = sql.lock_dossier(code=dossier.code)
        by_pk = sql.lock_dossier(pk=dossier.pk)
    for read in (by_code, by_pk):
        attnames = [Dossier._meta.get_field(n).attname for n in sql.ACTION_FIELDS]
        _same(read, orm, attnames)
        assert read.received_at.utcoffset() == dt.timedelta(0)
        assert read.extended_at is not None
        _same(
            read.procedure,
            orm.procedure,
            ("id", *[f + "_id" if f == "field" else f for f in sql.ACTION_PROCEDURE_FIELDS]),
        )
        assert isinstance(read.procedure.duration_amount, Decimal)
        _same(read.handling_unit, orm.handling_unit, ("id", *sql.ACTION_UNIT_FIELDS))
        assert read.assignee.pk == world.specialist.pk
        assert read.assignee.username == "chuyenvien"
        # a column left out is read on first use, as with `only()`
        assert read.collected_by == orm.collected_by
        assert read.get_deferred_fields() >= {"search_text"}


@pytest.mark.django_db(transaction=True)
def test_the_locked_read_of_a_missing_dossier_is_none_and_needs_a_transaction(world):
    with transaction.atomic():
        assert sql.lock_dossier(code="00000-000000-0000") is None
        assert sql.lock_dossier(pk=10**9) is None
    with pytest.raises(TransactionManagementError):
        sql.lock_dossier(code="00000-000000-0000")


@pytest.mark.django_db
def test_a_dossier_without_specialist_has_no_assignee(world):
    dossier = receive(world)
    with transaction.atomic():
        read = sql.lock_dossier(pk=dossier.pk)
    assert read.assignee_id is None
    assert read.assignee is None


@pytest.mark.django_db
def test_the_event_rows_equal_the_orm_rows(world):
    dossier = receive(world, when=at(2026, 11, 23, 9, 0))
    dossier_assign(actor=world.leader, dossier=dossier, assignee=world.specialist, at=at(2026, 11, 23, 10, 0))
    orm = list(
        DossierEvent.objects.filter(dossier_id=dossier.pk)
        .order_by("occurred_at", "id")
        .values_list(*sql.EVENT_COLUMNS)
    )
    rows = sql.event_rows(dossier.pk)
    assert rows == orm
    assert len(rows) == 2
    for row, expected in zip(rows, orm, strict=True):
        assert [type(v) for v in row] == [type(v) for v in expected]
    assert rows[0][0] == at(2026, 11, 23, 9, 0)
    assert isinstance(rows[0][6], bool)
    assert sql.event_rows(10**9) == []
