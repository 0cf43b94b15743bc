"""Reactions of the complaints app to other apps' events (ADR 0015, 0021)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cqtt.accounts.models import User
from cqtt.core.models import OutboxEvent
from cqtt.feedback import services as feedback

from . import rules
from .models import Case, Channel, Identity, Kind, Source

FEEDBACK_CHANNELS = {"paper_box": Channel.POST}  # the portal, e-mail, Zalo, Facebook and the hotline: online


@transaction.atomic
def on_feedback_event(event: OutboxEvent) -> None:
    """A complaint or denunciation recognised in the feedback inbox becomes a case of the same unit, received on
    the day the inbox received it, by the officer who moved it; a denunciation's sender and scan leave the inbox
    for the sealed record. Once per item."""
    if event.kind != "feedback.move_to_complaints":
        return
    payload = event.payload
    code = payload.get("code", "")
    if Case.objects.filter(source=Source.FEEDBACK, source_ref=code).exists():
        return
    from . import services

    track = (payload.get("data") or {}).get("track") or payload.get("kind")
    kind = Kind.DENUNCIATION if track == Kind.DENUNCIATION else Kind.COMPLAINT
    actor = User.objects.filter(pk=payload.get("actor_id")).first()
    probe = feedback.feedback_hand_over(pk=event.aggregate_id, seal=False)
    if probe is None or actor is None:
        return
    sender = probe.sender
    if kind == Kind.COMPLAINT and not sender.name:
        # a complaint needs its complainant's name (Luật Khiếu nại Art. 8): kept as a petition
        kind = Kind.PETITION

    def redact(text: str) -> str:
        return rules.redact(text, names=[sender.name], others=[sender.address, sender.phone, sender.email])

    item = feedback.feedback_hand_over(pk=event.aggregate_id, seal=kind == Kind.DENUNCIATION, redact=redact)
    case = services.case_receive(
        actor=actor,
        unit=item.unit,
        kind=kind,
        received_on=timezone.localtime(item.received_at).date(),
        channel=FEEDBACK_CHANNELS.get(item.channel, Channel.ONLINE),
        person={
            "full_name": sender.name,
            "address": sender.address,
            "phone": sender.phone,
            "email": sender.email,
        },
        content=item.content,
        source=Source.FEEDBACK,
        source_ref=item.code,
    )
    if item.scan_name:
        Identity.objects.filter(case=case).update(original_scan=item.scan_name)
