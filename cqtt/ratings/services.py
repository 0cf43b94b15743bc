"""Writes of the ratings: a unit's settings, kiosk pairing, the kiosk's prompts (from dossier events), the rating
itself (one per dossier, whichever channel comes first), its indicators and the review of flagged ratings.
Every change leaves an audit event and an outbox event (stream "rating")."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.accounts.models import Role
from cqtt.accounts.permissions import require_admin_of, require_role
from cqtt.core import outbox
from cqtt.core.audit import audit_changes, audit_record, audit_snapshot
from cqtt.core.errors import ServiceError, TransitionNotAllowed
from cqtt.core.ratelimit import GuessLock
from cqtt.core.text import nfc_text
from cqtt.dossiers.models import Dossier, DossierEvent, DossierStep, Status
from cqtt.units.models import Counter, Unit
from cqtt.workdays import rules as wd
from cqtt.workdays.selectors import calendar_for, schedule_for

from . import rules
from .defaults import CODE_KEYS, DEFAULT_CODES
from .models import Kiosk, KioskPrompt, Rating, RatingChannel, RatingSettings, RatingTally, Review

PAIRING_MINUTES = 15
RETURN_ACTIONS = frozenset({"return-result", "return-same-day"})
FINAL_ACTIONS = RETURN_ACTIONS | {"refuse", "withdraw"}
NOT_RATEABLE = frozenset({Status.SUBMITTED_ONLINE})
SUPPLEMENT_ACTIONS = frozenset({"request-intake-supplement", "request-supplement"})


class AlreadyRated(TransitionNotAllowed):
    """The dossier has its rating already (409)."""


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def source_of_address(address: str) -> str:
    """The source of a rating sent from a client address: a keyed hash (the address is never stored, and an
    unkeyed hash of an IPv4 address is reversed by trying them all)."""
    digest = hmac.new(django_settings.SECRET_KEY.encode(), f"rating:{address}".encode(), hashlib.sha256)
    return "ip:" + digest.hexdigest()[:24]


# --- settings ------------------------------------------------------------------------------------------------


def settings_of(unit: Unit) -> RatingSettings:
    """The unit's settings (an unsaved default when it has none)."""
    found = RatingSettings.objects.filter(unit=unit).first()
    return found or RatingSettings(unit=unit, scale=5, codes=list(DEFAULT_CODES))


def settings_update(*, actor, unit: Unit, scale: int, codes: list[str]) -> RatingSettings:
    require_admin_of(actor, unit)
    if scale not in (3, 5):
        raise ServiceError({"scale": [_("Chọn 3 hoặc 5 mức đánh giá.")]})
    unknown = [c for c in codes if c not in CODE_KEYS]
    if unknown:
        raise ServiceError(
            {"codes": [_("Bộ quy tắc không có trong danh sách: %(v)s.") % {"v": ", ".join(unknown)}]}
        )
    with transaction.atomic():
        config = RatingSettings.objects.select_for_update().filter(unit=unit).first() or RatingSettings(
            unit=unit
        )
        before = audit_snapshot(config) if config.pk else {}
        config.scale, config.codes = scale, [c for c in CODE_KEYS if c in codes]
        config.save()
        audit_record(
            actor=actor,
            action="ratings.settings_update",
            obj=config,
            unit_code=unit.code,
            changes=audit_changes(config, before) if before else None,
        )
        outbox.emit(stream="rating", aggregate_id=config.pk, action="settings", payload={"unit_id": unit.pk})
    return config


# --- kiosks --------------------------------------------------------------------------------------------------


def _counter_unit(counter: Counter) -> Unit:
    return counter.office.unit


def kiosk_pairing_issue(*, actor, counter: Counter, at: dt.datetime | None = None) -> str:
    """A fresh 6-digit pairing code for the counter's kiosk, valid PAIRING_MINUTES; shown once to the admin.
    A device paired before keeps working until it is unpaired."""
    require_admin_of(actor, _counter_unit(counter))
    at = at or timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        kiosk, _created = Kiosk.objects.select_for_update().get_or_create(counter=counter)
        kiosk.pairing_code_hash = _hash(f"{counter.pk}:{code}")
        kiosk.pairing_expires_at = at + dt.timedelta(minutes=PAIRING_MINUTES)
        kiosk.save(update_fields=["pairing_code_hash", "pairing_expires_at", "updated_at"])
        audit_record(
            actor=actor, action="ratings.kiosk_code", obj=kiosk, unit_code=_counter_unit(counter).code
        )
        outbox.emit(
            stream="rating", aggregate_id=kiosk.pk, action="kiosk-code", payload={"counter_id": counter.pk}
        )
    return code


