import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cqtt.core.audit import AuditEvent
from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.outbox import OutboxEvent
from cqtt.evaluation import criteria_selectors as selectors
from cqtt.evaluation import criteria_services as services
from cqtt.evaluation.criteria_defaults import SETS, load_default_criteria
from cqtt.evaluation.criteria_models import (
    AssessmentEvent,
    AssessmentStatus,
    CriteriaSet,
    CriterionKind,
    RolloutTarget,
)
from cqtt.evaluation.models import UnitMonthFact
from cqtt.feedback.models import FeedbackItem
from cqtt.ratings.models import RatingTally

from .conftest import TODAY, at, self_values, to_inspected, to_submitted

pytestmark = pytest.mark.usefixtures("frozen_clock")
S = AssessmentStatus
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_built_in_sets_are_loaded_once_with_weights_that_add_up_to_100(db):
    assert load_default_criteria() == 0  # already there after migrate
    for code, *_rest in SETS:
        cs = CriteriaSet.objects.get(province__isnull=True, code=code)
        assert sum(c.weight for c in cs.criteria.all()) == Decimal(100)
        assert cs.builtin and cs.pass_mark == Decimal(80)
    th = CriteriaSet.objects.get(code="TH-5-3-4")
    assert th.criteria.count() == 12
    assert th.criteria.filter(kind=CriterionKind.AUTOMATIC).exclude(formula_text="").count() == 2
    assert CriteriaSet.objects.get(code="DN-4-4-5").criteria.count() == 13


def test_a_province_defines_its_own_set_and_bad_input_names_every_field(world, supervisor):
    with pytest.raises(ServiceError) as bad:
        services.criteria_set_create(
            actor=supervisor,
            province=world.city,
            code="",
            name="Bộ riêng",
            pass_mark="200",
            criteria=[
                services.CriterionData("", "Nội dung", "abc"),
                services.CriterionData("x", "", "5", "automatic"),
            ],
        )
    errors = bad.value.message_dict
    assert {"code", "c1.code", "c1.weight", "c2.text", "c2.formula"} <= errors.keys()
    cs = services.criteria_set_create(
        actor=supervisor,
        province=world.city,
        code="hcm-1",
        name="Bộ tiêu chí của Thành phố",
        pass_mark="15",
        criteria=[
            services.CriterionData("1", "Niêm yết thủ tục", "10"),
            services.CriterionData("2", "Đúng hạn", "10", "automatic", "dossiers_on_time"),
        ],
    )
    assert (cs.code, cs.version, cs.criteria.count()) == ("HCM-1", 1, 2)
    assert AuditEvent.objects.filter(action="evaluation.criteria_set_create").exists()
    with pytest.raises(PermissionDenied):
        services.criteria_set_create(
            actor=world.leader,
            province=world.city,
            code="X",
            name="X",
            pass_mark="1",
            criteria=[services.CriterionData("1", "a", "1")],
        )


def test_a_new_version_copies_the_last_and_a_version_in_use_is_read_only(world, supervisor, bd_set, cycle):
    v2 = services.criteria_set_new_version(actor=supervisor, source=bd_set, province=world.city)
    assert (v2.code, v2.version, v2.province) == ("BD-TIEU-CHI", 2, world.city)
    assert [c.code for c in v2.criteria.order_by("position")] == [
        c.code for c in bd_set.criteria.order_by("position")
    ]
    crit = [services.CriterionData(c.code, c.text, c.weight, c.kind, c.formula) for c in v2.criteria.all()]
    crit[0].weight = "20"
    services.criteria_set_update(
        actor=supervisor, criteria_set=v2, name=v2.name, pass_mark="85", criteria=crit
    )
    v3 = services.criteria_set_new_version(actor=supervisor, source=bd_set, province=world.city)
    assert v3.version == 3 and v3.pass_mark == Decimal(85)
    with pytest.raises(PermissionDenied):
        services.criteria_set_update(
            actor=supervisor, criteria_set=bd_set, name="x", pass_mark="1", criteria=crit
        )
    services.cycle_create(
        actor=supervisor,
        province=world.city,
        name="Đợt 2",
        criteria_set=v3,
        starts_on=TODAY,
        ends_on=TODAY,
        units=[world.a],
    )
    with pytest.raises(TransitionNotAllowed):
        services.criteria_set_update(
            actor=supervisor, criteria_set=v3, name="x", pass_mark="80", criteria=crit
        )


def test_a_cycle_needs_dates_in_order_and_communes_of_the_province(world, supervisor, bd_set):
    with pytest.raises(ServiceError) as bad:
        services.cycle_create(
            actor=supervisor,
            province=world.city,
            name="",
            criteria_set=bd_set,
            starts_on=TODAY,
            ends_on=TODAY - dt.timedelta(days=1),
            units=[world.dept],
        )
    assert {"name", "ends_on", "units"} <= bad.value.message_dict.keys()


