"""Demo data of the complaints app (filled by its issue)."""

from cqtt.units.models import Unit


def load_demo_complaints(*, units: list[Unit]) -> bool:
    """Create the demo complaints data once; True when something was created."""
    return False
