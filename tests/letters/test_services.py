"""Letters: the apology drafted before the deadline and signed with the dossier's one extension, the life-event
letters, numbering without gaps."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from cqtt.core.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.dossiers import services as dossiers
from cqtt.letters import services
from cqtt.letters.models import Letter
from cqtt.letters.printouts import letter_pdf
from cqtt.notifications.models import Message
from tests.dossiers.conftest import applicant, at, documents_for
from tests.procedures.conftest import make_procedure

pytestmark = pytest.mark.django_db(transaction=True)
TZ = dt.timezone(dt.timedelta(hours=7))


def _receive(world, capture, when, procedure=None, **kw):
    procedure = procedure or world.birth
    with time_machine.travel(when, tick=False), capture(execute=True):
        return dossiers.dossier_intake(
            actor=world.counter_a,
            procedure_code=procedure.code,
            applicant=applicant(**kw),
            documents=documents_for(procedure),
            at=when,
        ).dossier


def _assigned(world, capture):
    d = _receive(world, capture, at(2026, 11, 23, 9, 0))  # due 27/11 16:30 (24/11 is off in this calendar)
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False), capture(execute=True):
        d = dossiers.dossier_assign(
            actor=world.leader, dossier=d, assignee=world.specialist, at=at(2026, 11, 23, 10, 0)
        )
    return d


def test_the_sweep_drafts_the_apology_a_working_day_before_risk_and_signing_extends_once(
    world, gateway, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    d = _assigned(world, capture)
    d.refresh_from_db()
    assert d.risk_at is not None
    early = d.risk_at - dt.timedelta(days=3)
    assert services.apology_sweep(now=early) == 0
    now = d.risk_at - dt.timedelta(minutes=30)
    assert services.apology_sweep(now=now) == 1
    assert services.apology_sweep(now=now) == 0  # one per dossier
    letter = Letter.objects.get(dossier=d, kind="apology")
    assert letter.status == "draft" and letter.number is None and not letter.late
    assert letter.proposed_due_at > d.due_at
    assert letter.old_due_at == d.due_at

    with pytest.raises(PermissionDenied):
        services.letter_sign(actor=world.specialist, letter=letter, reason="x")
    with pytest.raises(ServiceError):
        services.letter_sign(actor=world.leader, letter=letter)  # no reason yet
    letter.refresh_from_db()
    assert letter.number is None  # a refused signature takes no number

    new_due = letter.proposed_due_at
    with time_machine.travel(now, tick=False), capture(execute=True):
        signed = services.letter_sign(
            actor=world.leader, letter=letter, reason="Chờ xác minh nơi cư trú", at=now
        )
    assert signed.status == "sent" and signed.number_text == "01/PXL-UBND" and signed.signer == world.leader
    d.refresh_from_db()
    assert d.due_at == new_due and d.extended_at is not None and d.original_due_at < new_due
    assert (
        Letter.objects.filter(dossier=d, kind="apology").count() == 1
    )  # the extension's event makes no second
    notice = Message.objects.get(subject_code=d.code, event="extended", channel="sms")
    assert "xin lỗi" in notice.text and new_due.astimezone(TZ).strftime("%d/%m/%Y") in notice.text
    body = " ".join(services.rendered(signed)[1])
    assert "Chờ xác minh nơi cư trú" in body and d.code in body
    pdf = letter_pdf(signed)
    assert pdf.startswith(b"%PDF")

    again = Letter.objects.create(
        unit=signed.unit, kind="apology", dossier=None, recipient_name="X", subject="s", body="b"
    )
    again.dossier = d
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses a second live apology
        again.save()


def test_a_late_dossier_still_gets_an_apology_marked_late(world, gateway, django_capture_on_commit_callbacks):
    d = _assigned(world, django_capture_on_commit_callbacks)
    d.refresh_from_db()
    after = d.due_at + dt.timedelta(hours=20)
    assert services.apology_sweep(now=after) == 1
    letter = Letter.objects.get(dossier=d)
    assert letter.late and letter.proposed_due_at > after


def test_the_dossier_extend_action_produces_the_signed_apology(
    world, gateway, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    d = _assigned(world, capture)
    with time_machine.travel(at(2026, 11, 25, 9, 0), tick=False), capture(execute=True):
        dossiers.dossier_extend(
            actor=world.leader,
            dossier=d,
            reason="Thiếu xác nhận",
            new_due_at=at(2026, 12, 2, 16, 0),
            at=at(2026, 11, 25, 9, 0),
        )
    letter = Letter.objects.get(dossier=d, kind="apology")
    assert letter.status in ("signed", "sent") and letter.number == 1 and letter.source == "extend"
    assert letter.signer == world.leader and letter.reason == "Thiếu xác nhận"
    assert letter.proposed_due_at == at(2026, 12, 2, 16, 0)


def test_a_returned_birth_registration_drafts_a_congratulation_signed_into_a_numbered_pdf(
    world, gateway, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    d = _assigned(world, capture)
    when = at(2026, 11, 26, 9, 0)
    with time_machine.travel(when, tick=False), capture(execute=True):
        d = dossiers.dossier_submit(actor=world.specialist, dossier=d, at=when)
        d = dossiers.dossier_approve(actor=world.leader, dossier=d, at=when)
        d = dossiers.dossier_mark_ready(actor=world.specialist, dossier=d, at=when)
    with time_machine.travel(when, tick=False), capture(execute=True):
        dossiers.dossier_return_result(actor=world.counter_a, dossier=d, collected_by="B", at=when)
    letter = Letter.objects.get(dossier=d, kind="congratulation")
    assert letter.status == "draft" and letter.source == "return"
    with time_machine.travel(when, tick=False):
        signed = services.letter_sign(actor=world.leader, letter=letter, at=when)
    assert signed.number_text == "01/TCM-UBND" and signed.status == "sent" and signed.channel == "sms"
    sms = Message.objects.get(event="letter_congratulation")
    assert "chúc mừng" in sms.text and "đăng ký khai sinh" in sms.text
    assert letter_pdf(signed).startswith(b"%PDF")


def test_a_condolence_is_never_an_sms_and_waits_for_the_morning(
    world, gateway, django_capture_on_commit_callbacks
):
    death = make_procedure(
        code="1.000656",
        name="Đăng ký khai tử",
        field=world.birth.field,
        units=[world.a],
        amount="1",
        documents=[("Giấy báo tử", "original", 1)],
        fees=[],
        life_event="death_registration",
    )
    d = _receive(world, django_capture_on_commit_callbacks, at(2026, 11, 23, 9, 0), procedure=death)
    letter = services.letter_draft(actor=world.counter_a, kind="condolence", dossier=d)
    evening = at(2026, 11, 23, 21, 30)
    signed = services.letter_sign(actor=world.leader, letter=letter, at=evening)
    messages = list(Message.objects.filter(event="letter_condolence"))
    assert [m.channel for m in messages] == ["email"]
    assert messages[0].next_attempt_at == at(2026, 11, 24, 7, 0)
    assert signed.status == "sent"


def test_numbers_run_per_unit_kind_and_year_without_gaps_and_a_cancel_needs_a_reason(world):
    letters = [
        services.letter_draft(
            actor=world.counter_a, kind="thanks", unit=world.a, recipient_name=f"Người {i}", reason="góp ý"
        )
        for i in range(3)
    ]
    with pytest.raises(ServiceError):
        services.letter_cancel(actor=world.counter_a, letter=letters[1], reason="")
    services.letter_cancel(actor=world.counter_a, letter=letters[1], reason="Trùng người nhận")
    signed, refused = services.letters_sign_many(
        actor=world.leader, letters=letters, at=at(2026, 11, 23, 9, 0)
    )
    assert [x.number for x in signed] == [1, 2]
    assert len(refused) == 1 and "dự thảo" in refused[0][1]
    with pytest.raises(TransitionNotAllowed):
        services.letter_sign(actor=world.leader, letter=signed[0])
    nxt = services.letter_draft(
        actor=world.counter_a, kind="thanks", unit=world.a, recipient_name="Người 9", reason="góp ý"
    )
    assert (
        services.letter_sign(actor=world.leader, letter=nxt, at=at(2027, 1, 2, 9, 0)).number == 1
    )  # a new year


def test_the_counter_officer_declines_the_life_event_letter_with_a_reason_when_returning(
    world, gateway, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    d = _assigned(world, capture)
    when = at(2026, 11, 26, 9, 0)
    with time_machine.travel(when, tick=False), capture(execute=True):
        d = dossiers.dossier_submit(actor=world.specialist, dossier=d, at=when)
        d = dossiers.dossier_approve(actor=world.leader, dossier=d, at=when)
        d = dossiers.dossier_mark_ready(actor=world.specialist, dossier=d, at=when)
    with pytest.raises(ServiceError):
        dossiers.dossier_return_result(
            actor=world.counter_a, dossier=d, collected_by="B", life_event_letter=False, at=when
        )
    with time_machine.travel(when, tick=False), capture(execute=True):
        dossiers.dossier_return_result(
            actor=world.counter_a,
            dossier=d,
            collected_by="B",
            life_event_letter=False,
            letter_reason="Đăng ký lại",
            at=when,
        )
    letter = Letter.objects.get(dossier=d, kind="congratulation")
    assert letter.status == "cancelled" and letter.cancel_reason == "Đăng ký lại" and letter.number is None


def test_the_migration_links_the_custom_letters_made_before_to_their_unit_s_kind_of_that_name(world):
    import importlib

    from django.apps import apps

    from cqtt.letters.models import Letter, LetterTemplate

    migration = importlib.import_module("cqtt.letters.migrations.0002_custom_kinds")
    kind = LetterTemplate.objects.create(
        unit=world.a, kind="custom", title="Thư chúc thọ", subject="s", body="b"
    )
    mine = services.letter_draft(
        actor=world.counter_a, kind="custom", unit=world.a, recipient_name="Cụ Mười", title="Thư chúc thọ"
    )
    other = services.letter_draft(
        actor=world.counter_b, kind="custom", unit=world.b, recipient_name="Cụ Năm", title="Thư chúc thọ"
    )
    Letter.objects.update(template=None)  # as they were before the field
    migration.link_custom_letters(apps, None)
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.template == kind and other.template is None  # ward B has no kind of that name
