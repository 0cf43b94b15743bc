"""What the reception app does on a complaints event (outbox, ADR 0021): a case opened from a visit that is
accepted, refused or transferred records the visit's answer of Art. 28."""

from __future__ import annotations

from cqtt.core.models import OutboxEvent

from . import services


def on_case_event(event: OutboxEvent) -> None:
    payload = event.payload or {}
    if payload.get("source") != "reception_visit":
        return
    action = event.kind.split(".", 1)[1]
    if action not in services.CASE_ANSWERS:
        return
    ref = str(payload.get("source_ref") or "")
    if not ref.isdigit():
        return
    services.visit_answer_from_case(
        visit_id=int(ref), action=action, case_code=payload.get("code", ""), at=event.created_at
    )
