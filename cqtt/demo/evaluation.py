"""Demo data of the evaluation app: the read model rebuilt from the demo's dossiers, ratings, feedback, letters and
commitments (the demo loader writes some of them without going through the outbox), so the pages show numbers."""

from cqtt.evaluation.criteria_demo import load_demo_criteria
from cqtt.evaluation.models import UnitMonthFact
from cqtt.evaluation.read_model import facts_rebuild
from cqtt.units.models import Unit


def load_demo_evaluation(*, units: list[Unit]) -> bool:
    """Create the demo evaluation data once (criteria, cycles, targets), then rebuild the indices' read model
    (idempotent: the same rows every time); True when something was created."""
    created = False
    created = load_demo_criteria(units) or created
    was_empty = not UnitMonthFact.objects.exists()
    created = (facts_rebuild() > 0 and was_empty) or created
    return created
