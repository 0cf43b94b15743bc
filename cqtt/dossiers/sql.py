"""Named SQL of the transition hot path, run through `connection.cursor()` (ADR 0010).

Every transition reads its dossier once under a row lock, and every action answer lists the dossier's events.
Compiled by the ORM on each call, those two reads cost more client CPU than everything else the request does to
the database (the locked read alone: 0.7 ms, of which 0.06 ms is the statement itself). Here each one is
written once per process from the models' own column names, and its rows become model instances with the
documented `Model.from_db` and each field's `to_python`. `tests/dossiers/test_sql.py` holds them equal to the ORM's
reads on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC
from functools import cache

from django.db import connection, models, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from cqtt.accounts.models import User
from cqtt.procedures.models import Procedure
from cqtt.units.models import Unit

from .models import Dossier, DossierEvent

# What a transition reads with the dossier (and answers with): the dossier's own columns, then its procedure's,
# its handling unit's and its specialist's username. A column left out is read on first use.
ACTION_FIELDS = (
    "code", "lookup_token", "procedure", "receiving_unit", "handling_unit", "current_unit", "status", "channel",
    "delivery", "applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone", "applicant_email",
    "applicant_address", "submitted_at", "received_at", "due_at", "original_due_at", "stat_due_at", "extended_at",
    "supplement_count", "assignee", "finished_at", "returned_at", "timeliness", "stat_timeliness", "fees_total",
    "book_number", "version", "step_seq", "step_due_at",
)  # fmt: skip
ACTION_PROCEDURE_FIELDS = (
    "code",
    "name",
    "updated_at",
    "duration_amount",
    "duration_unit",
    "life_event",
    "field",
)
ACTION_UNIT_FIELDS = ("code", "full_name", "path", "province_code")
EVENT_COLUMNS = ("occurred_at", "action", "from_status", "to_status", "actor__username", "note", "is_public")


def _converter(field: models.Field):
    """How a value the driver returns becomes the field's Python value: `to_python` where a backend may return
    another type (SQLite: text datetimes, integer booleans, float decimals), datetimes made aware in UTC (the
    connection's time zone); None where the driver's value is already right."""
    if isinstance(field, models.DateTimeField):

        def datetime_value(value):
            if value is None:
                return None
            value = field.to_python(value)
            return value.replace(tzinfo=UTC) if timezone.is_naive(value) else value

        return datetime_value
    if isinstance(field, models.DecimalField | models.BooleanField):
        return field.to_python
    return None


class _Part:
    """One model's columns in a statement: the fields' attribute names for `from_db`, their quoted columns under
    a table alias, and their converters."""

    def __init__(self, model: type[models.Model], names: tuple[str, ...], alias: str):
        wanted = {model._meta.pk.name, *names}
        fields = [
            f for f in model._meta.concrete_fields if f.name in wanted
        ]  # `from_db` takes them in this order
        self.model = model
        self.attnames = [f.attname for f in fields]
        quote = connection.ops.quote_name
        self.columns = [f"{alias}.{quote(f.column)}" for f in fields]
        self.converters = [(i, c) for i, f in enumerate(fields) if (c := _converter(f)) is not None]

    def build(self, values: list) -> models.Model:
        for i, convert in self.converters:
            values[i] = convert(values[i])
        return self.model.from_db(connection.alias, self.attnames, values)


@cache
def _locked_read(by: str) -> tuple[str, _Part, _Part, _Part]:
    quote = connection.ops.quote_name
    dossier = _Part(Dossier, ACTION_FIELDS, "d")
    procedure = _Part(Procedure, ACTION_PROCEDURE_FIELDS, "p")
    unit = _Part(Unit, ACTION_UNIT_FIELDS, "u")
    d = Dossier._meta
    fk = {n: quote(d.get_field(n).column) for n in ("procedure", "handling_unit", "assignee", by)}
    lock = ""
    if connection.features.has_select_for_update:
        lock = " FOR UPDATE OF d" if connection.features.has_select_for_update_of else " FOR UPDATE"
    sql = (
        f"SELECT {', '.join(dossier.columns + procedure.columns + unit.columns)}, a.{quote('username')}"
        f" FROM {quote(d.db_table)} d"
        f" JOIN {quote(Procedure._meta.db_table)} p ON p.{quote('id')} = d.{fk['procedure']}"
        f" JOIN {quote(Unit._meta.db_table)} u ON u.{quote('id')} = d.{fk['handling_unit']}"
        f" LEFT JOIN {quote(User._meta.db_table)} a ON a.{quote('id')} = d.{fk['assignee']}"
        f" WHERE d.{fk[by]} = %s LIMIT 1{lock}"
    )
    return sql, dossier, procedure, unit


def lock_dossier(*, code: str | None = None, pk: int | None = None) -> Dossier | None:
    """Inside a transaction: the dossier by `code` or `pk`, locked (`FOR UPDATE OF` the dossier only: not its
    units or procedure, which other dossiers share), with its procedure, handling unit and specialist's
    username, narrowed to `ACTION_FIELDS`; None when there is no such dossier."""
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
    by = "code" if code is not None else "id"
    sql, dossier_part, procedure_part, unit_part = _locked_read(by)
    with connection.cursor() as cursor:
        cursor.execute(sql, [code if code is not None else pk])
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    a, b = len(dossier_part.attnames), len(dossier_part.attnames) + len(procedure_part.attnames)
    c = b + len(unit_part.attnames)
    dossier = dossier_part.build(row[:a])
    dossier.procedure = procedure_part.build(row[a:b])
    dossier.handling_unit = unit_part.build(row[b:c])
    if dossier.assignee_id is not None:
        dossier.assignee = User.from_db(connection.alias, ["id", "username"], [dossier.assignee_id, row[c]])
    return dossier


@cache
def _events_read() -> tuple[str, list]:
    quote = connection.ops.quote_name
    e = DossierEvent._meta
    fields = [e.get_field(n) for n in EVENT_COLUMNS if "__" not in n]
    columns = [f"e.{quote(f.column)}" for f in fields]
    columns.insert(EVENT_COLUMNS.index("actor__username"), f"a.{quote('username')}")
    converters = []
    for i, name in enumerate(EVENT_COLUMNS):
        if "__" not in name and (convert := _converter(e.get_field(name))) is not None:
            converters.append((i, convert))
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(e.db_table)} e"
        f" LEFT JOIN {quote(User._meta.db_table)} a ON a.{quote('id')} = e.{quote(e.get_field('actor').column)}"
        f" WHERE e.{quote(e.get_field('dossier').column)} = %s"
        f" ORDER BY e.{quote('occurred_at')}, e.{quote('id')}"
    )
    return sql, converters


def event_rows(dossier_id: int) -> list[tuple]:
    """The dossier's events as tuples of `EVENT_COLUMNS`, oldest first."""
    sql, converters = _events_read()
    with connection.cursor() as cursor:
        cursor.execute(sql, [dossier_id])
        rows = cursor.fetchall()
    if not converters:
        return [tuple(r) for r in rows]
    out = []
    for r in rows:
        r = list(r)
        for i, convert in converters:
            r[i] = convert(r[i])
        out.append(tuple(r))
    return out
