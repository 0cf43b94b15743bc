"""Statements of the busiest paths, compiled by the ORM once per process instead of on every execution.

Django turns a queryset into SQL each time it runs it. For the read of a dossier with its units, procedure and
assignee that costs about 1 ms of CPU, several times what PostgreSQL needs to run it; a plain INSERT or UPDATE
costs 0.2–0.3 ms. The lifecycle benchmark (docs/performance.md) spends most of its time there.

- `Precompiled(build)`: `build(**slots)` returns the queryset; it is compiled once per shape (the number of
  items in each list slot) with marker values in the slots, and the positions of the markers in the compiled
  parameters are remembered. Later calls run the same SQL with the real values and build the objects with the
  ORM's own converters and related-object populators. Slots are strings and integers (or lists of them) that
  reach the SQL unchanged (equality and IN lookups); anything else is refused when compiled.
- `insert(obj)` / `update(obj, fields)`: the INSERT and UPDATE the ORM would send for a model without
  save signals, built once per model and field list. A model with pre/post-save receivers goes through `save()`.
- `update_row(model, pk, **values)`: the same UPDATE for a row known by its primary key, without an instance.
- `execute(sql, params, result)`: how all of them run their SQL. On PostgreSQL, with no query logging or
  execute wrapper installed, it reuses one psycopg cursor per connection and skips Django's cursor wrappers
  (about 40 µs of the 85 µs of CPU a one-row statement costs the client), keeping Django's translation of
  database errors and its broken-transaction check. Elsewhere, or when queries are being captured (DEBUG,
  tests' CaptureQueriesContext), it goes through `connection.cursor()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router
from django.db.models import Model, QuerySet
from django.db.models.fields import NOT_PROVIDED
from django.db.models.query import get_related_populators
from django.db.models.signals import post_save, pre_save

_STR_MARK = "\ue000cqtt-slot-{}\ue001"
_INT_BASE = -7_340_032_000_000


ALL, ONE, ROWCOUNT = "all", "one", "rowcount"


def execute(
    sql: str, params: Sequence[Any], result: str = ALL, *, using: str = DEFAULT_DB_ALIAS, connection=None
) -> Any:
    """Run one statement and return its rows (`ALL`), its first row (`ONE`) or the number of rows it changed
    (`ROWCOUNT`). `connection`: the caller's `connections[using]` (looking it up is not free)."""
    if connection is None:
        connection = connections[using]
    raw = connection.connection
    if (
        raw is not None
        and connection.vendor == "postgresql"
        and not connection.queries_logged
        and not connection.execute_wrappers
    ):
        cached = connection.__dict__.get("_cqtt_cursor")
        if cached is None or cached[0] is not raw:
            cached = (raw, connection.create_cursor())
            connection._cqtt_cursor = cached
        cursor = cached[1]
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors:
            cursor.execute(sql, params)
            return _result(cursor, result)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _result(cursor, result)


def _result(cursor, result: str) -> Any:
    if result == ALL:
        return cursor.fetchall()
    if result == ONE:
        return cursor.fetchone()
    return cursor.rowcount


class SlotError(ValueError):
    """A slot value was changed on its way into the SQL (e.g. a LIKE pattern), so it cannot be a slot."""


class _Shape:
    __slots__ = ("sql", "params", "empty", "converters", "model", "init_list", "start", "end", "populators")


