from datetime import datetime

import pytest

from cqtt.workdays import rules
from cqtt.workdays.selectors import _library, calendar_cache_clear


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture(scope="session")
def calendar() -> rules.Calendar:
    """The library-only national calendar, built without the database."""
    days, workdays = _library(2015, 2040)
    return rules.build_calendar(2015, 2040, library_holidays=days, library_workdays=workdays)


@pytest.fixture
def schedule() -> rules.Schedule:
    return rules.Schedule()


def at(day: str, clock: str = "10:00") -> datetime:
    """at('13/02/2026', '10:00') → aware datetime in Asia/Ho_Chi_Minh."""
    return datetime.strptime(f"{day} {clock}", "%d/%m/%Y %H:%M").replace(tzinfo=rules.TZ)
