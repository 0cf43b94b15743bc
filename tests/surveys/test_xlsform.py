import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from cqtt.surveys import selectors, services, xlsform
from cqtt.surveys.models import SurveyForm

pytestmark = pytest.mark.usefixtures("frozen_clock")


def _workbook(survey, choices=(), settings=(("form_title", "form_id"), ("Phiếu Kobo", "kobo01"))) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in survey:
        ws.append(list(row))
    ch = wb.create_sheet("choices")
    for row in choices:
        ch.append(list(row))
    st = wb.create_sheet("settings")
    for row in settings:
        st.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


KOBO = _workbook(
    [
        (
            "type",
            "name",
            "label::Vietnamese (vi)",
            "label::English (en)",
            "required",
            "relevant",
            "appearance",
            "constraint",
        ),
        ("start", "start", "", "", "", "", "", ""),
        ("end", "end", "", "", "", "", "", ""),
        ("select_one yn", "da_den", "Ông/bà đã đến chưa?", "Have you been?", "yes", "", "", ""),
        (
            "integer",
            "so_lan",
            "Mấy lần?",
            "How many times?",
            "true",
            "${da_den} = 'yes'",
            "",
            ". >= 1 and . <= 50",
        ),
        ("begin_group", "phan_2", "Đánh giá", "Rating", "", "", "", ""),
        ("select_one hl", "hl", "Mức hài lòng", "Satisfaction", "yes", "", "likert", ""),
        ("begin_group", "bang", "Cán bộ", "Officers", "", "", "table-list", ""),
        ("select_one hl", "bang_lich_su", "Lịch sự", "Polite", "yes", "", "", ""),
        ("select_one hl", "bang_tan_tinh", "Tận tình", "Helpful", "yes", "", "", ""),
        ("end_group", "", "", "", "", "", "", ""),
        ("select_multiple kenh", "kenh", "Kênh thông tin", "Channels", "", "", "", ""),
        ("text", "y_kien", "Ý kiến khác", "Other", "", "selected(${kenh}, 'khac')", "multiline", ""),
        ("note", "cam_on", "Xin cảm ơn!", "Thanks!", "", "", "", ""),
        ("end_group", "", "", "", "", "", "", ""),
    ],
    [
        ("list_name", "name", "label::Vietnamese (vi)", "label::English (en)"),
        ("yn", "yes", "Rồi", "Yes"),
        ("yn", "no", "Chưa", "No"),
        *[("hl", str(i), f"Mức {i}", f"Level {i}") for i in range(1, 6)],
        ("kenh", "web", "Cổng thông tin", "Web"),
        ("kenh", "khac", "Khác", "Other"),
    ],
)


def test_a_kobotoolbox_form_comes_in_with_its_vietnamese_labels(sv):
    form = services.form_import_xlsform(actor=sv.leader, unit=sv.a, content=KOBO)
    qs = {q.key: q for q in selectors.form_rules(form)}
    assert form.code == "KOBO01" and form.title == "Phiếu Kobo"
    assert list(qs) == ["da_den", "so_lan", "phan_2", "hl", "bang", "kenh", "y_kien", "cam_on"]
    assert qs["da_den"].label == "Ông/bà đã đến chưa?" and qs["da_den"].required
    assert (qs["so_lan"].min_value, qs["so_lan"].max_value, qs["so_lan"].relevant) == (
        1,
        50,
        "${da_den} = 'yes'",
    )
    assert qs["phan_2"].type == "section" and qs["hl"].type == "likert"
    assert qs["bang"].type == "likert_matrix" and [r["value"] for r in qs["bang"].rows] == [
        "lich_su",
        "tan_tinh",
    ]
    assert (
        qs["kenh"].type == "select_multiple"
        and qs["y_kien"].type == "textarea"
        and qs["cam_on"].type == "note"
    )


def test_export_then_import_gives_the_same_form(sv):
    content = selectors.form_xlsform(sv.form)
    # the same unit cannot hold two forms with one code: import into the other ward through its specialist
    copy = services.form_import_xlsform(actor=sv.other, unit=sv.b, content=content)
    assert (copy.code, copy.title, copy.description) == (sv.form.code, sv.form.title, sv.form.description)
    assert selectors.form_rules(copy) == selectors.form_rules(sv.form)


def test_every_bad_row_is_reported_and_nothing_is_imported(sv):
    bad = _workbook(
        [
            ("type", "name", "label::vi", "required", "relevant"),
            ("select_one nope", "a", "Câu A", "yes", ""),
            ("geopoint", "b", "Vị trí", "", ""),
            ("text", "C D", "Câu C", "", ""),
            ("text", "d", "Câu D", "", "${zz} = 'x'"),
            ("", "e", "Không có loại", "", ""),
        ],
        [("list_name", "name", "label::vi")],
    )
    before = SurveyForm.objects.count()
    with pytest.raises(services.ServiceError) as refused:
        services.form_import_xlsform(actor=sv.leader, unit=sv.a, content=bad)
    messages = refused.value.message_dict["file"]
    assert any("dòng 2" in m and "nope" in m for m in messages)
    assert any("dòng 3" in m and "geopoint" in m for m in messages)
    assert any("dòng 6" in m for m in messages)
    assert SurveyForm.objects.count() == before


def test_builder_errors_of_an_import_name_their_rows(sv):
    bad = _workbook(
        [
            ("type", "name", "label::vi", "relevant"),
            ("text", "C D", "Câu C", ""),
            ("text", "d", "Câu D", "${zz} = 'x'"),
        ],
    )
    with pytest.raises(services.ServiceError) as refused:
        services.form_import_xlsform(actor=sv.leader, unit=sv.a, content=bad)
    messages = refused.value.message_dict["file"]
    assert any(m.startswith("Trang survey, dòng 2: Mã câu hỏi") for m in messages)
    assert any(m.startswith("Trang survey, dòng 3: Điều kiện hiển thị") for m in messages)


def test_a_file_that_is_not_a_workbook_is_refused(sv):
    with pytest.raises(services.ServiceError) as refused:
        services.form_import_xlsform(actor=sv.leader, unit=sv.a, content=b"not a workbook")
    assert "xlsx" in refused.value.message_dict["file"][0]


def test_the_import_page_reports_the_rows_and_the_export_downloads(client, sv):
    client.force_login(sv.leader)
    bad = _workbook([("type", "name", "label::vi"), ("date", "ngay", "Ngày")])
    r = client.post(
        reverse("surveys:form_import"), {"unit": sv.a.code, "file": SimpleUploadedFile("x.xlsx", bad)}
    )
    assert r.status_code == 400 and "Trang survey, dòng 2" in r.content.decode()
    r = client.post(
        reverse("surveys:form_import"), {"unit": sv.a.code, "file": SimpleUploadedFile("k.xlsx", KOBO)}
    )
    assert r.status_code == 302 and SurveyForm.objects.filter(code="KOBO01", unit=sv.a).exists()
    r = client.get(reverse("surveys:form_export", args=[sv.form.pk]))
    assert r.status_code == 200 and xlsform.parse(r.content).title == sv.form.title


def test_another_unit_cannot_import_into_this_one(client, sv):
    client.force_login(sv.other)
    r = client.post(
        reverse("surveys:form_import"), {"unit": sv.a.code, "file": SimpleUploadedFile("k.xlsx", KOBO)}
    )
    assert r.status_code == 404 and not SurveyForm.objects.filter(code="KOBO01").exists()
