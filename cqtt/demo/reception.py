"""Demo data of the reception app (filled by its issue)."""

from cqtt.units.models import Unit


def load_demo_reception(*, units: list[Unit]) -> bool:
    """Create the demo reception data once; True when something was created."""
    return False
