import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cqtt.evaluation import criteria_services as services
from cqtt.evaluation.criteria_models import CriteriaSet, Cycle, OutreachSession, RolloutTarget
from cqtt.evaluation.criteria_views import cycle_report_pdf

from .conftest import TODAY, to_inspected, to_submitted

pytestmark = pytest.mark.usefixtures("frozen_clock")


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_supervisor_creates_a_cycle_and_bad_input_keeps_what_was_typed(world, supervisor, bd_set):
    c = as_user(supervisor)
    url = reverse("evaluation:criteria-home")
    bad = c.post(
        url,
        {
            "name": "Đợt thử nghiệm năm 2026",
            "criteria_set": bd_set.pk,
            "starts_on": "31/02/2026",
            "ends_on": "31/12/2026",
            "units": ["25747"],
        },
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Đợt thử nghiệm năm 2026" in text and "31/12/2026" in text and "dd/mm/yyyy" in text
    assert 'value="25747" checked' in text
    ok = c.post(
        url,
        {
            "name": "Đợt 2026",
            "criteria_set": bd_set.pk,
            "starts_on": "01/01/2026",
            "ends_on": "31/12/2026",
            "units": ["25747", "25978"],
        },
    )
    cycle = Cycle.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("evaluation:criteria-cycle", args=[cycle.pk])
    assert c.get(ok["Location"]).status_code == 200


def test_the_leader_scores_and_a_bad_score_keeps_the_other_values(world, assessment_a):
    c = as_user(world.leader)
    url = reverse("evaluation:criteria-assessment", args=[assessment_a.pk])
    assert c.post(url, {"action": "start"}).status_code == 302
    ids = list(assessment_a.scores.filter(criterion__kind="self").values_list("criterion_id", flat=True))
    data = {
        "action": "self_score",
        f"score_{ids[0]}": "99",
        f"score_{ids[1]}": "7,5",
        f"comment_{ids[1]}": "Đã đặt hòm thư góp ý ở sảnh",
    }
    bad = c.post(url, data)
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Điểm từ 0 đến 15." in text and 'value="7,5"' in text and "Đã đặt hòm thư góp ý ở sảnh" in text
    ok = c.post(url, {**data, f"score_{ids[0]}": "10"})
    assert ok.status_code == 302
    page = c.get(url).content.decode()
    assert 'value="10"' in page and "Gửi kết quả tự đánh giá" in page
    pdf = SimpleUploadedFile("anh.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    assert c.post(url, {"action": "evidence", "criterion": ids[0], "file": pdf}).status_code == 302
    assert c.post(url, {"action": "evidence", "criterion": ids[0]}).status_code == 400


def test_the_observer_reads_but_cannot_write_and_another_unit_gets_404(world, leader_b, assessment_a):
    url = reverse("evaluation:criteria-assessment", args=[assessment_a.pk])
    observer = as_user(world.observer)
    page = observer.get(url)
    assert page.status_code == 200 and 'name="action"' not in page.content.decode()
    assert observer.post(url, {"action": "start"}).status_code == 403
    assessment_a.refresh_from_db()
    assert assessment_a.status == "draft"
    other = as_user(leader_b)
    assert other.get(url).status_code == 404
    assert other.post(url, {"action": "start"}).status_code == 404
    assert other.get(reverse("evaluation:criteria-cycle", args=[assessment_a.cycle_id])).status_code == 200
    # … where ward B sees only its own row
    assert (
        "Phường Thủ Dầu Một"
        not in other.get(reverse("evaluation:criteria-cycle", args=[assessment_a.cycle_id])).content.decode()
    )
    assert other.get(reverse("evaluation:criteria-report", args=[assessment_a.cycle_id])).status_code == 404
    assert other.get(reverse("evaluation:criteria-sets")).status_code == 403


def test_the_inspection_team_inspects_and_recognises_on_the_page(world, supervisor, assessment_a):
    to_submitted(assessment_a, world)
    c = as_user(supervisor)
    url = reverse("evaluation:criteria-assessment", args=[assessment_a.pk])
    values = {
        f"score_{s.criterion_id}": str(s.criterion.weight)
        for s in assessment_a.scores.select_related("criterion")
    }
    bad = c.post(url, {"action": "inspect", **values, "inspected_on": "hôm nay", "note": "Tốt"})
    assert bad.status_code == 400 and "Ghi ngày kiểm tra" in bad.content.decode()
    assert c.post(url, {"action": "inspect", **values, "inspected_on": "24/11/2026"}).status_code == 302
    bad = c.post(url, {"action": "recognise", "decision_number": "", "decision_date": "24/11/2026"})
    assert bad.status_code == 400 and 'value="24/11/2026"' in bad.content.decode()
    assert (
        c.post(
            url, {"action": "recognise", "decision_number": "15/QĐ-UBND", "decision_date": "24/11/2026"}
        ).status_code
        == 302
    )
    assert "15/QĐ-UBND" in c.get(url).content.decode()
    # a state the table refuses is 409 with a message
    assert c.post(url, {"action": "inspect", **values, "inspected_on": "24/11/2026"}).status_code == 409


def test_sets_are_versioned_on_the_pages(world, supervisor, bd_set):
    c = as_user(supervisor)
    url = reverse("evaluation:criteria-sets")
    assert "Thanh Hóa" in c.get(url).content.decode()
    r = c.post(url, {"action": "new_version", "source": bd_set.pk, "province": "79"})
    v2 = CriteriaSet.objects.get(province=world.city)
    assert r.status_code == 302 and v2.version == 2
    bad = c.post(
        reverse("evaluation:criteria-set", args=[v2.pk]),
        {"name": v2.name, "pass_mark": "80", "criteria": "a1 | mười | | Đúng hẹn"},
    )
    assert bad.status_code == 400 and "a1 | mười | | Đúng hẹn" in bad.content.decode()
    good = c.post(
        reverse("evaluation:criteria-set", args=[v2.pk]),
        {
            "name": v2.name,
            "pass_mark": "15",
            "criteria": "a1 | 10 | dossiers_on_time | Đúng hẹn\nb | 10 | | Góp ý",
        },
    )
    assert good.status_code == 302 and v2.criteria.count() == 2
    assert c.post(reverse("evaluation:criteria-set", args=[bd_set.pk]), {"name": "x"}).status_code == 403
    bad = c.post(url, {"code": "", "name": "Bộ riêng", "pass_mark": "5", "criteria": "1 | 3 | | Niêm yết"})
    assert bad.status_code == 400 and "Bộ riêng" in bad.content.decode()


def test_rollout_targets_pilots_and_outreach_on_the_page(world, supervisor):
    c = as_user(supervisor)
    url = reverse("evaluation:criteria-rollout")
    bad = c.post(
        url,
        {
            "action": "target",
            "province": "79",
            "name": "50 % xã, phường",
            "due_on": "31/12/2025",
            "percent": "500",
        },
    )
    assert bad.status_code == 400 and "50 % xã, phường" in bad.content.decode()
    assert (
        c.post(
            url,
            {
                "action": "target",
                "province": "79",
                "name": "50 % xã, phường",
                "due_on": "31/12/2025",
                "percent": "50",
            },
        ).status_code
        == 302
    )
    assert RolloutTarget.objects.count() == 1
    assert (
        c.post(
            url, {"action": "pilot", "province": "79", "unit": "25747", "chosen_on": "05/01/2026"}
        ).status_code
        == 302
    )
    choices = c.get(url).context["communes"]
    assert world.a not in choices and world.b in choices  # a ward already a pilot is not offered again
    leader = as_user(world.leader)
    assert (
        leader.post(
            url,
            {
                "action": "outreach",
                "unit": "25747",
                "held_on": "08/03/2026",
                "place": "Hội trường",
                "topic": "Văn hóa công sở",
                "attendees": "90",
            },
        ).status_code
        == 302
    )
    assert OutreachSession.objects.get().attendees == 90
    page = leader.get(url).content.decode()
    assert ">90<" in page
    # the observer has no unit to write for: the form is not shown and a post naming ward A is refused
    observer = as_user(world.observer)
    assert 'data-testid="outreach-form"' not in observer.get(url).content.decode()
    assert observer.post(url, {"action": "outreach", "unit": "25747"}).status_code == 400
    assert OutreachSession.objects.count() == 1


def test_the_review_report_renders_as_pdf(world, supervisor, assessment_a):
    a = to_inspected(assessment_a, world, supervisor, score=100)
    services.assessment_recognise(
        actor=supervisor, assessment=a, decision_number="7/QĐ-UBND", decision_date=TODAY
    )
    services.reward_propose(actor=supervisor, assessment=a, form="Bằng khen", reason="Dẫn đầu")
    services.review_record(
        actor=supervisor,
        cycle=a.cycle,
        kind="final",
        held_on=TODAY,
        summary="Tổng kết năm 2026",
        lessons="Nhân rộng",
    )
    assert cycle_report_pdf(a.cycle).startswith(b"%PDF")
    r = as_user(supervisor).get(reverse("evaluation:criteria-report", args=[a.cycle_id]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")


def test_the_api_gives_targets_with_progress_and_the_assessment(world, supervisor, assessment_a, leader_b):
    services.target_save(
        actor=supervisor, province=world.city, name="100 %", due_on=dt.date(2030, 12, 31), percent=100
    )
    a = to_inspected(assessment_a, world, supervisor, score=100)
    services.assessment_recognise(
        actor=supervisor, assessment=a, decision_number="7/QĐ-UBND", decision_date=TODAY
    )
    body = as_user(supervisor).get(reverse("api:criteria-targets") + "?province=79").json()
    assert body["province"] == "79"
    assert body["targets"][0] | {"id": 0} == {
        "id": 0,
        "name": "100 %",
        "due_on": "2030-12-31",
        "percent": 100,
        "count": None,
        "wanted": 2,
        "recognised": 1,
        "progress": 0.5,
        "met": False,
        "overdue": False,
    }
    assert as_user(world.leader).get(reverse("api:criteria-targets") + "?province=79").status_code == 404
    detail = as_user(world.leader).get(reverse("api:criteria-assessment", args=[a.pk])).json()
    assert detail["status"] == "recognised" and detail["decision_number"] == "7/QĐ-UBND"
    assert len(detail["criteria"]) == 7 and detail["inspection_total"] == 100.0
    assert as_user(leader_b).get(reverse("api:criteria-assessment", args=[a.pk])).status_code == 404
    assert as_user(world.leader).get(reverse("api:criteria-outreach")).json() == []
