"""What the letters app does on a dossier change (outbox, ADR 0015): the congratulation or condolence drafted
when a birth, marriage or death registration is returned; the apology signed by an extension made through the
dossier's own action; the apology sweep for this dossier on every other change."""

from __future__ import annotations

import datetime as dt

from cqtt.accounts.models import User
from cqtt.core.models import OutboxEvent
from cqtt.dossiers.models import Dossier

from . import rules, services


def on_dossier_event(event: OutboxEvent) -> None:
    payload = event.payload
    action = event.kind.split(".", 1)[1]
    dossier = (
        Dossier.objects.select_related("procedure", "handling_unit", "receiving_unit")
        .filter(pk=event.aggregate_id)
        .first()
    )
    if dossier is None:
        return
    kind = rules.life_event_letter(action, payload)
    if kind is not None:
        letter = services.letter_draft(
            actor=None, kind=kind, dossier=dossier, source="return", at=event.created_at
        )
        data = payload.get("data") or {}
        if letter is not None and data.get("life_event_letter") is False:
            # the officer said at the counter that no letter should go: recorded, with the reason
            services.letter_not_sent(
                letter=letter, reason=data.get("letter_reason", ""), actor_id=payload.get("actor_id")
            )
        return
    if action == "extend":
        data = payload.get("data") or {}
        actor = User.objects.filter(pk=payload.get("actor_id")).first() if payload.get("actor_id") else None
        services.letter_signed_by_extension(
            dossier=dossier,
            actor=actor,
            reason=data.get("reason", ""),
            new_due_at=dt.datetime.fromisoformat(data["new_due_at"]),
            at=event.created_at,
        )
        return
    services.apology_check(dossier=dossier)
