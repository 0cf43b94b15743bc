"""Reads of the dialogues app. Staff reads are scoped to the units the user's roles reach (every role reads, the
Fatherland Front's observer included; another unit's dialogue is 404); public reads give announced and past
dialogues only, and no personal data (no asker's name or phone, the owner's position only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from cqtt.accounts.models import User
from cqtt.accounts.permissions import visible_unit_ids
from cqtt.core.errors import NotInScope
from cqtt.feedback import rules as feedback_rules
from cqtt.feedback import selectors as feedback_selectors
from cqtt.notifications.selectors import units_for
from cqtt.units.models import Unit
from cqtt.workdays.rules import ExplanationItem
from cqtt.workdays.selectors import calendar_for

from . import rules
from .models import (
    PUBLIC_STATUSES,
    Commitment,
    CommitmentStatus,
    Dialogue,
    DialogueEvent,
    Question,
    QuestionStatus,
)

PUBLIC_QUESTION_STATUSES = (QuestionStatus.ACCEPTED, QuestionStatus.ANSWERED)


def dialogue_units(user) -> list[Unit]:
    """The communes whose dialogues the user may open (any role reaching them)."""
    return units_for(user, rules.READERS)


def _scoped(user) -> QuerySet[Dialogue]:
    ids = visible_unit_ids(user)
    return Dialogue.objects.all() if ids is None else Dialogue.objects.filter(unit_id__in=ids)


def _clean_code(code: str) -> str | None:
    if not code or len(code) > 20 or "\x00" in code:
        return None
    return code.strip().upper()


def dialogue_list_for(
    *, user, unit: Unit, year: int | None = None, now_day: dt.date | None = None
) -> QuerySet[Dialogue]:
    """The unit's dialogues (of a year), latest first, each with its counts of questions and of commitments:
    `n_commitments`, `n_kept` (done on or before the due date), `n_overdue` (open after it)."""
    qs = _scoped(user).filter(unit=unit)
    if year:
        qs = qs.filter(starts_at__year=year)
    day = now_day or today()
    return qs.annotate(
        n_questions=Count("questions", distinct=True),
        n_commitments=Count("commitments", distinct=True),
        n_kept=Count(
            "commitments",
            filter=Q(
                commitments__status=CommitmentStatus.DONE,
                commitments__done_on__lte=F("commitments__due_date"),
            ),
            distinct=True,
        ),
        n_overdue=Count(
            "commitments",
            filter=Q(commitments__status=CommitmentStatus.OPEN, commitments__due_date__lt=day),
            distinct=True,
        ),
    ).order_by("-starts_at", "-pk")


def access_dialogue(*, user, code: str) -> Dialogue:
    code = _clean_code(code)
    dialogue = _scoped(user).select_related("unit").filter(code=code).first() if code else None
    if dialogue is None:
        raise NotInScope("dialogue")
    return dialogue


def access_question(*, user, pk: int) -> Question:
    ids = visible_unit_ids(user)
    qs = Question.objects.select_related("dialogue__unit").filter(pk=pk)
    if ids is not None:
        qs = qs.filter(dialogue__unit_id__in=ids)
    question = qs.first()
    if question is None:
        raise NotInScope("question")
    return question


def access_commitment(*, user, pk: int | str) -> Commitment:
    """The commitment if the user reaches its unit; `NotInScope` (404) otherwise, and for an id that is not one
    (the API's path takes any text, so a wrong id answers JSON, not the site's HTML 404)."""
    if isinstance(pk, str):
        if not pk.isascii() or not pk.isdigit() or len(pk) > 18:
            raise NotInScope("commitment")
        pk = int(pk)
    ids = visible_unit_ids(user)
    qs = Commitment.objects.select_related("dialogue__unit", "owner").filter(pk=pk)
    if ids is not None:
        qs = qs.filter(dialogue__unit_id__in=ids)
    commitment = qs.first()
    if commitment is None:
        raise NotInScope("commitment")
    return commitment


def yearly_minimum_for(*, user, unit: Unit, year: int) -> list[rules.Requirement]:
    rows = _scoped(user).filter(unit=unit, starts_at__year=year).values_list("kind", "status", "starts_at")
    return rules.yearly_minimum((k, s, timezone.localtime(at).month) for k, s, at in rows)


def questions_of(*, dialogue: Dialogue) -> list[Question]:
    return list(dialogue.questions.select_related("merged_into"))


def today() -> dt.date:
    return timezone.localdate()


def _flag(commitments: list[Commitment], now_day: dt.date) -> list[Commitment]:
    for c in commitments:
        c.overdue = rules.is_overdue(status=c.status, due_date=c.due_date, today=now_day)
        c.kept = rules.kept_on_time(status=c.status, due_date=c.due_date, done_on=c.done_on)
    return commitments


def commitments_of(*, dialogue: Dialogue, now_day: dt.date | None = None) -> list[Commitment]:
    """The dialogue's commitments, each with `overdue` and `kept` (on time: True/False, None while open)."""
    rows = list(dialogue.commitments.select_related("owner", "question"))
    return _flag(rows, now_day or today())