def test_the_leader_self_assesses_and_submits_with_the_automatic_criteria_computed(
    world, supervisor, assessment_a
):
    # given: 9 of 10 finished dossiers on time, 3 of 4 ratings satisfied, 1 of 2 feedback answered on time
    # (the dossiers from the read model, over the months of the cycle: two months, summed)
    UnitMonthFact.objects.create(unit=world.a, month=dt.date(2026, 9, 1), finished=4, on_time=3, early=1)
    UnitMonthFact.objects.create(unit=world.a, month=dt.date(2026, 10, 1), finished=6, on_time=5, late=1)
    UnitMonthFact.objects.create(unit=world.a, month=dt.date(2025, 12, 1), finished=50, late=50)  # before it
    RatingTally.objects.create(unit=world.a, month=dt.date(2026, 10, 1), level="satisfied", count=3)
    RatingTally.objects.create(unit=world.a, month=dt.date(2026, 10, 1), level="neutral", count=1)
    for on_time in (True, False):
        FeedbackItem.objects.create(
            unit=world.a,
            kind="suggestion",
            channel="web",
            content="Góp ý",
            received_at=at(2026, 10, 1, 9),
            refuse_by=at(2026, 10, 3),
            supplement_by=at(2026, 10, 3),
            transfer_by=at(2026, 10, 3),
            due_at=at(2026, 10, 20),
            answered_at=at(2026, 10, 10),
            on_time=on_time,
        )
    a = services.assessment_start(actor=world.specialist, assessment=assessment_a)
    assert a.status == S.SELF_ASSESSING
    with pytest.raises(ServiceError) as bad:
        services.assessment_self_score(
            actor=world.specialist,
            assessment=a,
            values={f"score_{a.scores.filter(criterion__kind='self').first().criterion_id}": "99"},
        )
    assert "Điểm từ 0 đến" in str(bad.value.message_dict)
    with pytest.raises(ServiceError):
        services.assessment_submit(actor=world.leader, assessment=a)  # self-assessed criteria without a score
    services.assessment_self_score(actor=world.specialist, assessment=a, values=self_values(a))
    with pytest.raises(PermissionDenied):
        services.assessment_submit(actor=world.specialist, assessment=a)
    a = services.assessment_submit(actor=world.leader, assessment=a)
    auto = {s.criterion.formula: s for s in a.scores.select_related("criterion") if s.criterion.formula}
    assert auto["dossiers_on_time"].auto_value == 90.0
    assert auto["dossiers_on_time"].self_score == Decimal("13.50")  # 90 % of 15
    assert auto["ratings_satisfied"].auto_value == 75.0
    assert auto["feedback_on_time"].auto_value == 50.0 and auto["feedback_on_time"].self_score == Decimal(5)
    assert (
        a.status == S.SUBMITTED and a.self_total == Decimal("12") * 4 + Decimal("13.50") + Decimal("7.50") + 5
    )
    assert list(AssessmentEvent.objects.filter(assessment=a).values_list("action", flat=True)) == [
        "start",
        "self_score",
        "submit",
    ]
    assert OutboxEvent.objects.filter(stream="evaluation", kind="evaluation.assessment_submit").exists()
    assert AuditEvent.objects.filter(action="evaluation.assessment_submit", unit_code="25747").exists()


def test_the_inspection_team_returns_inspects_and_recognises_with_the_decision(
    world, supervisor, assessment_a
):
    a = to_submitted(assessment_a, world)
    with pytest.raises(ServiceError):
        services.assessment_return(actor=supervisor, assessment=a, note=" ")
    a = services.assessment_return(actor=supervisor, assessment=a, note="Bổ sung ảnh hòm thư góp ý")
    assert a.status == S.SELF_ASSESSING
    a = services.assessment_submit(actor=world.leader, assessment=a)
    with pytest.raises(PermissionDenied):
        services.assessment_inspect(actor=world.leader, assessment=a, values={}, inspected_on=TODAY)
    with pytest.raises(ServiceError) as bad:
        services.assessment_inspect(
            actor=supervisor, assessment=a, values={}, inspected_on=TODAY + dt.timedelta(days=1)
        )
    assert "inspected_on" in bad.value.message_dict
    values = {
        f"score_{s.criterion_id}": str(s.criterion.weight) for s in a.scores.select_related("criterion")
    }
    a = services.assessment_inspect(
        actor=supervisor, assessment=a, values=values, inspected_on=TODAY, note="Tốt"
    )
    assert a.status == S.INSPECTED and a.inspection_total == Decimal(100)
    with pytest.raises(ServiceError) as bad:
        services.assessment_recognise(actor=supervisor, assessment=a, decision_number="", decision_date=None)
    assert {"decision_number", "decision_date"} <= bad.value.message_dict.keys()
    a = services.assessment_recognise(
        actor=supervisor, assessment=a, decision_number="123/QĐ-UBND", decision_date=TODAY
    )
    assert (a.status, a.decision_number, a.decision_date) == (S.RECOGNISED, "123/QĐ-UBND", TODAY)
    with pytest.raises(TransitionNotAllowed):
        services.assessment_return(actor=supervisor, assessment=a, note="x")
    reward = services.reward_propose(
        actor=supervisor,
        assessment=a,
        form="Bằng khen của Chủ tịch UBND Thành phố",
        reason="Dẫn đầu về tỷ lệ hài lòng",
    )
    assert reward.assessment == a
    assert OutboxEvent.objects.filter(kind="evaluation.assessment_recognise").count() == 1


