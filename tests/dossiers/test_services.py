import pytest

from cqtt.core.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.dossiers import services as s
from cqtt.dossiers.models import DossierStep, Status, SupplementRequest

from .conftest import applicant, at, documents_for, receive

pytestmark = pytest.mark.django_db


def test_complete_intake_receives_with_code_due_date_and_book_entry(world):
    d = receive(world)
    assert d.status == Status.RECEIVED
    assert d.code == "25747-261123-0001"
    # 3 working days from Mon 23/11 skipping Tue 24/11 (Culture Day): 25, 26, 27 → Fri 27/11 17:00
    assert d.due_at == at(2026, 11, 27, 17, 0)
    assert d.original_due_at == d.due_at
    assert d.book_year == 2026 and d.book_number == 1
    assert d.fees_total == 8000
    assert any("Văn hóa" in e["reason"] for e in d.due_explanation)
    assert d.events.get().action == "receive"


def test_codes_run_per_unit_and_day(world):
    first = receive(world)
    second = receive(world)
    next_day = receive(world, when=at(2026, 11, 25, 8, 0))
    assert [first.code[-4:], second.code[-4:], next_day.code] == ["0001", "0002", "25747-261125-0001"]
    assert next_day.book_number == 3


def test_incomplete_intake_lists_every_missing_item_once(world):
    result = s.dossier_intake(
        actor=world.counter_a,
        procedure_code="1.001193",
        applicant=applicant(),
        documents=documents_for(world.birth, missing=1),
        missing_items=["Bản sao CCCD của mẹ"],
        at=at(2026, 11, 23, 9, 0),
    )
    assert result.dossier.status == Status.INTAKE_SUPPLEMENT
    assert result.missing == ["Bản sao CCCD của mẹ", "Giấy chứng sinh"]
    assert result.dossier.due_at is None
    assert SupplementRequest.objects.get(dossier=result.dossier).items == result.missing


def test_refused_intake_keeps_the_reason(world):
    result = s.dossier_intake(
        actor=world.counter_a,
        procedure_code="1.001193",
        applicant=applicant(),
        documents=documents_for(world.birth),
        refusal_reason="Không thuộc thẩm quyền",
        at=at(2026, 11, 23, 9, 0),
    )
    assert result.dossier.status == Status.INTAKE_REFUSED
    assert result.dossier.refusal_reason == "Không thuộc thẩm quyền"


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"full_name": " "}, "applicant.full_name"),
        ({"id_number": "12345"}, "applicant.id_number"),
        ({"id_number": "003085001234"}, "applicant.id_number"),
        ({"phone": "0123"}, "applicant.phone"),
        ({"phone": "0112345678"}, "applicant.phone"),
        ({"email": "khong-hop-le"}, "applicant.email"),
    ],
)
def test_bad_applicant_data_is_refused_field_by_field(world, over, field):
    with pytest.raises(ServiceError) as exc:
        s.dossier_intake(
            actor=world.counter_a,
            procedure_code="1.001193",
            applicant=applicant(**over),
            documents=documents_for(world.birth),
        )
    assert field in exc.value.message_dict


def test_phone_in_international_form_is_normalised(world):
    d = s.dossier_intake(
        actor=world.counter_a,
        procedure_code="1.001193",
        applicant=applicant(phone="+84 912 345 678"),
        documents=documents_for(world.birth),
        at=at(2026, 11, 23, 9, 0),
    ).dossier
    assert d.applicant_phone == "0912345678"


def test_only_counter_officers_receive(world):
    with pytest.raises(PermissionDenied):
        s.dossier_intake(
            actor=world.specialist,
            procedure_code="1.001193",
            applicant=applicant(),
            documents=documents_for(world.birth),
        )