class Precompiled:
    def __init__(self, build: Callable[..., QuerySet], *, values: bool = False):
        self._build = build
        self._values = values
        self._shapes: dict[tuple, _Shape] = {}
        self._db = DEFAULT_DB_ALIAS

    def __call__(self, **slots: Any) -> list:
        key = tuple(
            (name, len(v) if isinstance(v, list | tuple) else -1, type(v[0] if isinstance(v, list | tuple) and v else v))
            for name, v in sorted(slots.items())
        )  # fmt: skip
        shape = self._shapes.get(key)
        if shape is None:
            shape = self._compile(slots)
            self._shapes[key] = shape
        if shape.empty:
            return []
        connection = connections[self._db]
        params = [_value(ref, slots, connection) for ref in shape.params]
        rows = execute(shape.sql, params, ALL, connection=connection)
        if shape.converters:
            rows = list(_convert(rows, shape.converters, connection))
        if self._values:
            return [tuple(r) for r in rows]
        out = []
        for row in rows:
            obj = shape.model.from_db(self._db, shape.init_list, row[shape.start : shape.end])
            for populator in shape.populators:
                populator.populate(row, obj)
            out.append(obj)
        return out

    def _compile(self, slots: dict[str, Any]) -> _Shape:
        connection = connections[self._db]
        refs: dict[Any, tuple] = {}
        marked: dict[str, Any] = {}
        n = 0
        for name, value in slots.items():
            items = value if isinstance(value, list | tuple) else [value]
            marks = []
            for i, item in enumerate(items):
                ref = ("item", name, i) if isinstance(value, list | tuple) else ("slot", name)
                if isinstance(item, dt.date) and not isinstance(item, dt.datetime):
                    # a date reaches the SQL as the backend adapts it: the slot is adapted the same way
                    mark = dt.date(1001 + n, 1, 1)
                    refs[connection.ops.adapt_datefield_value(mark)] = ("date", *ref)
                elif isinstance(item, bool) or not isinstance(item, str | int):
                    raise SlotError(
                        f"slot {name!r}: strings, integers and dates only, not {type(item).__name__}"
                    )
                else:
                    mark = _STR_MARK.format(n) if isinstance(item, str) else _INT_BASE - n
                    refs[mark] = ref
                n += 1
                marks.append(mark)
            marked[name] = marks if isinstance(value, list | tuple) else marks[0]
        qs = self._build(**marked)
        if qs.db != self._db:
            raise SlotError("only the default database")
        compiler = qs.query.get_compiler(using=qs.db)
        shape = _Shape()
        shape.empty = False
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            shape.empty = True
            return shape
        positions, seen = [], set()
        for p in params:
            ref = refs.get(p) if isinstance(p, str | int | dt.date) and not isinstance(p, bool) else None
            if ref is not None:
                positions.append(ref)
                seen.add(p)
            elif isinstance(p, str) and "\ue000cqtt-slot-" in p:
                raise SlotError(f"a slot value was rewritten into {p!r}")
            else:
                positions.append(("const", p))
        if seen != set(refs):
            raise SlotError("a slot value did not reach the SQL unchanged")
        shape.sql, shape.params = sql, positions
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        shape.converters = compiler.get_converters(fields)
        if not self._values:
            if compiler.annotation_col_map:
                raise SlotError("annotations are not supported")
            klass_info, select = compiler.klass_info, compiler.select
            shape.model = klass_info["model"]
            select_fields = klass_info["select_fields"]
            shape.start, shape.end = select_fields[0], select_fields[-1] + 1
            shape.init_list = [f[0].target.attname for f in select[shape.start : shape.end]]
            shape.populators = get_related_populators(klass_info, select, qs.db)
        return shape


def _value(ref: tuple, slots: dict[str, Any], connection) -> Any:
    kind = ref[0]
    if kind == "const":
        return ref[1]
    if kind == "date":
        return connection.ops.adapt_datefield_value(_value(ref[1:], slots, connection))
    return slots[ref[1]] if kind == "slot" else slots[ref[1]][ref[2]]


def _convert(rows, converters, connection):
    """The ORM's converters (`SQLCompiler.apply_converters`) applied to fetched rows."""
    for row in rows:
        row = list(row)
        for pos, (convs, expression) in converters.items():
            value = row[pos]
            for converter in convs:
                value = converter(value, expression, connection)
            row[pos] = value
        yield row


# --- writes ------------------------------------------------------------------------------------------------

_INSERTS: dict[tuple, tuple] = {}
_UPDATES: dict[tuple, tuple] = {}


def _plain(model: type[Model]) -> bool:
    return not (pre_save.has_listeners(model) or post_save.has_listeners(model) or model._meta.parents)


def _insert_fields(model: type[Model], pk_set: bool) -> list | None:
    """The columns `save()` would INSERT, or None when the ORM's own path is needed (save signals, inherited
    models, values the database computes)."""
    if not _plain(model):
        return None
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if pk_set or f is not meta.auto_field]
    if any(hasattr(f, "get_placeholder") or f.db_default is not NOT_PROVIDED for f in fields):
        return None
    return fields


