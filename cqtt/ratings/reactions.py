"""What the ratings app does on a dossier change (outbox, ADR 0015): the counter's kiosk asks for a rating when
the citizen is served at the counter (reception, return of the result); a rated dossier's indicators are
recomputed when it is finished."""

from __future__ import annotations

from cqtt.core.models import OutboxEvent
from cqtt.dossiers.models import Dossier

from . import services


def on_dossier_event(event: OutboxEvent) -> None:
    action = event.kind.split(".", 1)[1]
    if action not in services.FINAL_ACTIONS and action != "receive":
        return
    dossier = Dossier.objects.filter(pk=event.aggregate_id).first()
    if dossier is None:
        return
    if action == "receive" or action in services.RETURN_ACTIONS:
        services.prompt_open(
            dossier=dossier, action=action, officer_id=event.payload.get("actor_id"), at=event.created_at
        )
    if action in services.FINAL_ACTIONS:
        services.indicators_refresh(dossier=dossier)