def _pair_locks() -> tuple[GuessLock, GuessLock]:
    """Five wrong codes from one address lock that address out of the counter's pairing; twenty from all
    addresses together lock the counter's code (the administrator issues a new one)."""
    return (
        GuessLock("kiosk-pair", limit=5, seconds=PAIRING_MINUTES * 60),
        GuessLock("kiosk-pair-all", limit=20, seconds=PAIRING_MINUTES * 60),
    )


def kiosk_pair(*, counter: Counter, code: str, client: str = "", at: dt.datetime | None = None) -> str | None:
    """Bind the device that typed the right code to the counter: returns the device's new secret (for its
    cookie), or None for a wrong, expired or locked code. Wrong codes count only while a code is outstanding
    (nobody can lock a counter that is not being paired)."""
    at = at or timezone.now()
    mine, every = _pair_locks()
    target = f"{counter.pk}:{client}"
    if mine.locked(target) or every.locked(str(counter.pk)):
        return None
    code = (code or "").strip()
    with transaction.atomic():
        kiosk = Kiosk.objects.select_for_update().filter(counter=counter).first()
        ok = (
            kiosk is not None
            and kiosk.pairing_code_hash
            and kiosk.pairing_expires_at is not None
            and kiosk.pairing_expires_at > at
            and hmac.compare_digest(kiosk.pairing_code_hash, _hash(f"{counter.pk}:{code}"))
        )
        if not ok:
            if kiosk is not None and kiosk.pairing_code_hash and (kiosk.pairing_expires_at or at) > at:
                mine.failed(target)
                every.failed(str(counter.pk))
            return None
        secret = secrets.token_urlsafe(32)
        kiosk.secret_hash = _hash(secret)
        kiosk.pairing_code_hash, kiosk.pairing_expires_at = "", None
        kiosk.paired_at = kiosk.last_seen_at = at
        kiosk.save()
        audit_record(
            actor=None, action="ratings.kiosk_pair", obj=kiosk, unit_code=_counter_unit(counter).code
        )
        outbox.emit(
            stream="rating", aggregate_id=kiosk.pk, action="kiosk-pair", payload={"counter_id": counter.pk}
        )
    return secret


def kiosk_unpair(*, actor, counter: Counter) -> None:
    require_admin_of(actor, _counter_unit(counter))
    with transaction.atomic():
        kiosk = Kiosk.objects.select_for_update().filter(counter=counter).first()
        if kiosk is None or not (kiosk.secret_hash or kiosk.pairing_code_hash):
            return
        kiosk.secret_hash = kiosk.pairing_code_hash = ""
        kiosk.pairing_expires_at = kiosk.paired_at = None
        kiosk.save()
        audit_record(
            actor=actor, action="ratings.kiosk_unpair", obj=kiosk, unit_code=_counter_unit(counter).code
        )
        outbox.emit(
            stream="rating", aggregate_id=kiosk.pk, action="kiosk-unpair", payload={"counter_id": counter.pk}
        )


def kiosk_seen(kiosk: Kiosk, at: dt.datetime) -> None:
    """The device asked for its state (kept at most once a minute: a liveness mark, not a state change)."""
    if kiosk.last_seen_at is None or at - kiosk.last_seen_at > dt.timedelta(minutes=1):
        Kiosk.objects.filter(pk=kiosk.pk).update(last_seen_at=at)


def _prompt_counter(dossier: Dossier, officer_id: int | None) -> Counter | None:
    """The counter where the officer served the citizen: the dossier's if the officer serves it, else the
    officer's first active counter at the receiving unit's office, else the dossier's."""
    if officer_id:
        mine = list(
            Counter.objects.filter(
                officers__id=officer_id, office__unit_id=dossier.receiving_unit_id, is_active=True
            ).order_by("number")
        )
        for c in mine:
            if c.pk == dossier.counter_id:
                return c
        if mine:
            return mine[0]
    return dossier.counter


def prompt_open(
    *, dossier: Dossier, action: str, officer_id: int | None, at: dt.datetime
) -> KioskPrompt | None:
    """The counter's kiosk asks the citizen standing there to rate: at a counter reception, and at a return of
    the result at the counter. Not when the dossier is rated already or nobody stands at a counter."""
    if action == "receive" and dossier.channel != "counter":
        return None
    if action in RETURN_ACTIONS and dossier.delivery != "counter":
        return None
    if Rating.objects.filter(dossier=dossier).exists():
        return None
    counter = _prompt_counter(dossier, officer_id)
    if counter is None:
        return None
    return KioskPrompt.objects.create(
        counter=counter, dossier=dossier, officer_id=officer_id, action=action, created_at=at
    )


# --- ratings -------------------------------------------------------------------------------------------------