def commitment_list_for(
    *, user, unit: Unit, status: str = "", owner=None, now_day: dt.date | None = None
) -> list[Commitment]:
    """The unit's commitments from every dialogue, the earliest due first, flagged; `status` is a
    `CommitmentStatus` or "overdue" (open after its due date); `owner` keeps one officer's."""
    ids = visible_unit_ids(user)
    qs = Commitment.objects.filter(dialogue__unit=unit)
    if ids is not None:
        qs = qs.filter(dialogue__unit_id__in=ids)
    day = now_day or today()
    if status == "overdue":
        qs = qs.filter(status=CommitmentStatus.OPEN, due_date__lt=day)
    elif status in CommitmentStatus.values:
        qs = qs.filter(status=status)
    if owner is not None:
        qs = qs.filter(owner=owner)
    rows = list(qs.select_related("dialogue", "owner").order_by("due_date", "pk")[:500])
    return _flag(rows, day)


def explanation_of(*, commitment: Commitment, dialogue: Dialogue) -> list[ExplanationItem]:
    calendar = calendar_for(dialogue.unit.province_code)
    start = timezone.localtime(dialogue.starts_at).date()
    return rules.explain_commitment_due(calendar, start, commitment.due_date)


EVENT_PROCESSES = {"dialogue": rules.DIALOGUE, "question": rules.QUESTION, "commitment": rules.COMMITMENT}


def events_of(*, dialogue: Dialogue) -> list[DialogueEvent]:
    """The dialogue's timeline, each event with its action's and its new state's labels."""
    events = list(dialogue.events.select_related("actor"))
    for e in events:
        process = EVENT_PROCESSES.get(e.target)
        known = process is not None and e.action in process
        e.label = process[e.action].label if known else e.action
        e.status_label = process.state_label(e.to_status) if known else e.to_status
    return events


def owners_for(*, unit: Unit) -> QuerySet[User]:
    """Whom a commitment of the unit may name as its owner (the form's list and the service's check)."""
    return feedback_selectors.staff_reaching(unit=unit, roles=rules.OWNER_ROLES)


def feedback_candidates(*, user, unit: Unit, limit: int = 30) -> list:
    """Recent items of the unit's feedback inbox the user may see, for pulling into a dialogue's questions."""
    try:
        qs = feedback_selectors.feedback_list_for(user=user, unit=unit)
    except NotInScope:  # pragma: no cover - the inbox scopes, it does not raise
        return []
    return list(qs.values("code", "subject", "content")[:limit])


# --- public reads ----------------------------------------------------------------------------------------


@dataclass
class Tally:
    total: int
    kept: int
    late: int
    dropped: int
    open: int
    overdue: int


def tally(commitments: list[Commitment]) -> Tally:
    return Tally(
        total=len(commitments),
        kept=sum(1 for c in commitments if c.kept is True),
        late=sum(1 for c in commitments if c.status == CommitmentStatus.DONE and c.kept is False),
        dropped=sum(1 for c in commitments if c.status == CommitmentStatus.DROPPED),
        open=sum(1 for c in commitments if c.status == CommitmentStatus.OPEN),
        overdue=sum(1 for c in commitments if c.overdue),
    )


def dialogue_public_by_code(*, code: str) -> Dialogue | None:
    code = _clean_code(code)
    if code is None:
        return None
    return Dialogue.objects.select_related("unit").filter(code=code, status__in=PUBLIC_STATUSES).first()


def dialogue_list_public(*, unit: Unit) -> QuerySet[Dialogue]:
    """A unit's announced and past dialogues, the coming ones first then the latest."""
    return Dialogue.objects.filter(unit=unit, status__in=PUBLIC_STATUSES).order_by("-starts_at", "-pk")


def public_questions(*, dialogue: Dialogue) -> list[dict]:
    """The questions taken into the dialogue, without personal data (texts redacted, no names)."""
    rows = dialogue.questions.filter(status__in=PUBLIC_QUESTION_STATUSES).order_by("received_at", "pk")
    return [
        {
            "id": q.pk,
            "text": feedback_rules.redact(q.text, q.asker_name),
            "answer": q.answer if dialogue.was_held else "",
            "answered_by": q.answered_by if dialogue.was_held else "",
            "source": q.source,
            "source_label": q.get_source_display(),
            "status": q.status,
        }
        for q in rows
    ]


def public_commitments(*, dialogue: Dialogue, now_day: dt.date | None = None) -> list[Commitment]:
    rows = list(
        dialogue.commitments.select_related("owner").only(
            "pk",
            "text",
            "due_date",
            "status",
            "done_on",
            "evidence",
            "reason",
            "dialogue_id",
            "owner__position",
        )
    )
    return _flag(rows, now_day or today())


def public_dialogues_with_commitments(*, unit: Unit, now_day: dt.date | None = None) -> list[Dialogue]:
    """The unit's public dialogues with their commitments flagged (the public API)."""
    commitments = Commitment.objects.select_related("owner").only(
        "pk", "text", "due_date", "status", "done_on", "dialogue_id", "owner__position"
    )
    rows = list(
        dialogue_list_public(unit=unit).prefetch_related(Prefetch("commitments", queryset=commitments))
    )
    day = now_day or today()
    for d in rows:
        d.flagged = _flag(list(d.commitments.all()), day)
    return rows
