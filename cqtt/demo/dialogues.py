"""Demo data of the dialogues app (filled by its issue)."""

from cqtt.units.models import Unit


def load_demo_dialogues(*, units: list[Unit]) -> bool:
    """Create the demo dialogues data once; True when something was created."""
    return False
