"""Pure rules for the unit tree (no database)."""

import datetime as dt

from cqtt.core.text import fold

# AdministrativeUnitId in the national dataset → (level, kind)
NATIONAL_KINDS = {
    1: ("province", "city"),
    2: ("province", "province"),
    3: ("commune", "ward"),
    4: ("commune", "commune"),
    5: ("commune", "special_zone"),
}


def unit_path(code: str, parent_path: str | None) -> str:
    return f"{parent_path or ''}{code}/"


def unit_province_code(code: str, level: str, parent_province_code: str | None) -> str:
    if level == "province" or not parent_province_code:
        return code if level == "province" else (parent_province_code or "")
    return parent_province_code


def unit_search_text(*parts: str) -> str:
    return " ".join(fold(p) for p in parts if p)


# --- counter cameras: the footage window of a request and when the recorders overwrite it ---------------------

FOOTAGE_BEFORE = dt.timedelta(minutes=30)  # a rating comes at the end of the service: look back this far
FOOTAGE_AFTER = dt.timedelta(minutes=5)
REMINDER_DAYS = 2
RETENTION_MAX_DAYS = 365


def footage_window(at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The time window of the footage behind a rating given at `at`."""
    return at - FOOTAGE_BEFORE, at + FOOTAGE_AFTER


def retention_ends(ends_at: dt.datetime, retention_days: list[int]) -> dt.datetime | None:
    """When the first recorder overwrites the window's end: the end plus the shortest retention (None: no camera)."""
    return ends_at + dt.timedelta(days=min(retention_days)) if retention_days else None


def footage_due_soon(retention_ends_at: dt.datetime | None, now: dt.datetime) -> bool:
    """True while the footage still exists but is overwritten within REMINDER_DAYS."""
    return retention_ends_at is not None and now < retention_ends_at <= now + dt.timedelta(days=REMINDER_DAYS)
