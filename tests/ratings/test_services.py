"""Ratings: the kiosk's prompt from the dossier's events, one rating per dossier whichever channel comes first,
the indicators, flags, review and tallies, pairing a kiosk."""

import datetime as dt

import pytest
import time_machine

from cqtt.core.errors import PermissionDenied, ServiceError
from cqtt.core.models import AuditEvent, OutboxEvent
from cqtt.dossiers import services as dossiers
from cqtt.ratings import selectors, services
from cqtt.ratings.models import Kiosk, KioskPrompt, Rating, RatingTally
from tests.dossiers.conftest import applicant, at, documents_for

pytestmark = pytest.mark.django_db(transaction=True)


def _receive(world, capture, when=None, procedure=None, counter=True):
    when = when or at(2026, 11, 23, 9, 0)
    procedure = procedure or world.birth
    with time_machine.travel(when, tick=False), capture(execute=True):
        return dossiers.dossier_intake(
            actor=world.counter_a,
            procedure_code=procedure.code,
            applicant=applicant(),
            documents=documents_for(procedure),
            at=when,
            counter=world.counter if counter else None,
        ).dossier


def _returned(world, capture, d, when=None):
    when = when or at(2026, 11, 25, 9, 0)
    with time_machine.travel(when, tick=False), capture(execute=True):
        d = dossiers.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist, at=when)
        d = dossiers.dossier_submit(actor=world.specialist, dossier=d, at=when)
        d = dossiers.dossier_approve(actor=world.leader, dossier=d, at=when)
        d = dossiers.dossier_mark_ready(actor=world.specialist, dossier=d, at=when)
        return dossiers.dossier_return_result(actor=world.counter_a, dossier=d, collected_by="B", at=when)


def test_a_counter_reception_makes_the_kiosk_ask_and_the_rating_is_bound_to_dossier_and_officer(
    staff, django_capture_on_commit_callbacks
):
    world = staff
    d = _receive(world, django_capture_on_commit_callbacks)
    prompt = selectors.kiosk_prompt(counter=world.counter, at=at(2026, 11, 23, 9, 1))
    assert prompt is not None and prompt.dossier_id == d.pk and prompt.officer_id == world.counter_a.pk
    kiosk = Kiosk.objects.create(counter=world.counter, secret_hash="x")
    rating, created = services.rating_submit(
        dossier=prompt.dossier,
        level="very_satisfied",
        reasons=["4xin_greet", "quick"],
        channel="kiosk",
        source=f"kiosk:{kiosk.pk}",
        kiosk=kiosk,
        prompt=prompt,
        client_id="abc",
        rated_at=at(2026, 11, 23, 9, 2),
        at=at(2026, 11, 23, 9, 3),
    )
    assert created and rating.officer_id == world.counter_a.pk and rating.counter_id == world.counter.pk
    assert rating.rated_at == at(2026, 11, 23, 9, 2) and rating.review == "counted" and rating.flags == []
    # the same queued rating again: the same answer, counted once
    again, created = services.rating_submit(
        dossier=prompt.dossier,
        level="very_satisfied",
        channel="kiosk",
        kiosk=kiosk,
        prompt=prompt,
        client_id="abc",
    )
    assert not created and again.pk == rating.pk
    # any other second rating is refused, whichever channel
    with pytest.raises(services.AlreadyRated):
        services.rating_submit(dossier=d, level="unsatisfied")
    assert Rating.objects.count() == 1
    assert sum(RatingTally.objects.values_list("count", flat=True)) == 1
    assert selectors.kiosk_prompt(counter=world.counter, at=at(2026, 11, 23, 9, 4)) is None  # rated: gone
    assert AuditEvent.objects.filter(action="ratings.rate").count() == 1
    assert OutboxEvent.objects.filter(kind="rating.rated").count() == 1


def test_an_online_dossier_received_makes_no_prompt_and_the_return_at_the_counter_does(
    staff, django_capture_on_commit_callbacks
):
    world = staff
    d = _receive(world, django_capture_on_commit_callbacks)
    KioskPrompt.objects.all().delete()
    d = _returned(world, django_capture_on_commit_callbacks, d)
    prompt = KioskPrompt.objects.get()
    assert prompt.action == "return-result" and prompt.counter_id == world.counter.pk


def test_a_rating_given_at_reception_gets_its_time_indicators_when_the_dossier_is_finished(
    staff, django_capture_on_commit_callbacks
):
    world = staff
    d = _receive(world, django_capture_on_commit_callbacks)
    with time_machine.travel(at(2026, 11, 23, 9, 5), tick=False):
        rating, _ = services.rating_submit(dossier=d, level="satisfied", contacts=0, bodies=1)
    assert rating.i1 is None and rating.i7 is None and rating.i3 == 2 and rating.i4 == 1
    _returned(world, django_capture_on_commit_callbacks, d)  # early: due 27/11
    rating.refresh_from_db()
    assert rating.i1 == 2 and rating.i7 == 2
    assert AuditEvent.objects.filter(action="ratings.indicators").count() == 1