def test_whole_lifecycle_on_time(world):
    d = receive(world)
    d = s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist, at=at(2026, 11, 23, 10, 0))
    assert d.status == Status.IN_PROGRESS and d.assignee == world.specialist
    d = s.dossier_submit(actor=world.specialist, dossier=d, at=at(2026, 11, 25, 15, 0))
    d = s.dossier_approve(actor=world.leader, dossier=d, at=at(2026, 11, 26, 9, 0))
    d = s.dossier_mark_ready(actor=world.specialist, dossier=d, at=at(2026, 11, 26, 10, 0))
    assert d.status == Status.READY and d.timeliness == "early" and d.stat_timeliness == "early"
    d = s.dossier_return_result(
        actor=world.counter_a, dossier=d, collected_by="Phạm Văn Bình", at=at(2026, 11, 27, 8, 0)
    )
    assert d.status == Status.RETURNED
    steps = list(DossierStep.objects.filter(dossier=d))
    assert len(steps) == 5 and all(step.completed_at for step in steps)
    assert [e.action for e in d.events.all()] == [
        "receive",
        "assign",
        "submit",
        "approve",
        "mark-ready",
        "return-result",
    ]


def test_finishing_after_the_due_date_is_late(world):
    d = receive(world)
    d = s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)
    d = s.dossier_approve(actor=world.leader, dossier=d, at=at(2026, 11, 30, 9, 0))
    d = s.dossier_mark_ready(actor=world.leader, dossier=d, at=at(2026, 11, 30, 10, 0))
    assert d.timeliness == "late"


def test_supplement_pauses_and_the_legal_period_restarts_while_the_statistic_subtracts(world):
    d = receive(world)
    d = s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist, at=at(2026, 11, 23, 10, 0))
    d, req = s.dossier_request_supplement(
        actor=world.specialist,
        dossier=d,
        items=["Bản sao giấy kết hôn"],
        reason="Thiếu căn cứ xác định cha",
        at=at(2026, 11, 25, 9, 0),
    )
    assert d.status == Status.SUPPLEMENT_REQUESTED and not req.late_warning
    d = s.dossier_receive_supplement(actor=world.counter_a, dossier=d, at=at(2026, 11, 26, 9, 0))
    # law: 3 working days from Thu 26/11 → Tue 01/12; statistic: Fri 27/11 17:00 + one office day paused
    assert d.due_at == at(2026, 12, 1, 17, 0)
    assert d.stat_due_at == at(2026, 11, 30, 17, 0)
    assert d.status == Status.IN_PROGRESS


def test_a_second_supplement_request_makes_the_statistic_late(world):
    d = receive(world)
    d = s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)
    for day in (25, 26):
        d, _req = s.dossier_request_supplement(
            actor=world.specialist, dossier=d, items=["Giấy tờ"], reason="Thiếu", at=at(2026, 11, day, 9, 0)
        )
        d = s.dossier_receive_supplement(actor=world.counter_a, dossier=d, at=at(2026, 11, day, 10, 0))
    d = s.dossier_approve(actor=world.leader, dossier=d, at=at(2026, 11, 27, 9, 0))
    d = s.dossier_mark_ready(actor=world.leader, dossier=d, at=at(2026, 11, 27, 10, 0))
    assert d.timeliness == "early" and d.stat_timeliness == "late"


def test_supplement_after_three_working_days_is_flagged(world):
    d = receive(world)
    d = s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)
    _d, req = s.dossier_request_supplement(
        actor=world.specialist, dossier=d, items=["X"], reason="Y", at=at(2026, 11, 30, 9, 0)
    )
    assert req.late_warning


def test_extension_happens_once_and_keeps_the_original_due_date(world):
    d = receive(world)
    d = s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)
    d = s.dossier_extend(
        actor=world.leader,
        dossier=d,
        reason="Chờ xác minh",
        new_due_at=at(2026, 12, 2, 17, 0),
        at=at(2026, 11, 26, 9, 0),
    )
    assert d.due_at == at(2026, 12, 2, 17, 0) and d.original_due_at == at(2026, 11, 27, 17, 0)
    with pytest.raises(TransitionNotAllowed):
        s.dossier_extend(actor=world.leader, dossier=d, reason="Lần hai", new_due_at=at(2026, 12, 4, 17, 0))


