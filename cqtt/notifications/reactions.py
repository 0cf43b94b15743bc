"""What the notifications app does when a domain event arrives from the outbox (subscribed in `apps.py`). Each
handler runs in the transaction that records the event's delivery to it, so its messages are written once,
with the delivery, or not at all (and then again on the next try)."""

from __future__ import annotations

from cqtt.core.models import OutboxEvent
from cqtt.units.models import Unit

from . import rules, services
from .models import Recipient


def on_dossier_event(event: OutboxEvent) -> None:
    """A dossier change: the citizen's notice on the channels chosen at intake (`payload["contacts"]` on the
    event that created the dossier)."""
    payload = event.payload
    action = event.kind.split(".", 1)[1]
    contacts = payload.get("contacts")
    if contacts:
        recipient = services.recipient_from_contacts(
            stream="dossier", aggregate_id=event.aggregate_id, contacts=contacts, at=event.created_at
        )
    else:
        recipient = Recipient.objects.filter(stream="dossier", aggregate_id=event.aggregate_id).first()
    if recipient is None or not (recipient.sms or recipient.email or recipient.zalo):
        return
    notice = rules.notice_for(action, payload, at=event.created_at)
    if notice is None:
        return
    ids = {payload["handling_unit_id"], payload.get("receiving_unit_id") or payload["handling_unit_id"]}
    units = Unit.objects.in_bulk(ids)
    unit = units[payload["handling_unit_id"]]
    receiving = units.get(payload.get("receiving_unit_id"), unit)
    values = services.dossier_values(
        payload, unit=unit, receiving=receiving, recipient=recipient, config=services.unit_settings(unit)
    )
    services.messages_for_event(
        key_prefix=f"outbox-{event.pk}",
        unit=unit,
        recipient=recipient,
        event=notice,
        values=values,
        subject_code=payload.get("code", ""),
        at=event.created_at,
    )