def insert(obj: Model) -> Model:
    """INSERT `obj` as `obj.save(force_insert=True)` would, for a model without save signals."""
    model = type(obj)
    using = router.db_for_write(model, instance=obj)
    connection = connections[using]
    meta = model._meta
    pk_set = obj.pk is not None
    key = (model, pk_set, using)
    entry = _INSERTS.get(key) if _plain(model) else None  # receivers may be connected at any time
    if entry is None:
        fields = _insert_fields(model, pk_set)
        if fields is None:
            obj.save(force_insert=True, using=using)
            return obj
        qn = connection.ops.quote_name
        returning = [f for f in meta.db_returning_fields if f in meta.local_concrete_fields and not pk_set]
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            qn(meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
        )
        can_return = bool(returning) and connection.features.can_return_columns_from_insert
        if can_return:
            sql = f"{sql} {connection.ops.return_insert_columns(returning)[0]}"
            returning = [(f, f.get_col(meta.db_table)) for f in returning]
        entry = (sql, fields, returning, can_return)
        _INSERTS[key] = entry
    sql, fields, returning, can_return = entry
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    if can_return:
        for (field, col), value in zip(
            returning, execute(sql, params, ONE, connection=connection), strict=True
        ):
            for converter in field.get_db_converters(connection) + connection.ops.get_db_converters(col):
                value = converter(value, col, connection)
            setattr(obj, field.attname, value)
    elif returning:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            setattr(
                obj, meta.pk.attname, connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)
            )
    else:
        execute(sql, params, ROWCOUNT, connection=connection)
    obj._state.adding = False
    obj._state.db = using
    return obj


def insert_many(objs: Sequence[Model]) -> None:
    """INSERT several new rows of one model in one statement, as `bulk_create` would (primary keys are set
    where the database returns them), for a model without save signals."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    using = router.db_for_write(model, instance=objs[0])
    connection = connections[using]
    fields = None if any(o.pk is not None for o in objs) else _insert_fields(model, False)
    if fields is None:
        model.objects.bulk_create(objs)
        return
    qn = connection.ops.quote_name
    row = "({})".format(", ".join(["%s"] * len(fields)))
    sql = "INSERT INTO {} ({}) VALUES {}".format(
        qn(meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join([row] * len(objs))
    )
    returning = [meta.pk] if connection.features.can_return_rows_from_bulk_insert else []
    if returning:
        sql = f"{sql} {connection.ops.return_insert_columns(returning)[0]}"
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]
    rows = execute(sql, params, ALL if returning else ROWCOUNT, connection=connection)
    if returning:
        for obj, (pk,) in zip(objs, rows, strict=True):
            setattr(obj, meta.pk.attname, pk)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using


def _update_statement(model: type[Model], names: Sequence[str], using: str, connection) -> tuple:
    """`UPDATE … SET <names> WHERE pk = %s` of `model` and its fields, built once per model and field list."""
    key = (model, tuple(names), using)
    entry = _UPDATES.get(key)
    if entry is None:
        meta = model._meta
        qn = connection.ops.quote_name
        field_objs = [meta.get_field(name) for name in names]
        sql = "UPDATE {} SET {} WHERE {} = %s".format(
            qn(meta.db_table), ", ".join(f"{qn(f.column)} = %s" for f in field_objs), qn(meta.pk.column)
        )
        entry = (sql, field_objs)
        _UPDATES[key] = entry
    return entry


def update_row(model: type[Model], pk: Any, **values: Any) -> None:
    """UPDATE the named columns of the row `pk` of `model` (a model without save signals: the row is changed as
    `update(obj, fields)` would change it for an instance holding these values; auto_now fields are not set)."""
    if not _plain(model):
        obj = model._default_manager.filter(pk=pk).first()
        if obj is None:
            raise DatabaseError(f"{model._meta.label} {pk} does not exist.")
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save(update_fields=list(values))
        return
    using = router.db_for_write(model)
    connection = connections[using]
    sql, field_objs = _update_statement(model, list(values), using, connection)
    params = [f.get_db_prep_save(v, connection) for f, v in zip(field_objs, values.values(), strict=True)]
    params.append(model._meta.pk.get_db_prep_value(pk, connection))
    if execute(sql, params, ROWCOUNT, connection=connection) == 0:
        raise DatabaseError(f"{model._meta.label} {pk} does not exist.")


def update(obj: Model, fields: Sequence[str]) -> None:
    """UPDATE the named fields of `obj` as `obj.save(update_fields=fields)` would, for a model without save
    signals (auto_now fields listed are set)."""
    model = type(obj)
    using = obj._state.db or router.db_for_write(model, instance=obj)
    if not _plain(model):
        obj.save(update_fields=fields, using=using)
        return
    connection = connections[using]
    sql, field_objs = _update_statement(model, fields, using, connection)
    params = [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in field_objs]
    params.append(model._meta.pk.get_db_prep_value(obj.pk, connection))
    if execute(sql, params, ROWCOUNT, connection=connection) == 0:
        raise DatabaseError("Save with update_fields did not affect any rows.")
