import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cqtt.core.models import AuditEvent, OutboxEvent
from cqtt.surveys import services
from cqtt.surveys.models import Campaign, Channel, Question, Response, SurveyForm
from tests.surveys.conftest import TODAY, fill, good_answers

pytestmark = pytest.mark.usefixtures("frozen_clock")
PW = "pw-12345-test"


def login(client, user):
    client.force_login(user)
    return client


def chart_specs(html: str) -> dict[str, dict]:
    """The results page's Vega-Lite specs (json_script blocks) by question key."""
    out = {}
    for section in html.split('<section class="question-result" data-key="')[1:]:
        key, body = section.split('"')[0], section.split("</section>")[0]
        found = re.search(
            r'<script id="(survey-chart-\d+-spec)" type="application/json">(.*?)</script>', body, re.S
        )
        if found:
            assert f'data-vega-spec="{found.group(1)}"' in body
            out[key] = json.loads(found.group(2))
    return out


def _pages(sv):
    c, f = sv.campaign, sv.form
    q = f.questions.first()
    return [
        reverse("surveys:campaign", args=[c.public_id]),
        reverse("surveys:qr", args=[c.public_id]),
        reverse("surveys:paper", args=[c.public_id]),
        reverse("surveys:results", args=[c.public_id]),
        reverse("surveys:export", args=[c.public_id]),
        reverse("surveys:form", args=[f.pk]),
        reverse("surveys:question", args=[f.pk, q.pk]),
        reverse("surveys:form_export", args=[f.pk]),
    ]


def test_every_page_of_a_campaign_or_form_of_another_unit_is_404(client, sv):
    for user in (sv.other, sv.observer_b):
        login(client, user)
        for url in _pages(sv):
            assert client.get(url).status_code == 404, (user, url)
        assert (
            client.post(
                reverse("surveys:campaign", args=[sv.campaign.public_id]), {"action": "close"}
            ).status_code
            == 404
        )
        assert (
            client.post(reverse("surveys:paper", args=[sv.campaign.public_id]), good_answers()).status_code
            == 404
        )
        assert (
            client.post(
                reverse("surveys:form", args=[sv.form.pk]), {"action": "copy", "unit": sv.b.code}
            ).status_code
            == 404
        )
    assert Response.objects.count() == 0 and sv.campaign.status == "open"


def test_the_lists_show_only_the_users_units(client, sv):
    login(client, sv.other)
    r = client.get(reverse("surveys:campaigns"))
    assert r.status_code == 200 and sv.campaign.title not in r.content.decode()
    assert client.get(reverse("surveys:campaigns"), {"unit": sv.a.code}).status_code == 404
    assert client.get(reverse("surveys:forms"), {"unit": sv.a.code}).status_code == 404
    r = client.get(reverse("surveys:forms"))
    assert sv.form.title not in r.content.decode()
    assert client.get(reverse("surveys:campaign_new"), {"unit": sv.a.code}).status_code == 404


def test_the_staff_list_shows_the_units_campaigns(client, sv, django_assert_max_num_queries):
    login(client, sv.specialist)
    with django_assert_max_num_queries(12):
        r = client.get(reverse("surveys:campaigns"))
    assert r.status_code == 200 and sv.campaign.title in r.content.decode()


def test_someone_without_a_survey_role_is_refused(client, sv):
    from tests.factories import make_user

    login(client, make_user("khong"))
    assert client.get(reverse("surveys:campaigns")).status_code == 403
    assert client.get(reverse("surveys:forms")).status_code == 403


def test_the_staff_home_links_to_the_surveys_for_survey_roles_only(client, sv):
    from tests.factories import make_user

    login(client, sv.counter)
    html = client.get(reverse("accounts:home")).content.decode()
    assert reverse("surveys:campaigns") in html and reverse("surveys:forms") not in html
    login(client, sv.leader)
    assert reverse("surveys:forms") in client.get(reverse("accounts:home")).content.decode()
    login(client, make_user("khong"))
    assert reverse("surveys:campaigns") not in client.get(reverse("accounts:home")).content.decode()