def test_extension_to_a_holiday_or_earlier_date_is_refused(world):
    d = s.dossier_assign(actor=world.leader, dossier=receive(world), assignee=world.specialist)
    with pytest.raises(ServiceError):
        s.dossier_extend(actor=world.leader, dossier=d, reason="x", new_due_at=at(2026, 11, 26, 17, 0))
    with pytest.raises(ServiceError):
        s.dossier_extend(actor=world.leader, dossier=d, reason="x", new_due_at=at(2026, 11, 28, 17, 0))  # Sat


def test_transition_not_allowed_in_state_is_a_conflict_and_wrong_role_is_forbidden(world):
    d = receive(world)
    with pytest.raises(TransitionNotAllowed):
        s.dossier_return_result(actor=world.counter_a, dossier=d, collected_by="A")
    with pytest.raises(PermissionDenied):
        s.dossier_approve(actor=world.counter_a, dossier=d)
    with pytest.raises(PermissionDenied):
        s.dossier_assign(actor=world.counter_b, dossier=d, assignee=world.specialist)  # another ward


def test_stale_version_is_refused(world):
    d = receive(world)
    stale = d.version
    s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist, expected_version=stale)
    with pytest.raises(TransitionNotAllowed):
        s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist, expected_version=stale)


def test_transfer_moves_the_dossier_with_its_own_step_deadline(world):
    d = s.dossier_assign(
        actor=world.leader, dossier=receive(world), assignee=world.specialist, at=at(2026, 11, 23, 10, 0)
    )
    d = s.dossier_transfer(
        actor=world.specialist,
        dossier=d,
        unit=world.other_dept,
        note="Xin ý kiến",
        at=at(2026, 11, 23, 14, 0),
    )
    step = d.steps.order_by("-seq").first()
    assert d.current_unit == world.other_dept and step.kind == "transfer" and step.due_at > step.started_at


def test_withdraw_and_refuse_are_final(world):
    d = s.dossier_withdraw(actor=world.counter_a, dossier=receive(world), reason="Đơn xin rút")
    assert d.status == Status.WITHDRAWN
    r = s.dossier_refuse(
        actor=world.leader, dossier=receive(world), reason="Không đủ điều kiện", at=at(2026, 11, 25, 9, 0)
    )
    assert r.status == Status.REFUSED and r.timeliness == "early"


def test_online_submission_gets_a_code_and_the_clock_starts_at_reception(world):
    d = s.dossier_submit_online(
        procedure_code="1.001193",
        unit=world.a,
        applicant=applicant(),
        documents=documents_for(world.birth),
        at=at(2026, 11, 21, 22, 0),
    )
    assert d.status == Status.SUBMITTED_ONLINE and d.code.startswith("25747-261121-") and d.due_at is None
    d = s.dossier_receive(actor=world.counter_a, dossier=d, at=at(2026, 11, 23, 15, 30))
    assert d.due_at == at(2026, 11, 27, 17, 0)


def test_same_day_procedure_after_cutoff_is_due_next_working_day(world):
    d = receive(world, procedure=world.copy, when=at(2026, 11, 23, 15, 30))
    assert d.due_at == at(2026, 11, 25, 17, 0)
    d = receive(world, procedure=world.copy, when=at(2026, 11, 25, 9, 0))
    assert d.due_at == at(2026, 11, 25, 17, 0)


def test_at_risk_is_set_from_the_remaining_allotment(world):
    d = receive(world)
    d = s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist, at=at(2026, 11, 23, 10, 0))
    # after appraisal, approval 0.5 + return 0.5 day remain: one office day before Fri 27/11 17:00
    assert d.risk_at == at(2026, 11, 26, 17, 0)


def test_a_same_day_procedure_is_received_and_returned_in_one_sitting(world):
    d = receive(world, procedure=world.copy, when=at(2026, 11, 25, 9, 0))
    d = s.dossier_return_same_day(
        actor=world.counter_a, dossier=d, collected_by="Phạm Văn Bình", at=at(2026, 11, 25, 9, 15)
    )
    assert d.status == Status.RETURNED and d.timeliness == "on_time"
    assert d.steps.get().completed_at == at(2026, 11, 25, 9, 15)


def test_a_multi_day_procedure_cannot_be_returned_at_once(world):
    with pytest.raises(TransitionNotAllowed):
        s.dossier_return_same_day(actor=world.counter_a, dossier=receive(world), collected_by="A")


