"""Demo data of the evaluation app (filled by its issue)."""

from cqtt.evaluation.criteria_demo import load_demo_criteria
from cqtt.units.models import Unit


def load_demo_evaluation(*, units: list[Unit]) -> bool:
    """Create the demo evaluation data once; True when something was created."""
    created = False
    created = load_demo_criteria(units) or created
    return created
