"""The periodic reports (ADR 0024): asked for, built by the task with its progress, laid out as xlsx and PDF with
charts drawn on the server, refused with Vietnamese messages, another unit's report unseen."""

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError
from cqtt.core.models import AuditEvent
from cqtt.evaluation import reports_content, reports_selectors, reports_services
from cqtt.evaluation.reports_models import Report, ReportStatus
from tests.dossiers.conftest import at

NOW = at(2026, 11, 24, 10, 0)


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Ask for a report at the frozen time, its build run when the request commits (the immediate backend)."""

    def go(actor, unit, period="2026-Q4", kind="one_stop", proposals=""):
        with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
            report = reports_services.report_request(
                actor=actor, kind=kind, unit_code=unit.code, period=period, proposals=proposals
            )
        report.refresh_from_db()
        return report

    return go


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _sheet_values(data: bytes, title: str) -> list[tuple]:
    wb = load_workbook(io.BytesIO(data))
    return [tuple(row) for row in wb[title].iter_rows(values_only=True)]


@pytest.mark.django_db
def test_province_one_stop_report_is_built_with_each_commune_and_the_charts(two_months, supervisor, ask):
    w = two_months
    report = ask(supervisor, w.city, proposals="Đề nghị bổ sung máy lấy số thứ tự.")

    assert report.status == ReportStatus.DONE
    assert report.done == report.total == 2 + reports_content.TAIL_STEPS  # the city's two wards, then 3 steps
    summary = dict(row[:2] for row in _sheet_values(report.xlsx, "Tổng hợp") if row[0])
    assert summary["Hồ sơ tiếp nhận"] == 4
    assert summary["Hồ sơ đã giải quyết"] == 3
    assert summary["— quá hạn"] == 2
    assert summary["Kiến nghị, đề xuất"] == "Đề nghị bổ sung máy lấy số thứ tự."
    one_stop = _sheet_values(report.xlsx, "Một cửa")
    by_code = {row[0]: row for row in one_stop[1:]}
    assert by_code[w.a.code][2:8] == (4, 0, 3, 1, 0, 2)  # received, online, finished, early, on time, late
    assert by_code[w.b.code][2] == 0 and by_code[w.b.code][8] == "không có dữ liệu"
    media = [n for n in zipfile.ZipFile(io.BytesIO(report.xlsx)).namelist() if n.startswith("xl/media/")]
    assert len(media) == 3  # rates, letters, ranking: PNGs drawn by vl-convert
    assert all(zipfile.ZipFile(io.BytesIO(report.xlsx)).read(n)[:4] == b"\x89PNG" for n in media)

    text = _pdf_text(report.pdf)
    assert "Tình hình, kết quả thực hiện cơ chế một cửa, một cửa liên thông quý IV năm 2026" in text
    assert w.a.full_name in text and "Đề nghị bổ sung máy lấy số thứ tự." in text
    assert "Tỷ lệ theo tháng (%)" in text  # the chart's title, set in the bundled font from the SVG
    assert "không phải điểm chính thức" in text


@pytest.mark.django_db
def test_ward_model_review_report_carries_the_scorecard_and_letters(two_months, ask):
    w = two_months
    report = ask(w.leader, w.a, period="2026-10", kind="model_review")

    assert report.status == ReportStatus.DONE
    assert report.total == reports_content.TAIL_STEPS  # a ward: no communes to go through
    rows = _sheet_values(report.xlsx, "Mô hình")
    ward = next(r for r in rows if r[0] == w.a.code)
    assert ward[2] == 50.0  # one very satisfied, one unsatisfied in October
    assert ward[3] == 100.0  # October's feedback answered on time (the late one is November's)
    text = _pdf_text(report.pdf)
    assert "Sơ kết, tổng kết xây dựng mô hình chính quyền thân thiện tháng 10 năm 2026" in text
    assert "Thư theo loại" in text


@pytest.mark.django_db
def test_progress_is_reported_step_by_step_up_to_the_total(two_months, supervisor, frozen_clock):
    w = two_months
    report = Report.objects.create(
        kind="one_stop", unit=w.city, period="2026-Q4", requested_by=supervisor, requested_at=NOW
    )
    seen = []
    content = reports_content.report_content(report, lambda d, t: seen.append((d, t)))
    reports_content.report_outputs(content, lambda d, t: seen.append((d, t)))
    total = 2 + reports_content.TAIL_STEPS
    assert seen[0] == (0, total)
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert {t for _d, t in seen} == {total}
    assert seen[-1][0] == total - 1  # the last step (storing) is the build's


@pytest.mark.django_db
def test_build_is_claimed_once_and_a_lost_build_can_be_taken_again(two_months, supervisor, frozen_clock):
    w = two_months
    report = Report.objects.create(
        kind="one_stop", unit=w.a, period="2026-Q4", requested_by=supervisor, requested_at=NOW
    )
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, started_at=NOW, heartbeat_at=NOW)
    assert reports_services.report_build(report_id=report.pk) is False  # another worker has it
    frozen_clock.shift(dt.timedelta(minutes=9))
    assert reports_services.report_build(report_id=report.pk) is False  # still alive a while ago
    frozen_clock.shift(dt.timedelta(minutes=2))
    assert reports_services.report_build(report_id=report.pk) is True  # that worker was lost
    assert reports_services.report_build(report_id=report.pk) is False  # done: a second delivery does nothing
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and bytes(report.pdf)[:5] == b"%PDF-"


@pytest.mark.django_db
def test_failed_build_keeps_the_error_and_is_asked_again(two_months, supervisor, ask, monkeypatch):
    w = two_months

    def broken(content):
        raise RuntimeError("disk full")

    monkeypatch.setattr(reports_content, "report_xlsx", broken)
    report = ask(supervisor, w.a)
    assert report.status == ReportStatus.FAILED and "disk full" in report.error and report.xlsx is None
    assert reports_services.may_retry(report)

    monkeypatch.undo()
    report = reports_services.report_retry(actor=supervisor, report=report)
    assert report.status == ReportStatus.QUEUED
    assert reports_services.report_build(report_id=report.pk) is True
    actions = list(
        AuditEvent.objects.filter(object_id=str(report.pk), action__startswith="evaluation.report_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "evaluation.report_request",
        "evaluation.report_failed",
        "evaluation.report_retry",
        "evaluation.report_done",
    ]


@pytest.mark.django_db
def test_a_done_report_is_not_asked_again(two_months, supervisor, ask):
    report = ask(supervisor, two_months.a)
    with pytest.raises(ServiceError) as refused:
        reports_services.report_retry(actor=supervisor, report=report)
    assert "đã lập xong" in str(refused.value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "period", "field", "words"),
    [
        ("one_stop", "2026-10", "period", "lập theo quý hoặc năm"),
        ("one_stop", "quý 4", "period", "Kỳ báo cáo không hợp lệ"),
        ("one_stop", "2026-Q5", "period", "Kỳ báo cáo không hợp lệ"),
        ("model_review", "2027", "period", "chưa bắt đầu"),
        ("bao_cao_khac", "2026-Q4", "kind", "Chọn loại báo cáo"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_stored(
    world, supervisor, frozen_clock, kind, period, field, words
):
    with pytest.raises(ServiceError) as refused:
        reports_services.report_request(actor=supervisor, kind=kind, unit_code=world.city.code, period=period)
    assert words in " ".join(refused.value.message_dict[field])
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_proposals_too_long_are_refused(world, supervisor, frozen_clock):
    with pytest.raises(ServiceError) as refused:
        reports_services.report_request(
            actor=supervisor, kind="one_stop", unit_code=world.a.code, period="2026-Q4", proposals="x" * 5001
        )
    assert "dài quá 5000 ký tự" in refused.value.message_dict["proposals"][0]


@pytest.mark.django_db
def test_wrong_unit_neither_asks_nor_sees_a_report(two_months, leader_b, supervisor, ask):
    w = two_months
    report = ask(w.leader, w.a)
    with pytest.raises(NotInScope):
        reports_services.report_request(actor=leader_b, kind="one_stop", unit_code=w.a.code, period="2026-Q4")
    with pytest.raises(NotInScope):
        reports_selectors.access_report(user=leader_b, pk=report.pk)
    assert list(reports_selectors.reports_for(user=leader_b)) == []
    assert list(reports_selectors.reports_for(user=supervisor)) == [report]  # the province reads its wards'
    assert reports_selectors.access_report(user=w.observer, pk=report.pk) == report  # the observer reads
    with pytest.raises(PermissionDenied) as denied:
        reports_services.report_request(
            actor=w.observer, kind="one_stop", unit_code=w.a.code, period="2026-Q4"
        )
    assert "chỉ được xem báo cáo" in str(denied.value)


# --- pages -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_ask_show_progress_and_download(
    client, two_months, supervisor, django_capture_on_commit_callbacks
):
    w = two_months
    client.force_login(supervisor)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("evaluation:reports"))
        assert page.status_code == 200 and w.a.full_name in page.content.decode()

        bad = client.post(
            reverse("evaluation:reports"),
            {"kind": "one_stop", "unit": w.city.code, "period": "2026-11", "proposals": "Giữ lại"},
        )
        assert bad.status_code == 400
        body = bad.content.decode()
        assert "lập theo quý hoặc năm" in body and "Giữ lại" in body  # what was typed is kept
        assert not Report.objects.exists()

        with django_capture_on_commit_callbacks(execute=False) as queued:
            asked = client.post(
                reverse("evaluation:reports"), {"kind": "one_stop", "unit": w.city.code, "period": "2026-Q4"}
            )
        report = Report.objects.get()
        assert asked.status_code == 302 and asked["Location"] == reverse(
            "evaluation:report", args=[report.pk]
        )
        waiting = client.get(asked["Location"]).content.decode()
        assert 'http-equiv="refresh"' in waiting and "Đang chờ lập" in waiting
        assert client.get(reverse("evaluation:report-file", args=[report.pk, "pdf"])).status_code == 404

        for callback in queued:
            callback()
        done = client.get(asked["Location"]).content.decode()
        assert 'http-equiv="refresh"' not in done and "Tải tệp PDF" in done
        pdf = client.get(reverse("evaluation:report-file", args=[report.pk, "pdf"]))
        assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
        xlsx = client.get(reverse("evaluation:report-file", args=[report.pk, "xlsx"]))
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats") and xlsx.content[:2] == b"PK"
        assert client.get(reverse("evaluation:report-file", args=[report.pk, "doc"])).status_code == 404


@pytest.mark.django_db
def test_pages_of_another_unit_are_404(client, two_months, leader_b, ask):
    w = two_months
    report = ask(w.leader, w.a)
    client.force_login(leader_b)
    assert client.get(reverse("evaluation:report", args=[report.pk])).status_code == 404
    assert client.get(reverse("evaluation:report-file", args=[report.pk, "pdf"])).status_code == 404
    assert client.get(reverse("evaluation:report", args=["abc"])).status_code == 404
    listing = client.get(reverse("evaluation:reports")).content.decode()
    assert w.a.full_name not in listing
    refused = client.post(
        reverse("evaluation:reports"), {"kind": "one_stop", "unit": w.a.code, "period": "2026-Q4"}
    )
    assert refused.status_code == 400 and "Chọn một đơn vị của bạn" in refused.content.decode()


@pytest.mark.django_db
def test_a_proposal_typed_as_a_formula_stays_text_in_the_workbook(two_months, supervisor, ask):
    report = ask(supervisor, two_months.a, proposals='=HYPERLINK("http://x.example","Bấm")')
    wb = load_workbook(io.BytesIO(report.xlsx))
    cell = next(
        c for row in wb["Tổng hợp"].iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)
    )
    assert cell.data_type == "s"


@pytest.mark.django_db
def test_a_communes_row_counts_its_departments_and_the_provinces_own_come_in_a_row_of_their_own(
    world, supervisor, frozen_clock
):
    from cqtt.evaluation import selectors
    from cqtt.evaluation.models import UnitMonthFact
    from tests.factories import make_department

    w = world
    city_dept = make_department(w.city, "SNV", "Sở Nội vụ")
    october = dt.date(2026, 10, 1)
    for unit, received in ((w.a, 2), (w.dept, 5), (w.b, 1), (city_dept, 7)):
        UnitMonthFact.objects.create(
            unit=unit, month=october, received=received, finished=received, on_time=received
        )
    report = Report.objects.create(
        kind="one_stop", unit=w.city, period="2026-Q4", requested_by=supervisor, requested_at=NOW
    )
    content = reports_content.report_content(report)
    rows = {r["name"]: r["received"] for r in content["rows"]}
    assert rows == {w.a.full_name: 7, w.b.full_name: 1, "Cấp tỉnh (sở, ban, ngành)": 7}
    assert content["summary"]["received"] == sum(rows.values()) == 15  # the total is the sum of the rows
    assert [r["name"] for r in content["ranking"]] == [w.a.full_name, w.b.full_name]  # communes only
    ranking = selectors.province_ranking(province=w.city, period=indices_period("2026-10"))
    assert {r["unit"]: r["dossiers_finished"] for r in ranking} == {w.a.code: 7, w.b.code: 1}


def indices_period(text):
    from cqtt.evaluation import indices

    return indices.parse_period(text)


@pytest.mark.django_db
def test_control_characters_typed_in_the_proposals_do_not_break_the_workbook(two_months, supervisor, ask):
    report = ask(supervisor, two_months.a, proposals="Đề nghị\x01 bổ sung\x00 máy\x1f lấy số")
    assert report.status == ReportStatus.DONE and report.proposals == "Đề nghị bổ sung máy lấy số"


@pytest.mark.django_db
def test_a_worker_taken_for_lost_that_comes_back_changes_nothing(
    two_months, supervisor, frozen_clock, monkeypatch
):
    w = two_months
    report = Report.objects.create(
        kind="one_stop",
        unit=w.a,
        period="2026-Q4",
        requested_by=supervisor,
        requested_at=NOW,
        heartbeat_at=NOW,
    )
    real = reports_content.report_content
    took_over = []

    def slow_first(r, progress):
        if not took_over:  # the first worker stalls; eleven minutes later a second one takes the report
            took_over.append(True)
            frozen_clock.shift(dt.timedelta(minutes=11))
            assert reports_services.report_build(report_id=r.pk) is True
        return real(r, progress)

    monkeypatch.setattr(reports_content, "report_content", slow_first)
    assert (
        reports_services.report_build(report_id=report.pk) is False
    )  # the first comes back: nothing written
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert AuditEvent.objects.filter(action="evaluation.report_done", object_id=str(report.pk)).count() == 1


@pytest.mark.django_db
def test_a_request_whose_task_was_lost_can_be_asked_again(two_months, supervisor, frozen_clock):
    report = reports_services.report_request(
        actor=supervisor, kind="one_stop", unit_code=two_months.a.code, period="2026-Q4"
    )  # the test transaction never commits: its task is never run, as if the enqueue were lost
    assert not reports_services.may_retry(report)
    frozen_clock.shift(dt.timedelta(minutes=11))
    report.refresh_from_db()
    assert reports_services.may_retry(report)
    report = reports_services.report_retry(actor=supervisor, report=report)
    assert report.status == ReportStatus.QUEUED and not reports_services.may_retry(report)


@pytest.mark.django_db
def test_a_department_gets_no_report_of_its_own(world, supervisor, frozen_clock):
    with pytest.raises(ServiceError) as refused:
        reports_services.report_request(
            actor=supervisor, kind="one_stop", unit_code=world.dept.code, period="2026-Q4"
        )
    assert "tỉnh, thành phố hoặc một xã, phường" in refused.value.message_dict["unit"][0]
