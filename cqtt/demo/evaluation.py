"""Demo data of the evaluation app (filled by its issue)."""

from cqtt.units.models import Unit


def load_demo_evaluation(*, units: list[Unit]) -> bool:
    """Create the demo evaluation data once; True when something was created."""
    return False