def test_a_campaign_is_created_opened_and_closed_with_events(client, sv):
    login(client, sv.leader)
    r = client.post(
        reverse("surveys:campaign_new") + f"?unit={sv.a.code}",
        {
            "form": sv.form.pk,
            "kind": "after_result",
            "starts_on": "24/11/2026",
            "ends_on": "31/12/2026",
            "open_now": "on",
        },
    )
    assert r.status_code == 302
    c = Campaign.objects.get(kind="after_result")
    assert c.status == "open" and c.unit == sv.a
    page = client.get(r["Location"]).content.decode()
    assert f"/khao-sat/{c.public_id}/" in page and "<svg" in page
    assert client.post(r["Location"], {"action": "close"}).status_code == 302
    c.refresh_from_db()
    assert c.status == "closed"
    kinds = set(OutboxEvent.objects.filter(stream="survey", aggregate_id=c.pk).values_list("kind", flat=True))
    assert kinds == {"survey.campaign_create", "survey.campaign_open", "survey.campaign_close"}
    assert AuditEvent.objects.filter(action="surveys.campaign_close", object_id=str(c.pk)).exists()


def test_a_bad_campaign_form_shows_vietnamese_errors_and_keeps_the_input(client, sv):
    login(client, sv.leader)
    r = client.post(
        reverse("surveys:campaign_new") + f"?unit={sv.a.code}",
        {
            "form": sv.form.pk,
            "kind": "other",
            "starts_on": "31/12/2026",
            "ends_on": "01/12/2026",
            "title": "Đợt thử",
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "Ngày kết thúc không được trước ngày bắt đầu." in html and 'value="Đợt thử"' in html
    r = client.post(
        reverse("surveys:campaign_new") + f"?unit={sv.a.code}",
        {"form": sv.form.pk, "kind": "other", "starts_on": "32/13/2026"},
    )
    assert "Nhập ngày dạng dd/mm/yyyy" in r.content.decode()


def test_the_observer_runs_fatherland_front_campaigns_only(client, sv):
    login(client, sv.observer)
    page = client.get(reverse("surveys:campaign_new"), {"unit": sv.a.code}).content.decode()
    assert 'value="fatherland_front"' in page and 'value="before_model"' not in page
    r = client.post(
        reverse("surveys:campaign_new") + f"?unit={sv.a.code}",
        {"form": sv.form.pk, "kind": "before_model", "starts_on": "24/11/2026", "ends_on": "30/11/2026"},
    )
    assert r.status_code == 400 and not Campaign.objects.filter(kind="before_model").exists()
    r = client.post(
        reverse("surveys:campaign_new") + f"?unit={sv.a.code}",
        {
            "form": sv.form.pk,
            "kind": "fatherland_front",
            "starts_on": "24/11/2026",
            "ends_on": "30/11/2026",
            "open_now": "on",
        },
    )
    front = Campaign.objects.get(kind="fatherland_front")
    assert r.status_code == 302 and front.status == "open"
    # its own campaign: paper entry and raw answers; the unit's other campaign: results only
    fill(front, 5)
    assert client.get(reverse("surveys:export", args=[front.public_id])).status_code == 200
    assert client.get(reverse("surveys:paper", args=[front.public_id])).status_code == 200
    assert client.get(reverse("surveys:results", args=[sv.campaign.public_id])).status_code == 200
    assert client.get(reverse("surveys:export", args=[sv.campaign.public_id])).status_code == 403
    assert client.get(reverse("surveys:paper", args=[sv.campaign.public_id])).status_code == 403
    client.post(reverse("surveys:campaign", args=[sv.campaign.public_id]), {"action": "close"})
    sv.campaign.refresh_from_db()
    assert sv.campaign.status == "open"


def test_paper_answers_are_typed_in_by_staff_and_marked(client, sv):
    login(client, sv.counter)
    url = reverse("surveys:paper", args=[sv.campaign.public_id])
    r = client.post(url, {"da_den": "khong", "hai_long": ""})
    assert r.status_code == 400 and "là câu bắt buộc" in r.content.decode()
    assert client.post(url, {"da_den": "khong", "hai_long": "3"}).status_code == 302
    response = Response.objects.get()
    assert response.channel == Channel.PAPER and response.entered_by == sv.counter
    event = AuditEvent.objects.get(action="surveys.response_add")
    assert event.actor == sv.counter


def test_results_show_charts_data_and_hide_small_cells(client, sv):
    fill(sv.campaign, 6)
    fill(sv.campaign, 1, hai_long="1", gop_y="Cán bộ Nguyễn Văn A rất tận tình")
    login(client, sv.specialist)
    r = client.get(reverse("surveys:results", args=[sv.campaign.public_id]))
    html = r.content.decode()
    assert r.status_code == 200
    # one Vega-Lite spec per question for vega-embed from our static files (no inline script, no Chart.js)
    assert "core/vendor/vega/vega-embed.min.js" in html and "core/charts.js" in html and "&lt; 5" in html
    assert "chart.umd.min.js" not in html and "<script>" not in html
    specs = chart_specs(html)
    assert set(specs) == {"da_den", "hai_long", "kenh", "thai_do"}  # no chart of a text or a number
    assert all(s["usermeta"] == {"cqtt": "surveys"} for s in specs.values())
    assert specs["hai_long"]["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert "Nguyễn Văn A" not in html  # free text never on the results page
    assert sv.counter.username not in html


def _fill_38_with_two_hidden_levels(campaign):
    """38 answers to the scale and to the first row of the matrix: levels 1 and 2 hidden (2 and 3 answers); a
    two-decimal mean (3.68) with the total would tell them apart exactly."""
    for level, n in (("1", 2), ("2", 3), ("3", 10), ("4", 13), ("5", 10)):
        fill(campaign, n, hai_long=level, **{"thai_do.lich_su": level})


def test_a_scale_or_matrix_row_with_a_hidden_cell_shows_no_mean_on_the_page_nor_in_the_charts(client, sv):
    _fill_38_with_two_hidden_levels(sv.campaign)
    login(client, sv.specialist)
    r = client.get(reverse("surveys:results", args=[sv.campaign.public_id]))
    html = r.content.decode()
    section = html.split('data-key="hai_long"')[1].split("</section>")[0]
    assert "38 người trả lời" in section and 'data-testid="mean-hidden"' in section
    assert "3,68" not in html and "3.68" not in html and "3,7" not in html
    matrix = html.split('data-key="thai_do"')[1].split("</section>")[0]
    assert "Không tính vì có mức dưới 5 phiếu" in matrix and "3,68" not in matrix
    specs = chart_specs(html)
    # the hidden cells are not drawn: levels 1 and 2 are neither bars nor numbers of the spec, their labels stay
    scale = specs["hai_long"]
    assert [(v["label"], v["pct"], v["n"]) for v in scale["data"]["values"]] == [
        ("Bình thường", 26, 10),
        ("Hài lòng", 34, 13),
        ("Rất hài lòng", 26, 10),
    ]
    assert scale["encoding"]["y"]["scale"]["domain"][:2] == ["Rất không hài lòng", "Không hài lòng"]
    # the matrix's one answered row has a hidden level, so no mean: nothing to draw
    assert "thai_do" not in specs and "data-vega-spec" not in matrix


def test_a_question_asked_only_on_a_hidden_cell_is_withheld_on_the_page(client, sv):
    fill(sv.campaign, 30)
    fill(sv.campaign, 2, da_den="khong", so_lan=None)  # "so_lan" is asked only when "da_den" is "co"
    login(client, sv.specialist)
    html = client.get(reverse("surveys:results", args=[sv.campaign.public_id])).content.decode()
    section = html.split('data-key="so_lan"')[1].split("</section>")[0]
    assert 'data-testid="withheld"' in section and "30" not in section and "<table" not in section
    # "co" (30) is hidden with "khong" (2): the first question has nothing to draw, the follow-up no chart
    specs = chart_specs(html)
    assert "so_lan" not in specs and "da_den" not in specs
    assert all(v.get("n") != 30 for s in specs.values() for v in s["data"]["values"])


def test_before_and_after_campaigns_are_shown_side_by_side(client, sv):
    before = services.campaign_create(
        actor=sv.leader,
        form=sv.form,
        unit=sv.a,
        kind="before_model",
        starts_on=TODAY.replace(month=1, day=1),
        ends_on=TODAY,
    )
    after = services.campaign_create(
        actor=sv.leader,
        form=sv.form,
        unit=sv.a,
        kind="after_model",
        starts_on=TODAY,
        ends_on=TODAY,
        paired_with=before,
    )
    for c, level in ((before, "2"), (after, "5")):
        fill(services.campaign_open(actor=sv.leader, campaign=c), 5, hai_long=level)
    login(client, sv.leader)
    html = client.get(reverse("surveys:results", args=[after.public_id])).content.decode()
    assert "So sánh với đợt trước" in html and "Đợt trước" in html
    assert html.count("100%") >= 1 and "trung bình 5,0" in html and "đợt trước 2,0" in html
    # the chart draws the earlier campaign's bar beside this one's, in the table's order
    scale = chart_specs(html)["hai_long"]
    drawn = {(v["label"], v["series"]): v["pct"] for v in scale["data"]["values"] if v["pct"]}
    assert drawn == {("Không hài lòng", "Đợt trước"): 100, ("Rất hài lòng", "Đợt này"): 100}
    assert scale["encoding"]["yOffset"]["scale"]["domain"] == ["Đợt trước", "Đợt này"]


def test_pairing_needs_an_earlier_campaign_of_the_same_form(sv):
    later = services.campaign_create(
        actor=sv.leader, form=sv.form, unit=sv.a, kind="other", starts_on=TODAY, ends_on=TODAY
    )
    with pytest.raises(services.ServiceError):
        services.campaign_create(
            actor=sv.leader,
            form=sv.form,
            unit=sv.a,
            kind="other",
            starts_on=TODAY.replace(day=1),
            ends_on=TODAY,
            paired_with=later,
        )


def test_the_raw_export_hides_rare_values_and_gives_free_text_to_leaders_only(client, sv):
    fill(sv.campaign, 6)
    fill(sv.campaign, 5, hai_long="3")  # hidden with the rare "1", as on the results page
    fill(sv.campaign, 1, hai_long="1", gop_y="Nên có thêm ghế chờ")
    login(client, sv.specialist)
    wb = load_workbook(
        io.BytesIO(client.get(reverse("surveys:export", args=[sv.campaign.public_id])).content)
    )
    cells = [c for row in wb.active.iter_rows(values_only=True) for c in row if c]
    assert "< 5" in cells and "Nên có thêm ghế chờ" not in cells and "Hài lòng" in cells
    login(client, sv.leader)
    wb = load_workbook(
        io.BytesIO(client.get(reverse("surveys:export", args=[sv.campaign.public_id])).content)
    )
    cells = [c for row in wb.active.iter_rows(values_only=True) for c in row if c]
    assert "Nên có thêm ghế chờ" in cells


def _export_rows(client, campaign) -> list[dict]:
    wb = load_workbook(io.BytesIO(client.get(reverse("surveys:export", args=[campaign.public_id])).content))
    rows = list(wb.active.iter_rows(values_only=True))
    keys = rows[3]
    return [dict(zip(keys, r, strict=True)) for r in rows[4:] if r[1]]  # a form a row; then the time


def test_the_raw_export_masks_what_the_results_hide_and_the_follow_ups_of_a_masked_answer(client, sv):
    fill(sv.campaign, 6)
    fill(sv.campaign, 1, hai_long="1")
    login(client, sv.specialist)
    rows = _export_rows(client, sv.campaign)
    # the results hide "1" and, with it, "4": six "Hài lòng" and one "< 5" would give both away
    assert [r["hai_long"] for r in rows] == ["< 5"] * 7
    assert [r["da_den"] for r in rows] == ["Đã đến"] * 7 and [r["so_lan"] for r in rows] == [2] * 7
    fill(sv.campaign, 23)
    fill(sv.campaign, 2, da_den="khong", so_lan=None)
    rows = _export_rows(client, sv.campaign)
    # "khong" is rare (and takes "co" with it); "so_lan" is asked only on "co": blank or not, it would tell
    assert {r["da_den"] for r in rows} == {"< 5"} and {r["so_lan"] for r in rows} == {"< 5"}
    assert len(rows) == 32 and {r["kenh"] for r in rows} == {"Cổng thông tin"}


def test_the_builder_adds_edits_moves_and_deletes_questions(client, sv):
    form = services.form_create(actor=sv.leader, unit=sv.a, code="TD02", title="Phiếu thử")
    login(client, sv.leader)
    url = reverse("surveys:form", args=[form.pk])
    r = client.post(
        url,
        {
            "action": "add",
            "type": "select_one",
            "key": "a",
            "label": "Câu A",
            "required": "on",
            "choices": "co | Có\nkhong | Không",
        },
    )
    assert r.status_code == 302
    r = client.post(
        url, {"action": "add", "type": "text", "key": "b", "label": "Câu B", "relevant": "${a} = 'co'"}
    )
    assert r.status_code == 302
    r = client.post(
        url, {"action": "add", "type": "text", "key": "c", "label": "Câu C", "relevant": "${zz} = 'co'"}
    )
    assert (
        r.status_code == 400
        and "không có ở phía trước" in r.content.decode()
        and "Câu C" in r.content.decode()
    )
    b = form.questions.get(key="b")
    r = client.post(url, {"action": "up", "question": b.pk})
    assert (
        form.questions.get(key="a").position < form.questions.get(key="b").position
    )  # show-if keeps it below
    r = client.post(
        reverse("surveys:question", args=[form.pk, b.pk]),
        {"type": "textarea", "key": "b", "label": "Câu B dài", "relevant": "${a} = 'co'"},
    )
    assert r.status_code == 302 and form.questions.get(key="b").type == "textarea"
    r = client.post(url, {"action": "delete", "question": form.questions.get(key="a").pk})
    assert r.status_code == 400 and form.questions.filter(key="a").exists()  # b depends on it
    client.post(url, {"action": "delete", "question": b.pk})
    assert list(form.questions.values_list("key", flat=True)) == ["a"]
    assert AuditEvent.objects.filter(action="surveys.question_save").count() == 3


def test_a_form_with_answers_is_locked_and_copied(client, sv):
    fill(sv.campaign, 1)
    login(client, sv.leader)
    url = reverse("surveys:form", args=[sv.form.pk])
    r = client.post(url, {"action": "add", "type": "text", "key": "moi", "label": "Câu mới"})
    assert r.status_code == 409 and not sv.form.questions.filter(key="moi").exists()
    r = client.post(url, {"action": "copy", "unit": sv.a.code})
    copy = SurveyForm.objects.exclude(pk=sv.form.pk).get(unit=sv.a)
    assert r.status_code == 302 and copy.code == "TD01-2"
    assert list(copy.questions.values_list("key", flat=True)) == list(
        sv.form.questions.values_list("key", flat=True)
    )


def test_the_builder_refuses_a_bad_question_in_vietnamese(client, sv):
    form = services.form_create(actor=sv.leader, unit=sv.a, code="TD03", title="Phiếu thử")
    login(client, sv.leader)
    r = client.post(
        reverse("surveys:form", args=[form.pk]),
        {"action": "add", "type": "select_one", "key": "Sai Mã", "label": "Câu hỏi giữ lại", "choices": "x"},
    )
    html = r.content.decode()
    assert r.status_code == 400 and "Mã câu hỏi gồm chữ thường" in html and "Cần ít nhất 2 phương án" in html
    assert "Câu hỏi giữ lại" in html
    assert Question.objects.filter(form=form).count() == 0


def test_a_typed_answer_that_looks_like_a_formula_stays_text_in_the_export(client, sv):
    fill(sv.campaign, 1, gop_y='=HYPERLINK("http://x","bấm")')
    login(client, sv.leader)
    content = client.get(reverse("surveys:export", args=[sv.campaign.public_id])).content
    wb = load_workbook(io.BytesIO(content))
    cells = [
        c for row in wb.active.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]
    assert cells and all(c.data_type == "s" for c in cells)
