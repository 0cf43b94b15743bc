import pytest
from django.urls import reverse

from cqtt.surveys import services
from cqtt.surveys.models import Response

pytestmark = pytest.mark.usefixtures("frozen_clock")


def _url(c):
    return reverse("surveys:answer", args=[c.public_id])


GOOD = {"da_den": "co", "so_lan": "3", "hai_long": "5", "kenh": ["web", "khac"], "kenh_khac": "Loa phường"}


def test_the_answer_page_shows_the_questions_with_required_marks(client, sv):
    r = client.get(_url(sv.campaign))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Ông/bà đã đến Bộ phận Một cửa của phường trong năm nay chưa?" in html
    assert 'class="req"' in html and "Đánh giá chi tiết" in html
    assert "no-store" in r["Cache-Control"]


def test_an_answer_sent_from_the_page_goes_to_the_thank_you_page(client, sv):
    r = client.post(_url(sv.campaign), GOOD)
    assert r.status_code == 302 and r["Location"] == reverse("surveys:thanks", args=[sv.campaign.public_id])
    assert Response.objects.get().answers["kenh"] == ["web", "khac"]
    assert "Cảm ơn" in client.get(r["Location"]).content.decode()


def test_a_missing_answer_is_shown_next_to_its_question_and_the_typed_answers_are_kept(client, sv):
    r = client.post(_url(sv.campaign), {**GOOD, "hai_long": "", "gop_y": "Nên có thêm ghế chờ"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Ông/bà hài lòng thế nào với việc tiếp đón?» là câu bắt buộc" in html
    assert 'id="err-hai_long"' in html
    assert "Nên có thêm ghế chờ</textarea>" in html
    assert 'value="3"' in html and 'id="kenh-web" value="web" checked' in html
    assert Response.objects.count() == 0


def test_a_hidden_question_is_not_required_on_the_page(client, sv):
    r = client.post(_url(sv.campaign), {"da_den": "khong", "hai_long": "3", "so_lan": ""})
    assert r.status_code == 302


def test_a_closed_or_unknown_campaign_page_is_404_with_an_explanation(client, sv):
    assert client.get(reverse("surveys:answer", args=["khong-co"])).status_code == 404
    services.campaign_close(actor=sv.leader, campaign=sv.campaign)
    r = client.get(_url(sv.campaign))
    assert r.status_code == 404 and "chưa mở hoặc đã kết thúc" in r.content.decode()
    assert client.post(_url(sv.campaign), GOOD).status_code == 404


def test_the_open_campaigns_of_a_unit(client, sv):
    r = client.get(reverse("surveys:unit", args=[sv.a.code]))
    assert r.status_code == 200 and sv.campaign.title in r.content.decode()
    assert sv.campaign.title not in client.get(reverse("surveys:unit", args=[sv.b.code])).content.decode()
    assert client.get(reverse("surveys:unit", args=["00000000"])).status_code == 404


def test_too_many_answers_from_one_address(client, sv, settings):
    settings.SURVEY_ANSWER_RATE = "1/h"
    assert client.post(_url(sv.campaign), GOOD).status_code == 302
    r = client.post(_url(sv.campaign), GOOD)
    assert r.status_code == 429 and Response.objects.count() == 1
