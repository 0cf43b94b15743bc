"""Precompiled reads and plain writes answer exactly what the ORM answers."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cqtt.core import fastsql
from cqtt.core.models import AuditEvent
from cqtt.units.models import Unit
from tests.factories import make_commune, make_province, make_user

pytestmark = pytest.mark.django_db

UNITS = fastsql.Precompiled(
    lambda codes, level: (
        Unit.objects.filter(code__in=codes, level=level).select_related("parent").order_by("code")
    )
)
NAMES = fastsql.Precompiled(
    lambda parent_id: Unit.objects.filter(parent_id=parent_id).order_by("code").values_list("code", "name"),
    values=True,
)


def _fields(unit: Unit) -> dict:
    return {f.attname: getattr(unit, f.attname) for f in Unit._meta.concrete_fields}


def test_precompiled_read_builds_the_same_objects_as_the_orm_with_their_related_rows():
    province = make_province("91", "Tỉnh Một")
    a, b = make_commune(province, "91001", "Phường Ánh"), make_commune(province, "91002", "Xã Bình")
    for codes in (["91001", "91002"], ["91002"], ["91002", "91001", "00000"]):
        got = UNITS(codes=codes, level="commune")
        want = list(
            Unit.objects.filter(code__in=codes, level="commune").select_related("parent").order_by("code")
        )
        assert [_fields(u) for u in got] == [_fields(u) for u in want]
        with CaptureQueriesContext(connection) as ctx:
            assert {u.parent.full_name for u in got} == {"Tỉnh Một"}  # loaded with the row: no query
        assert not ctx.captured_queries
    assert UNITS(codes=[], level="commune") == []
    assert UNITS(codes=["91001"], level="province") == []
    assert NAMES(parent_id=province.pk) == [("91001", "Phường Ánh"), ("91002", "Xã Bình")]
    assert {a.pk, b.pk} == {u.pk for u in UNITS(codes=["91001", "91002"], level="commune")}


def test_a_slot_the_orm_rewrites_is_refused():
    rewritten = fastsql.Precompiled(lambda prefix: Unit.objects.filter(code__startswith=prefix))
    with pytest.raises(fastsql.SlotError):
        rewritten(prefix="91")
    with pytest.raises(fastsql.SlotError):
        UNITS(codes=[1.5], level="commune")


def test_date_slots_reach_the_sql_as_the_backend_adapts_them():
    from cqtt.dossiers.models import DailySequence

    unit = make_commune(make_province("93"), "93001")
    for day, last in [(dt.date(2026, 1, 5), 3), (dt.date(2026, 1, 6), 7), (dt.date(2026, 2, 1), 1)]:
        DailySequence.objects.create(unit=unit, day=day, last=last)
    upto = fastsql.Precompiled(
        lambda unit_id, day: DailySequence.objects.filter(unit_id=unit_id, day__lte=day).order_by("day")
    )
    for day in (dt.date(2026, 1, 5), dt.date(2026, 1, 31), dt.date(2025, 12, 31)):
        got = [(r.day, r.last) for r in upto(unit_id=unit.pk, day=day)]
        want = [
            (r.day, r.last)
            for r in DailySequence.objects.filter(unit_id=unit.pk, day__lte=day).order_by("day")
        ]
        assert got == want
    assert len(upto(unit_id=unit.pk, day=dt.date(2026, 1, 31))) == 2


def test_insert_and_update_write_what_save_writes():
    actor = make_user("fastsql-actor")
    at = timezone.now()
    event = fastsql.insert(
        AuditEvent(
            occurred_at=at, actor=actor, action="thử", object_type="x", object_id="1", data={"ý": [1, 2]}
        )
    )
    assert event.pk and not event._state.adding
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.occurred_at, stored.actor_id, stored.action, stored.data) == (
        at,
        actor.pk,
        "thử",
        {"ý": [1, 2]},
    )
    event.summary, event.action = "Đã sửa", "không đổi"
    fastsql.update(event, ["summary"])
    stored.refresh_from_db()
    assert (stored.summary, stored.action) == ("Đã sửa", "thử")
    ghost = AuditEvent(pk=10**9, occurred_at=at, action="x")
    with pytest.raises(DatabaseError):
        fastsql.update(ghost, ["summary"])


def test_insert_many_writes_every_row_in_one_statement():
    at = timezone.now()
    events = [
        AuditEvent(occurred_at=at, action=f"việc {i}", object_type="x", object_id=str(i)) for i in range(3)
    ]
    with CaptureQueriesContext(connection) as ctx:
        fastsql.insert_many(events)
    assert len([q for q in ctx.captured_queries if q["sql"].startswith("INSERT")]) == 1
    stored = AuditEvent.objects.filter(object_type="x").order_by("object_id")
    assert [(e.action, e.data) for e in stored] == [("việc 0", {}), ("việc 1", {}), ("việc 2", {})]
    if connection.features.can_return_rows_from_bulk_insert:
        assert [e.pk for e in events] == [e.pk for e in stored]
    fastsql.insert_many([])


def test_models_with_save_signals_go_through_save():
    heard = []

    def receiver(sender, instance, **kw):
        heard.append(instance.code)

    post_save.connect(receiver, sender=Unit, dispatch_uid="fastsql-test")
    try:
        province = make_province("92", "Tỉnh Hai")
        unit = fastsql.insert(Unit(code="92001", name="Phường Ba", full_name="Phường Ba", level="commune",
                                   kind="ward", parent=province, path=f"{province.path}92001/"))  # fmt: skip
        unit.name = "Phường Bốn"
        fastsql.update(unit, ["name", "updated_at"])
    finally:
        post_save.disconnect(dispatch_uid="fastsql-test", sender=Unit)
    assert heard[-2:] == ["92001", "92001"]
    assert Unit.objects.get(code="92001").name == "Phường Bốn"


def test_execute_answers_rows_first_row_and_row_count():
    province = make_province("92", "Tỉnh Hai")
    make_commune(province, "92001", "Phường Ánh")
    table = Unit._meta.db_table
    assert fastsql.execute(f"SELECT code FROM {table} WHERE code = %s", ["92001"]) == [("92001",)]
    assert fastsql.execute(f"SELECT code FROM {table} WHERE code = %s", ["x"], fastsql.ONE) is None
    changed = fastsql.execute(
        f"UPDATE {table} SET name = %s WHERE code = %s", ["Ánh", "92001"], fastsql.ROWCOUNT
    )
    assert changed == 1
    assert Unit.objects.get(code="92001").name == "Ánh"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the direct path is PostgreSQL's")
def test_execute_on_postgresql_reuses_one_cursor_and_keeps_djangos_error_handling():
    from django.db import IntegrityError, transaction
    from django.db.transaction import TransactionManagementError

    province = make_province("93", "Tỉnh Ba")
    make_commune(province, "93001", "Phường Ánh")
    table = Unit._meta.db_table
    fastsql.execute("SELECT 1", [])
    first = connection._cqtt_cursor
    fastsql.execute("SELECT 2", [])
    assert connection._cqtt_cursor is first and first[0] is connection.connection
    with transaction.atomic():
        with pytest.raises(IntegrityError):  # Django's class, as through connection.cursor()
            with transaction.atomic():
                fastsql.execute(f"UPDATE {table} SET code = %s WHERE code = %s", [province.code, "93001"])
        assert fastsql.execute("SELECT 3", [], fastsql.ONE) == (3,)
    with pytest.raises(TransactionManagementError):
        with transaction.atomic():
            try:
                with transaction.atomic(savepoint=False):
                    fastsql.execute(f"UPDATE {table} SET code = %s WHERE code = %s", [province.code, "93001"])
            except IntegrityError:
                pass
            fastsql.execute("SELECT 4", [])  # the transaction is broken: refused as Django refuses it


def test_execute_is_seen_by_query_capture():
    with CaptureQueriesContext(connection) as ctx:
        fastsql.execute("SELECT %s", [1])
        UNITS(codes=["x"], level="commune")
    assert len(ctx.captured_queries) == 2


def test_update_row_changes_only_the_named_columns_of_that_row():
    at = timezone.now()
    a = fastsql.insert(
        AuditEvent(occurred_at=at, action="một", object_type="x", object_id="1", data={"k": 1})
    )
    b = fastsql.insert(AuditEvent(occurred_at=at, action="hai", object_type="x", object_id="2"))
    before = {f.attname: getattr(a, f.attname) for f in AuditEvent._meta.concrete_fields}
    fastsql.update_row(AuditEvent, a.pk, action="ba", data={"k": 2})
    stored = AuditEvent.objects.get(pk=a.pk)
    after = {f.attname: getattr(stored, f.attname) for f in AuditEvent._meta.concrete_fields}
    assert after == before | {"action": "ba", "data": {"k": 2}}
    assert AuditEvent.objects.get(pk=b.pk).action == "hai"
    with pytest.raises(DatabaseError):
        fastsql.update_row(AuditEvent, 10**9, action="x")


def test_update_row_of_a_model_with_save_signals_goes_through_save():
    province = make_province("94", "Tỉnh Bốn")
    unit = make_commune(province, "94001", "Phường Ánh")
    heard = []

    def receiver(sender, instance, **kw):
        heard.append(instance.pk)

    post_save.connect(receiver, sender=Unit, dispatch_uid="fastsql-row")
    try:
        fastsql.update_row(Unit, unit.pk, name="Phường Ánh Sáng")
        with pytest.raises(DatabaseError):
            fastsql.update_row(Unit, 10**9, name="x")
    finally:
        post_save.disconnect(dispatch_uid="fastsql-row", sender=Unit)
    assert heard == [unit.pk] and Unit.objects.get(pk=unit.pk).name == "Phường Ánh Sáng"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the direct path is PostgreSQL's")
def test_direct_path_reads_timestamps_as_django_does():
    import datetime as dt_

    at = dt_.datetime(2026, 11, 21, 18, 54, 9, 949383, tzinfo=dt_.UTC)
    event = fastsql.insert(AuditEvent(occurred_at=at, action="giờ", object_type="x", object_id="1"))
    table, pk = AuditEvent._meta.db_table, event.pk
    (direct,) = fastsql.execute(f"SELECT occurred_at FROM {table} WHERE id = %s", [pk], fastsql.ONE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT occurred_at FROM {table} WHERE id = %s", [pk])
        (django_read,) = cursor.fetchone()
    assert direct == django_read == at
    assert direct.tzinfo is django_read.tzinfo is dt_.UTC
    assert direct.isoformat() == django_read.isoformat()
