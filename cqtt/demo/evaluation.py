"""Demo data of the evaluation app: the read model rebuilt from the demo's dossiers, ratings, feedback, letters and
commitments (the demo loader writes some of them without going through the outbox), so the pages show numbers."""

from cqtt.evaluation.models import UnitMonthFact
from cqtt.evaluation.read_model import facts_rebuild
from cqtt.units.models import Unit


def load_demo_evaluation(*, units: list[Unit]) -> bool:
    """Rebuild the read model (idempotent: the same rows every time); True when it was empty before."""
    was_empty = not UnitMonthFact.objects.exists()
    return facts_rebuild() > 0 and was_empty