def test_returning_at_once_is_offered_only_for_same_day_procedures():
    from cqtt.dossiers.rules import available_actions

    roles = {"counter_officer"}
    assert "return-same-day" not in [t.action for t in available_actions("received", roles)]
    assert "return-same-day" in [t.action for t in available_actions("received", roles, same_day=True)]


def test_consultation_runs_beside_the_processing_step_and_is_answered(world):
    d = s.dossier_assign(
        actor=world.leader, dossier=receive(world), assignee=world.specialist, at=at(2026, 11, 23, 10, 0)
    )
    step = s.dossier_consult(
        actor=world.specialist,
        dossier=d,
        unit=world.other_dept,
        question="Xác minh nơi cư trú",
        days=1,
        at=at(2026, 11, 23, 14, 0),
    )
    assert step.kind == "consultation" and step.due_at == at(2026, 11, 25, 14, 0)  # skips 24/11
    d.refresh_from_db()
    assert d.current_unit != world.other_dept  # consulting does not move the dossier
    with pytest.raises(PermissionDenied):
        s.dossier_consultation_reply(
            actor=world.counter_b, dossier=d, step_seq=step.seq, answer="Đã xác minh"
        )
    step = s.dossier_consultation_reply(
        actor=world.specialist,
        dossier=d,
        step_seq=step.seq,
        answer="Đúng nơi cư trú",
        at=at(2026, 11, 25, 9, 0),
    )
    assert step.timeliness == "on_time" and "Đúng nơi cư trú" in step.note  # answered on the due day
    # the processing step itself is still open until the next hand-over
    assert d.steps.filter(kind="handover", completed_at__isnull=True).count() == 1
    with pytest.raises(TransitionNotAllowed):
        s.dossier_consultation_reply(actor=world.specialist, dossier=d, step_seq=step.seq, answer="lần hai")


def test_automatic_assignment_by_procedure_goes_to_the_least_loaded_specialist(world):
    from cqtt.accounts.models import Role
    from cqtt.accounts.services import role_grant
    from cqtt.dossiers.models import AssignmentRule
    from tests.factories import make_user

    busy = world.specialist
    role_grant(user=busy, unit=world.dept, role=Role.SPECIALIST)
    free = make_user("chuyenvien3", unit=world.dept, role=Role.SPECIALIST)
    s.dossier_assign(actor=world.leader, dossier=receive(world), assignee=busy)
    AssignmentRule.objects.create(unit=world.a, procedure_code="1.001193", department=world.dept)
    d = receive(world)
    assert d.status == Status.IN_PROGRESS and d.assignee == free and d.current_unit == world.dept
    event = d.events.get(action="assign")
    assert event.actor is None and event.data["automatic"] is True


def test_a_field_rule_applies_when_no_procedure_rule_matches_and_none_means_unassigned(world):
    from cqtt.dossiers.models import AssignmentRule

    rule = AssignmentRule.objects.create(
        unit=world.a, field_code="HT", department=world.dept, specialist=world.specialist
    )
    assert receive(world).assignee == world.specialist
    rule.is_active = False
    rule.save()
    assert receive(world).status == Status.RECEIVED


# --- dossier codes cannot collide between units (outside probe, issue 11) -----------------------------------


def test_a_unit_admin_cannot_give_its_ward_another_wards_identifier(world, client):
    from cqtt.core.errors import PermissionDenied as Denied
    from cqtt.units.services import unit_save
    from tests.factories import make_user

    admin_b = make_user("qtb", unit=world.b, role="unit_admin")
    world.b.digital_id = world.a.code  # the identifier ward A's dossier codes start with
    with pytest.raises(Denied):
        unit_save(unit=world.b, actor=admin_b)
    client.force_login(admin_b)
    html = client.get(f"/admin/units/unit/{world.b.pk}/change/").content.decode()
    assert 'name="digital_id"' not in html and 'name="code"' not in html