def _facts(dossier: Dossier) -> tuple[rules.DossierFacts, int | None]:
    """What the indicators need from the dossier, and who served the citizen (the officer who returned the
    result, else who received the dossier): two narrow reads, unordered."""
    steps = tuple(
        DossierStep.objects.filter(dossier_id=dossier.pk, completed_at__isnull=False)
        .exclude(timeliness="")
        .order_by()
        .values_list("timeliness", flat=True)
    )
    events = list(
        DossierEvent.objects.filter(dossier_id=dossier.pk, action__in=(*RETURN_ACTIONS, *SUPPLEMENT_ACTIONS))
        .order_by()
        .values_list("action", "actor_id", "occurred_at")
    )
    returned = sorted((at, actor) for action, actor, at in events if action in RETURN_ACTIONS and actor)
    facts = rules.DossierFacts(
        timeliness=dossier.timeliness or "",
        step_results=steps,
        supplements=sum(1 for action, _a, _t in events if action in SUPPLEMENT_ACTIONS),
        online=dossier.channel == "online" and dossier.delivery != "counter",
    )
    return facts, (returned[-1][1] if returned else dossier.received_by_id)


def _in_office_hours(unit: Unit, at: dt.datetime) -> bool:
    calendar = calendar_for(unit.province_code or None)
    return wd.office_seconds_between(at, at + dt.timedelta(seconds=60), calendar, schedule_for(unit)) > 0


def _tally(rating: Rating, delta: int) -> None:
    key = {
        "unit_id": rating.unit_id,
        "officer_key": rating.officer_id or 0,
        "month": rules.month_of(timezone.localtime(rating.rated_at)),
        "level": rating.level,
    }
    for _attempt in range(2):
        if RatingTally.objects.filter(**key).update(count=F("count") + delta):
            return
        try:
            with transaction.atomic():
                RatingTally.objects.create(count=delta, **key)
            return
        except IntegrityError:
            pass  # created by a concurrent transaction: the update now finds it


