"""psycopg's compiled timestamp loader gives exactly what Django's own loader gives."""

import datetime as dt

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

VALUES = [
    "2026-11-21 18:54:09.949383+00",
    "2026-01-01 07:00:00+07",
    "2025-03-09 23:59:59.5-05:30",
    "1990-06-01 00:00:00+00",
    "2040-12-31 16:59:59.999999+00",
]


def test_connections_use_the_compiled_loader_with_the_same_values_as_djangos():
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    sql = "SELECT " + ", ".join(f"'{v}'::timestamptz" for v in VALUES)
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(1184, 0)
        assert loader.__name__ == "CompiledUtcLoader"
        cursor.execute(sql)
        compiled = cursor.fetchone()
    with connection.cursor() as cursor:
        register_tzloader(dt.UTC, cursor.cursor)  # Django's own loader, on this cursor only
        cursor.execute(sql)
        djangos = cursor.fetchone()
    assert compiled == djangos
    assert [v.tzinfo for v in compiled] == [dt.UTC] * len(VALUES)
    assert [v.isoformat() for v in compiled] == [v.isoformat() for v in djangos]