def test_no_two_units_share_the_start_of_their_dossier_codes(world):
    from cqtt.core.errors import ServiceError
    from cqtt.units.models import Unit
    from cqtt.units.services import unit_save

    # even a superuser cannot make two wards issue the same dossier codes
    b = Unit.objects.get(pk=world.b.pk)
    b.digital_id = world.a.code
    with pytest.raises(ServiceError) as refused:
        unit_save(unit=b, actor=None)
    assert "mỗi đơn vị cần một mã riêng" in str(refused.value)
    a = Unit.objects.get(pk=world.a.pk)
    a.digital_id = "000.00.17.H12"
    unit_save(unit=a)
    b.digital_id = "000.00.17.H12"
    with pytest.raises(ServiceError):
        unit_save(unit=b)
    # so ward B's intake never collides with ward A's codes
    first = receive(world)
    assert first.code.startswith("000.00.17.H12-")
    other = s.dossier_intake(
        actor=world.counter_b,
        procedure_code=world.birth.code,
        applicant=applicant(),
        documents=documents_for(world.birth),
        at=at(2026, 11, 23, 9, 0),
    ).dossier
    assert other.code.startswith("25978-") and other.code != first.code


def _slip_state(d) -> tuple[int, object]:
    """What the row says of its control slip, and what the steps say."""
    d.refresh_from_db()
    steps = list(d.steps.order_by("seq"))
    open_handover = [x for x in steps if x.completed_at is None and x.kind != "consultation"]
    expected = (steps[-1].seq if steps else 0, open_handover[-1].due_at if open_handover else None)
    assert (d.step_seq, d.step_due_at) == expected
    return expected


def test_the_row_keeps_the_control_slip_state_through_hand_overs_and_consultations(world):
    d = receive(world)
    assert _slip_state(d) == (0, None)
    d = s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist, at=at(2026, 11, 23, 10, 0))
    seq, due = _slip_state(d)
    assert seq == 2 and due is not None  # the counter's step passed on, the specialist's open
    s.dossier_consult(
        actor=world.specialist,
        dossier=d,
        unit=world.other_dept,
        question="Xác minh",
        at=at(2026, 11, 23, 14, 0),
    )
    assert _slip_state(d) == (3, due)  # a consultation is numbered but leaves the hand-over open
    d = s.dossier_submit(actor=world.specialist, dossier=d, at=at(2026, 11, 25, 15, 0))
    seq, due = _slip_state(d)
    assert seq == 4
    d = s.dossier_approve(actor=world.leader, dossier=d, at=at(2026, 11, 26, 9, 0))
    d = s.dossier_mark_ready(actor=world.specialist, dossier=d, at=at(2026, 11, 26, 10, 0))
    d = s.dossier_return_result(actor=world.counter_a, dossier=d, collected_by="B", at=at(2026, 11, 27, 8, 0))
    seq, due = _slip_state(d)
    assert due is None
    assert d.steps.filter(kind="handover", completed_at__isnull=True).count() == 0
    assert d.steps.get(seq=3).completed_at is None  # the unanswered consultation stays open


def test_the_migration_fills_the_control_slip_state_from_the_steps(world):
    import importlib

    from django.apps import apps
    from django.db import connection

    d = s.dossier_assign(
        actor=world.leader, dossier=receive(world), assignee=world.specialist, at=at(2026, 11, 23, 10, 0)
    )
    expected = _slip_state(d)
    type(d).objects.filter(pk=d.pk).update(step_seq=0, step_due_at=None)
    migration = importlib.import_module("cqtt.dossiers.migrations.0010_step_state")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.fill(apps, editor)
    assert _slip_state(d) == expected


def test_an_extension_beyond_the_calendar_is_refused_with_a_message(world):
    d = s.dossier_assign(
        actor=world.leader, dossier=receive(world), assignee=world.specialist, at=at(2026, 11, 23, 10, 0)
    )
    with pytest.raises(ServiceError) as refused:
        s.dossier_extend(
            actor=world.leader,
            dossier=d,
            reason="Chờ xác minh",
            new_due_at=at(2199, 1, 5, 9, 0),
            at=at(2026, 11, 24),
        )
    assert "lịch làm việc" in str(refused.value.message_dict["new_due_at"])