def _clean_count(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = -1
    if not 0 <= n <= 20:
        raise ServiceError({field: [_("Nhập một số từ 0 đến 20.")]})
    return n


def rating_submit(
    *,
    dossier: Dossier,
    level: str,
    reasons: list[str] | None = None,
    comment: str = "",
    contacts=None,
    bodies=None,
    channel: str = RatingChannel.WEB,
    source: str = "",
    kiosk: Kiosk | None = None,
    prompt: KioskPrompt | None = None,
    client_id: str = "",
    rated_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
) -> tuple[Rating, bool]:
    """Record the citizen's rating of the dossier: (rating, True), or (the earlier rating, False) when the same
    kiosk sends the same queued rating again. Any other second rating raises AlreadyRated (409); bad input
    raises ServiceError (400) with Vietnamese messages."""
    at = at or timezone.now()
    if dossier.status in NOT_RATEABLE:
        raise TransitionNotAllowed(_("Hồ sơ chưa được tiếp nhận nên chưa thể đánh giá."))
    unit = dossier.receiving_unit
    config = settings_of(unit)
    reasons = list(dict.fromkeys(str(r) for r in (reasons or [])))
    errors = rules.answer_problems(level=level, reasons=reasons, scale=config.scale, codes=config.codes)
    comment = nfc_text(comment or "").strip()
    if len(comment) > rules.COMMENT_MAX:
        errors["comment"] = [_("Ý kiến dài quá %(n)s ký tự.") % {"n": rules.COMMENT_MAX}]
    try:
        contacts = _clean_count(contacts, "contacts")
        bodies = _clean_count(bodies, "bodies")
    except ServiceError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ServiceError(errors)
    # a queued kiosk rating is stamped with the moment it was given, within what is possible
    earliest = prompt.created_at if prompt is not None else (dossier.received_at or dossier.submitted_at)
    rated_at = min(max(rated_at or at, earliest), at)
    facts, served_by = _facts(dossier)
    officer_id = prompt.officer_id if prompt is not None else served_by
    counter_id = prompt.counter_id if prompt is not None else (kiosk.counter_id if kiosk else None)
    with transaction.atomic():
        earlier = Rating.objects.select_for_update().filter(dossier=dossier).first()
        if earlier is not None:
            if kiosk is not None and client_id and earlier.client_id == client_id:
                return earlier, False
            raise AlreadyRated(
                _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần. Xin cảm ơn.")
            )
        # the burst on the server's clock (a queued rating's own time is the device's word)
        recent = (
            Rating.objects.filter(
                source=source, received_at__gte=at - dt.timedelta(seconds=rules.BURST_SECONDS)
            ).count()
            if source
            else 0
        )
        flags = rules.flags_for(in_office_hours=_in_office_hours(unit, rated_at), recent_from_source=recent)
        rating = Rating(
            dossier=dossier,
            unit=unit,
            officer_id=officer_id,
            counter_id=counter_id,
            channel=channel,
            level=level,
            reasons=reasons,
            comment=comment,
            contacts=contacts,
            bodies=bodies,
            rated_at=rated_at,
            received_at=at,
            client_id=client_id[:40],
            source=source[:64],
            flags=flags,
            review=Review.FLAGGED if flags else Review.COUNTED,
            **rules.indicators(facts, contacts=contacts, bodies=bodies, reasons=reasons),
        )
        try:
            with transaction.atomic():
                rating.save(force_insert=True)
        except IntegrityError:
            raise AlreadyRated(
                _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần. Xin cảm ơn.")
            ) from None
        _tally(rating, +1)
        audit_record(
            actor=None,
            action="ratings.rate",
            obj=rating,
            unit_code=unit.code,
            data={"dossier": dossier.code, "channel": channel, "level": level, "flags": flags},
        )
        outbox.emit(
            stream="rating",
            aggregate_id=rating.pk,
            action="rated",
            at=at,
            payload={
                "dossier_code": dossier.code,
                "unit_id": unit.pk,
                "officer_id": officer_id,
                "counter_id": counter_id,
                "rated_at": rated_at.isoformat(),
                "level": level,
                "low": level in rules.UNSATISFIED,
                "channel": channel,
                "flags": flags,
            },
        )
    return rating, True


def indicators_refresh(*, dossier: Dossier) -> bool:
    """Recompute a rated dossier's indicators once it is finished (a rating at reception knows no timeliness)."""
    with transaction.atomic():
        rating = Rating.objects.select_for_update().filter(dossier=dossier).first()
        if rating is None:
            return False
        values = rules.indicators(
            _facts(dossier)[0], contacts=rating.contacts, bodies=rating.bodies, reasons=rating.reasons
        )
        if all(getattr(rating, k) == v for k, v in values.items()):
            return False
        before = audit_snapshot(rating)
        for k, v in values.items():
            setattr(rating, k, v)
        rating.save(update_fields=list(values))
        audit_record(
            actor=None,
            action="ratings.indicators",
            obj=rating,
            unit_code=rating.unit.code,
            changes=audit_changes(rating, before),
        )
        outbox.emit(stream="rating", aggregate_id=rating.pk, action="indicators", payload=values)
    return True


def rating_review(
    *, actor, rating: Rating, decision: str, note: str = "", at: dt.datetime | None = None
) -> Rating:
    """A leader of the unit keeps a flagged rating, excludes it from the counts (with a note) or restores it."""
    require_role(actor, rating.unit, {Role.LEADER})
    note = nfc_text(note or "").strip()[:300]
    if decision not in (Review.COUNTED, Review.EXCLUDED):
        raise ServiceError({"decision": [_("Chọn giữ lại hoặc không tính đánh giá này.")]})
    if decision == Review.EXCLUDED and not note:
        raise ServiceError({"note": [_("Ghi lý do không tính đánh giá này.")]})
    at = at or timezone.now()
    with transaction.atomic():
        rating = Rating.objects.select_for_update().get(pk=rating.pk)
        if rating.review == decision:
            return rating
        before = audit_snapshot(rating)
        was_counted = rating.review != Review.EXCLUDED
        rating.review, rating.review_note = decision, note
        rating.reviewed_by, rating.reviewed_at = actor, at
        rating.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
        now_counted = decision != Review.EXCLUDED
        if was_counted != now_counted:
            _tally(rating, +1 if now_counted else -1)
        audit_record(
            actor=actor,
            action="ratings.review",
            obj=rating,
            unit_code=rating.unit.code,
            changes=audit_changes(rating, before),
        )
        outbox.emit(
            stream="rating", aggregate_id=rating.pk, action="review", at=at, payload={"decision": decision}
        )
    return rating


def tally_rebuild() -> int:
    """Recount the tallies from the ratings (after a bulk load or a repair). Returns the number of rows."""
    rows = (
        Rating.objects.exclude(review=Review.EXCLUDED)
        .order_by()
        .annotate(month=TruncMonth("rated_at", tzinfo=timezone.get_current_timezone()))
        .values("unit_id", "officer_id", "month", "level")
        .annotate(n=Count("id"))
    )
    with transaction.atomic():
        RatingTally.objects.all().delete()
        made = RatingTally.objects.bulk_create(
            RatingTally(
                unit_id=r["unit_id"],
                officer_key=r["officer_id"] or 0,
                month=r["month"].date() if isinstance(r["month"], dt.datetime) else r["month"],
                level=r["level"],
                count=r["n"],
            )
            for r in rows
        )
    return len(made)