def test_ratings_outside_office_hours_or_in_bursts_are_flagged_kept_and_counted_until_excluded(
    staff, django_capture_on_commit_callbacks
):
    world = staff
    d = _receive(world, django_capture_on_commit_callbacks)
    with time_machine.travel(at(2026, 11, 23, 22, 0), tick=False):
        rating, _ = services.rating_submit(dossier=d, level="very_unsatisfied", source="ip:1")
    assert rating.flags == ["outside_hours"] and rating.review == "flagged"
    month = (dt.date(2026, 11, 1), dt.date(2026, 12, 1))
    assert selectors.summary(unit=world.a, start=month[0], end=month[1])["count"] == 1
    with pytest.raises(PermissionDenied):
        services.rating_review(actor=world.counter_a, rating=rating, decision="excluded", note="thử")
    with pytest.raises(ServiceError):
        services.rating_review(actor=world.leader, rating=rating, decision="excluded", note="")
    services.rating_review(
        actor=world.leader, rating=rating, decision="excluded", note="Gửi thử khi tập huấn"
    )
    assert selectors.summary(unit=world.a, start=month[0], end=month[1])["count"] == 0
    services.rating_review(actor=world.leader, rating=rating, decision="counted")
    assert selectors.summary(unit=world.a, start=month[0], end=month[1])["count"] == 1
    assert AuditEvent.objects.filter(action="ratings.review").count() == 2
    # a burst: the sixth rating from one source within two minutes
    many = [_receive(world, django_capture_on_commit_callbacks) for _ in range(6)]
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        flags = [
            services.rating_submit(dossier=x, level="very_satisfied", source="ip:2")[0].flags for x in many
        ]
    assert flags[:5] == [[]] * 5 and flags[5] == ["burst"]
    # the tallies equal a recount from the ratings
    before = sorted(RatingTally.objects.values_list("unit_id", "officer_key", "month", "level", "count"))
    services.tally_rebuild()
    assert (
        sorted(RatingTally.objects.values_list("unit_id", "officer_key", "month", "level", "count")) == before
    )


def test_bad_answers_are_refused_with_vietnamese_messages_and_nothing_is_stored(
    staff, django_capture_on_commit_callbacks
):
    world = staff
    d = _receive(world, django_capture_on_commit_callbacks)
    services.settings_update(actor=world.admin, unit=world.a, scale=3, codes=["5biet"])
    with pytest.raises(ServiceError) as err:
        services.rating_submit(
            dossier=d, level="neutral", reasons=["4xin_greet"], comment="x" * 1001, contacts=99
        )
    assert set(err.value.message_dict) == {"level", "reasons", "comment", "contacts"}
    assert "Mức đánh giá không hợp lệ" in err.value.message_dict["level"][0]
    assert not Rating.objects.exists()
    with pytest.raises(PermissionDenied):
        services.settings_update(actor=world.admin_b, unit=world.a, scale=5, codes=[])


def test_a_kiosk_is_paired_by_a_short_lived_code_that_only_its_units_admin_issues(staff):
    world = staff
    with pytest.raises(PermissionDenied):
        services.kiosk_pairing_issue(actor=world.admin_b, counter=world.counter)
    with pytest.raises(PermissionDenied):
        services.kiosk_pairing_issue(actor=world.leader, counter=world.counter)
    now = at(2026, 11, 23, 9, 0)
    code = services.kiosk_pairing_issue(actor=world.admin, counter=world.counter, at=now)
    assert len(code) == 6 and code.isdigit()
    wrong = "000000" if code != "000000" else "111111"
    assert services.kiosk_pair(counter=world.counter, code=wrong, at=now) is None
    expired = now + dt.timedelta(minutes=services.PAIRING_MINUTES + 1)
    assert services.kiosk_pair(counter=world.counter, code=code, at=expired) is None
    secret = services.kiosk_pair(counter=world.counter, code=code, at=now)
    assert secret and selectors.kiosk_for(counter_id=world.counter.pk, secret=secret) is not None
    assert services.kiosk_pair(counter=world.counter, code=code, at=now) is None  # used once
    services.kiosk_unpair(actor=world.admin, counter=world.counter)
    assert selectors.kiosk_for(counter_id=world.counter.pk, secret=secret) is None
    actions = set(
        AuditEvent.objects.filter(action__startswith="ratings.kiosk").values_list("action", flat=True)
    )
    assert actions == {"ratings.kiosk_code", "ratings.kiosk_pair", "ratings.kiosk_unpair"}


def test_five_wrong_codes_lock_the_pairing_of_the_counter(staff):
    world = staff
    now = at(2026, 11, 23, 9, 0)
    code = services.kiosk_pairing_issue(actor=world.admin, counter=world.counter, at=now)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert services.kiosk_pair(counter=world.counter, code=wrong, at=now) is None
    assert services.kiosk_pair(counter=world.counter, code=code, at=now) is None


def test_wrong_codes_lock_only_while_a_code_is_outstanding_and_per_address(staff):
    world = staff
    now = at(2026, 11, 23, 9, 0)
    for _ in range(10):  # nobody is pairing: nothing to lock
        assert services.kiosk_pair(counter=world.counter, code="123456", client="10.0.0.9", at=now) is None
    code = services.kiosk_pairing_issue(actor=world.admin, counter=world.counter, at=now)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        services.kiosk_pair(counter=world.counter, code=wrong, client="10.0.0.9", at=now)
    assert services.kiosk_pair(counter=world.counter, code=code, client="10.0.0.9", at=now) is None
    assert services.kiosk_pair(counter=world.counter, code=code, client="10.0.0.7", at=now)  # another address