def test_a_unit_below_the_pass_mark_is_not_recognised(world, supervisor, assessment_a):
    a = to_inspected(assessment_a, world, supervisor, score=1)
    with pytest.raises(ServiceError) as bad:
        services.assessment_recognise(
            actor=supervisor, assessment=a, decision_number="1/QĐ", decision_date=TODAY
        )
    assert "chưa đạt điểm chuẩn" in str(bad.value.message_dict)
    a = services.assessment_not_recognise(actor=supervisor, assessment=a, note="Chưa đạt tiêu chí c")
    assert a.status == S.NOT_RECOGNISED


def test_another_unit_and_the_observer_cannot_write(world, supervisor, leader_b, assessment_a):
    with pytest.raises(NotInScope):
        services.assessment_start(actor=leader_b, assessment=assessment_a)
    with pytest.raises(PermissionDenied):
        services.assessment_start(actor=world.observer, assessment=assessment_a)
    with pytest.raises(NotInScope):
        selectors.access_assessment(user=leader_b, pk=assessment_a.pk)
    assert selectors.access_assessment(user=world.observer, pk=assessment_a.pk) == assessment_a


def test_evidence_is_checked_by_its_content(world, assessment_a):
    a = services.assessment_start(actor=world.leader, assessment=assessment_a)
    crit = a.scores.filter(criterion__kind="self").first().criterion_id
    ev = services.evidence_add(
        actor=world.leader,
        assessment=a,
        criterion_id=crit,
        file=SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
    )
    assert ev.content_type == "application/pdf"
    with pytest.raises(ServiceError) as bad:
        services.evidence_add(
            actor=world.leader,
            assessment=a,
            criterion_id=crit,
            file=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
        )
    assert "file" in bad.value.message_dict


def test_targets_progress_from_recognised_units_and_outreach_is_counted(world, supervisor, assessment_a):
    services.target_save(
        actor=supervisor,
        province=world.city,
        name="100 % xã, phường",
        due_on=dt.date(2030, 12, 31),
        percent="100",
    )
    services.target_save(
        actor=supervisor, province=world.city, name="1 phường thí điểm", due_on=dt.date(2026, 12, 31), count=1
    )
    with pytest.raises(ServiceError) as bad:
        services.target_save(
            actor=supervisor, province=world.city, name="x", due_on=None, percent="150", count=""
        )
    assert {"due_on", "percent"} <= bad.value.message_dict.keys()
    a = to_inspected(assessment_a, world, supervisor, score=100)
    services.assessment_recognise(
        actor=supervisor, assessment=a, decision_number="9/QĐ-UBND", decision_date=TODAY
    )
    rows = {r.target.name: r.progress for r in selectors.targets_progress(province=world.city)}
    assert rows["100 % xã, phường"].fraction == 0.5 and rows["1 phường thí điểm"].met
    assert RolloutTarget.objects.count() == 2
    services.pilot_add(actor=supervisor, province=world.city, unit=world.a, chosen_on=dt.date(2026, 1, 5))
    with pytest.raises(ServiceError):
        services.pilot_add(actor=supervisor, province=world.city, unit=world.a, chosen_on=dt.date(2026, 1, 5))
    services.outreach_record(
        actor=world.leader,
        unit=world.a,
        held_on=dt.date(2026, 3, 8),
        place="Nhà văn hóa khu phố 1",
        topic="Quy tắc ứng xử",
        attendees="80",
    )
    services.outreach_record(
        actor=supervisor,
        unit=world.a,
        held_on=dt.date(2026, 5, 1),
        place="Hội trường",
        topic="Thủ tục trực tuyến",
        attendees=120,
    )
    with pytest.raises(ServiceError) as bad:
        services.outreach_record(
            actor=world.leader, unit=world.a, held_on=None, place="", topic="x", attendees="nhiều"
        )
    assert {"held_on", "place", "attendees"} <= bad.value.message_dict.keys()
    with pytest.raises(PermissionDenied):
        services.outreach_record(
            actor=world.observer, unit=world.a, held_on=TODAY, place="a", topic="b", attendees=1
        )
    assert selectors.outreach_counts(user=world.leader) == [
        {"unit": "25747", "unit_name": "Phường Thủ Dầu Một", "year": 2026, "sessions": 2, "attendees": 200}
    ]


def test_reviews_are_recorded_once_final(world, supervisor, cycle):
    services.review_record(
        actor=supervisor, cycle=cycle, kind="preliminary", held_on=TODAY, summary="Sơ kết 6 tháng"
    )
    services.review_record(actor=supervisor, cycle=cycle, kind="final", held_on=TODAY, summary="Tổng kết năm")
    with pytest.raises(ServiceError):
        services.review_record(actor=supervisor, cycle=cycle, kind="final", held_on=TODAY, summary="Lần 2")
    with pytest.raises(PermissionDenied):
        services.review_record(
            actor=world.leader, cycle=cycle, kind="preliminary", held_on=TODAY, summary="x"
        )
