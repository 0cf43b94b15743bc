"""The pages: a wrong-unit user gets 404 everywhere, the observer reads but is refused every write (403), bad input
comes back with Vietnamese messages and what was typed, the public pages show no personal data, the question form
is rate-limited, and the staff list warns when the yearly minimum is not met."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from cqtt.dialogues import services
from cqtt.dialogues.models import Commitment, Dialogue, Question
from tests.dialogues.conftest import announced, at, commit, held, plan

pytestmark = pytest.mark.django_db


def client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def scene(world):
    d = held(world)
    q = services.question_ask(
        dialogue=announced(world, topic="Chợ tạm"), text="Khi nào dẹp chợ tạm đường Yersin?"
    )
    c = commit(world, d)
    return world, d, q, c


def _writes(d, q, c):
    return [
        (
            reverse("dialogues:act", args=[d.code, "publish_minutes"]),
            {"publish_minutes-attendees": "9", "publish_minutes-summary": "Biên bản buổi đối thoại"},
        ),
        (reverse("dialogues:act", args=[q.dialogue.code, "cancel"]), {"cancel-reason": "Trùng lịch"}),
        (
            reverse("dialogues:question_add", args=[d.code, "floor"]),
            {"floor-text": "Câu hỏi tại buổi đối thoại"},
        ),
        (reverse("dialogues:question_act", args=[q.pk, "accept"]), {}),
        (
            reverse("dialogues:commitment_add", args=[d.code]),
            {"commit-text": "Sửa đường hẻm 12", "commit-due_days": "3"},
        ),
        (
            reverse("dialogues:commitment_act", args=[c.pk, "complete"]),
            {f"c{c.pk}-complete-done_on": "2026-11-23", f"c{c.pk}-complete-evidence": "Xong"},
        ),
        (reverse("dialogues:commitment_act", args=[c.pk, "drop"]), {f"c{c.pk}-drop-reason": "Không làm"}),
    ]


def _state():
    return (
        list(Dialogue.objects.order_by("pk").values_list("status", "version")),
        list(Question.objects.order_by("pk").values_list("status", "version")),
        list(Commitment.objects.order_by("pk").values_list("status", "version")),
    )


def test_another_wards_staff_get_404_for_every_page_and_write(scene):
    world, d, q, c = scene
    outsider = client(world.specialist_b)
    before = _state()
    assert outsider.get(reverse("dialogues:detail", args=[d.code])).status_code == 404
    assert outsider.get(reverse("dialogues:list") + "?unit=25747").status_code == 404
    for url, data in _writes(d, q, c):
        assert outsider.post(url, data).status_code == 404, url
        assert outsider.post(url, {}).status_code == 404, url  # an invalid form too
    assert _state() == before


def test_the_observer_reads_but_every_write_is_refused(scene):
    world, d, q, c = scene
    observer = client(world.observer)
    page = observer.get(reverse("dialogues:detail", args=[d.code]))
    assert page.status_code == 200 and 'action="/doi-thoai/' not in page.content.decode()
    assert observer.get(reverse("dialogues:list")).status_code == 200
    assert observer.get(reverse("dialogues:plan")).status_code == 403
    before = _state()
    for url, data in _writes(d, q, c):
        assert observer.post(url, data).status_code == 403, url
        assert observer.post(url, {}).status_code == 403, url
    assert _state() == before


def test_the_plan_form_keeps_what_was_typed_and_names_the_fields(world):
    response = client(world.leader).post(
        reverse("dialogues:plan") + "?unit=25747",
        {
            "kind": "annual_front",
            "topic": "Chợ tạm đường Yersin",
            "starts_at": "32/13/2026",
            "place": "",
            "chair": "Chủ tịch",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Chợ tạm đường Yersin" in html and "Nhập địa điểm." in html and "Ngày giờ không hợp lệ" in html
    assert not Dialogue.objects.exists()
    response = client(world.leader).post(
        reverse("dialogues:plan") + "?unit=25747",
        {
            "kind": "annual_front",
            "topic": "Chợ tạm",
            "starts_at": "2026-12-18T08:00",
            "place": "Hội trường",
            "chair": "Chủ tịch",
        },
    )
    assert response.status_code == 400 and "Mặt trận Tổ quốc" in response.content.decode()


def test_a_leader_plans_announces_and_a_citizen_asks_on_the_public_form(world):
    leader = client(world.leader)
    response = leader.post(
        reverse("dialogues:plan") + "?unit=25747",
        {
            "kind": "youth",
            "topic": "Việc làm cho thanh niên",
            "starts_at": "2027-03-26T08:00",
            "place": "Nhà văn hóa khu phố 1",
            "chair": "Chủ tịch UBND phường",
            "co_organiser": "Đoàn Thanh niên phường",
        },
    )
    d = Dialogue.objects.get()
    assert response.status_code == 302 and d.kind == "youth" and d.starts_at == at(2027, 3, 26, 8, 0)
    assert (
        leader.post(reverse("dialogues:act", args=[d.code, "announce"]), {"version": d.version}).status_code
        == 302
    )
    citizen = client()
    bad = citizen.post(reverse("dialogues:ask", args=[d.code]), {"text": "Việc", "phone": "0912"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Câu hỏi quá ngắn" in html and "Việc</textarea>" in html and 'value="0912"' in html
    good = citizen.post(
        reverse("dialogues:ask", args=[d.code]), {"text": "Phường có lớp học nghề miễn phí không?"}
    )
    assert good.status_code == 302 and good["Location"] == reverse("dialogues:report", args=[d.code])
    assert Question.objects.get().source == "web"
    robot = citizen.post(
        reverse("dialogues:ask", args=[d.code]), {"text": "Mua hàng giá rẻ tại đây", "website": "x"}
    )
    assert robot.status_code == 302 and Question.objects.count() == 1


def test_the_question_form_is_rate_limited(world, settings):
    settings.FEEDBACK_SUBMIT_RATE = "2/h"
    d = announced(world)
    citizen = client()
    for _i in range(2):
        citizen.post(
            reverse("dialogues:ask", args=[d.code]), {"text": "Phường có lớp học nghề miễn phí không?"}
        )
    response = citizen.post(
        reverse("dialogues:ask", args=[d.code]), {"text": "Phường có lớp học nghề không?"}
    )
    assert response.status_code == 429 and Question.objects.count() == 2


def test_a_bad_commitment_keeps_its_text_and_the_page_explains_the_due_date(world):
    d = held(world)
    leader = client(world.leader)
    response = leader.post(
        reverse("dialogues:commitment_add", args=[d.code]),
        {
            "commit-text": "Lắp đèn hẻm 12 Bạch Đằng",
            "commit-owner": str(world.specialist.pk),
            "commit-due_date": "2026-11-29",
        },
    )
    html = response.content.decode()
    assert (
        response.status_code == 400
        and "Lắp đèn hẻm 12 Bạch Đằng" in html
        and "không phải ngày làm việc" in html
    )
    response = leader.post(
        reverse("dialogues:commitment_add", args=[d.code]),
        {
            "commit-text": "Lắp đèn hẻm 12 Bạch Đằng",
            "commit-owner": str(world.specialist.pk),
            "commit-due_days": "5",
        },
    )
    assert response.status_code == 302
    html = leader.get(reverse("dialogues:detail", args=[d.code])).content.decode()
    assert "Ngày Văn hóa Việt Nam" in html and "Ngày làm việc thứ 5" in html and "30/11/2026" in html


def test_the_report_back_page_counts_commitments_kept_on_time_without_personal_data(world, frozen_clock):
    d = held(world)
    q = services.question_ask(
        dialogue=d, text="Đèn hẻm 12 hỏng, gọi tôi 0912345678", name="Phạm Văn Bình", actor=world.leader
    )
    services.question_accept(actor=world.leader, question=q)
    services.question_answer(actor=world.leader, question=q, answer="Phường sẽ thay đèn trong tuần.")
    world.specialist.position = "Công chức Địa chính - Xây dựng"
    world.specialist.save()
    on_time = commit(world, d, days=1)  # due Monday 23/11
    services.commitment_complete(
        actor=world.leader, commitment=on_time, done_on=dt.date(2026, 11, 23), evidence="Đã thay đèn."
    )
    commit(world, d, days=1, text="Sửa ổ gà đường Yersin")  # open after 23/11: overdue on 24/11
    html = client().get(reverse("dialogues:report", args=[d.code])).content.decode()
    assert "Đúng hạn 1 trên 2 cam kết" in html and "quá hạn 1" in html
    assert "Phường sẽ thay đèn trong tuần." in html and "Công chức Địa chính - Xây dựng" in html
    assert "0912345678" not in html and "Phạm Văn Bình" not in html and world.specialist.full_name not in html
    planned = plan(world, topic="Kế hoạch chưa công bố")
    assert client().get(reverse("dialogues:report", args=[planned.code])).status_code == 404


def test_the_staff_list_warns_while_the_yearly_minimum_is_not_met(world, frozen_clock):
    held(world)
    html = client(world.leader).get(reverse("dialogues:list") + "?year=2026").content.decode()
    assert 'data-kind="annual_front" data-met="1"' in html and 'data-kind="youth" data-met="0"' in html
    assert "chưa có" in html


def test_a_planned_dialogue_is_edited_but_not_once_held(world):
    d = plan(world)
    leader = client(world.leader)
    url = reverse("dialogues:edit", args=[d.code])
    assert client(world.specialist_b).get(url).status_code == 404
    assert client(world.observer).get(url).status_code == 403
    form = leader.get(url)
    assert form.status_code == 200 and "Hội trường UBND phường" in form.content.decode()
    data = {
        "kind": "annual_front",
        "topic": d.topic,
        "starts_at": "2026-11-20T14:00",
        "place": "Nhà văn hóa khu phố 2",
        "chair": d.chair,
        "co_organiser": d.co_organiser,
        "version": d.version,
    }
    assert leader.post(url, data).status_code == 302
    d.refresh_from_db()
    assert (
        d.place == "Nhà văn hóa khu phố 2"
        and d.starts_at == at(2026, 11, 20, 14, 0)
        and d.status == "planned"
    )
    services.dialogue_hold(actor=world.leader, dialogue=d, at=at(2026, 11, 20, 16, 0))
    assert leader.get(url).status_code == 409


def test_the_staff_list_counts_questions_and_commitments_in_a_few_queries(
    world, frozen_clock, django_assert_max_num_queries
):
    for _i in range(3):
        d = held(world)
        commit(world, d, days=1)  # due 23/11: overdue on 24/11
    leader = client(world.leader)
    leader.get(reverse("dialogues:list"))  # warm the scope cache
    with django_assert_max_num_queries(12):
        html = leader.get(reverse("dialogues:list") + "?year=2026").content.decode()
    assert html.count('data-testid="kept">0/1<') == 3 and html.count('data-testid="overdue">1<') == 3


def test_the_observer_does_not_see_who_asked(world):
    d = announced(world)
    services.question_ask(
        dialogue=d, text="Khi nào dẹp chợ tạm đường Yersin?", name="Phạm Văn Bình", phone="0912345678"
    )
    url = reverse("dialogues:detail", args=[d.code])
    assert "0912345678" in client(world.leader).get(url).content.decode()
    html = client(world.observer).get(url).content.decode()
    assert "0912345678" not in html and "Phạm Văn Bình" not in html and "chợ tạm" in html


def test_the_commitments_page_lists_what_is_overdue_and_the_officers_own(world, frozen_clock):
    d = held(world)
    commit(world, d, days=1, text="Sửa ổ gà đường Yersin")  # due 23/11: overdue on 24/11
    commit(world, d, days=10, text="Lắp đèn hẻm 12")
    services.commitment_add(
        actor=world.leader, dialogue=d, text="Dọn rác đầu hẻm 27", owner=world.leader, days=10
    )
    leader = client(world.leader)
    url = reverse("dialogues:commitments")
    overdue = leader.get(url, {"status": "overdue"}).content.decode()
    assert "Sửa ổ gà đường Yersin" in overdue and "Lắp đèn hẻm 12" not in overdue
    mine = leader.get(url, {"mine": "1"}).content.decode()
    assert "Dọn rác đầu hẻm 27" in mine and "Lắp đèn hẻm 12" not in mine
    assert client(world.observer).get(url).status_code == 200
    assert client(world.specialist_b).get(url, {"unit": "25747"}).status_code == 404
    assert "Sửa ổ gà" not in client(world.specialist_b).get(url).content.decode()


def test_the_report_back_and_the_staff_page_do_not_query_per_row(
    world, frozen_clock, django_assert_max_num_queries
):
    d = held(world)
    for i in range(6):
        q = services.question_ask(
            dialogue=d, text=f"Câu hỏi số {i} về chợ tạm đường Yersin", actor=world.leader
        )
        services.question_accept(actor=world.leader, question=q)
        commit(world, d, days=i + 1, question=q)
    public, leader = client(), client(world.leader)
    public.get(reverse("dialogues:report", args=[d.code]))
    leader.get(reverse("dialogues:detail", args=[d.code]))  # warm the caches (scope, calendar)
    with django_assert_max_num_queries(6):
        assert public.get(reverse("dialogues:report", args=[d.code])).status_code == 200
    with django_assert_max_num_queries(16):
        assert leader.get(reverse("dialogues:detail", args=[d.code])).status_code == 200
