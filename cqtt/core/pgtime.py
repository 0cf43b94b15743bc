"""PostgreSQL timestamps read by psycopg's compiled loader.

Django registers, on every PostgreSQL connection, a `timestamptz` loader written in Python: a subclass of
psycopg's pure-Python loader that sets the time zone of the values it returns. Parsing timestamps with it was
about a tenth of the Python work of a dossier transition. With USE_TZ and the session in UTC (Django sets it
so), psycopg's compiled loader returns exactly the same aware UTC datetimes; this module puts it in place of
Django's on each new connection (`connection_created`), behind a thin wrapper that keeps the `timezone`
attribute Django's `create_cursor` compares with.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def _compiled_loader():
    try:
        from psycopg import adapters, postgres
        from psycopg.adapt import Loader
        from psycopg.pq import Format
    except ImportError:  # pragma: no cover - psycopg 2
        return None, None
    oid = postgres.types["timestamptz"].oid
    compiled = adapters.get_loader(oid, Format.TEXT)
    if compiled is None or compiled.__module__.startswith("psycopg.types"):
        return None, None  # psycopg's pure-Python build: nothing to gain

    class CompiledUtcLoader(Loader):
        """Delegates to the compiled loader (which cannot be subclassed); `timezone` is what Django's
        `create_cursor` compares with the connection's before registering its own loader on a cursor."""

        timezone = dt.UTC

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._compiled = compiled(oid, context)

        def load(self, data):
            return self._compiled.load(data)

    return oid, CompiledUtcLoader


_OID, _LOADER = _compiled_loader()


def use_compiled_timestamp_loader(sender, connection, **kwargs) -> None:
    """`connection_created` receiver."""
    if _LOADER is None or connection.vendor != "postgresql":
        return
    if not settings.USE_TZ or connection.timezone_name != "UTC":
        return
    connection.connection.adapters.register_loader(_OID, _LOADER)
