import pytest
from django.urls import reverse

from cqtt.dossiers import services as s
from cqtt.units.models import Office

from .conftest import applicant, at, receive, without_csrf

pytestmark = pytest.mark.django_db

LOOKUP = "/tra-cuu/"
PERSONAL = ["Phạm Văn Bình", "0912345678", "079085001234", "12 Đường Bạch Đằng", "binh@example.vn"]


def test_lookup_form_is_public(client):
    response = client.get(reverse("portal:lookup"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode() and 'name="phone_last4"' in response.content.decode()


def test_lookup_by_code_and_last_four_phone_digits_shows_the_status(client, online_dossier):
    response = client.post(LOOKUP, {"code": online_dossier.code, "phone_last4": "5678"})
    html = response.content.decode()
    assert response.status_code == 200
    assert online_dossier.code in html
    assert "Đăng ký khai sinh" in html
    assert "Nộp trực tuyến, chờ tiếp nhận" in html
    assert "P. V. B." in html
    assert "Chưa tiếp nhận" in html
    assert "Hồ sơ đã được nộp trực tuyến" in html


def test_lookup_accepts_a_code_typed_in_lower_case_with_spaces(client, online_dossier):
    response = client.post(LOOKUP, {"code": f" {online_dossier.code.lower()} ", "phone_last4": "5678"})
    assert response.status_code == 200


def test_status_page_shows_no_personal_data(client, online_dossier):
    html = client.post(LOOKUP, {"code": online_dossier.code, "phone_last4": "5678"}).content.decode()
    for value in PERSONAL:
        assert value not in html
    html = client.get(reverse("portal:lookup_token", args=[online_dossier.lookup_token])).content.decode()
    for value in PERSONAL:
        assert value not in html


def test_wrong_code_and_wrong_phone_give_the_same_answer(client, online_dossier):
    typed = "25747-261121-0009"
    wrong_code = client.post(LOOKUP, {"code": typed, "phone_last4": "5678"})
    right_code = online_dossier.code
    wrong_phone = client.post(LOOKUP, {"code": right_code, "phone_last4": "0000"})

    assert wrong_code.status_code == wrong_phone.status_code == 404
    first = without_csrf(wrong_code.content.decode()).replace(typed, "CODE").replace("5678", "PHONE")
    second = without_csrf(wrong_phone.content.decode()).replace(right_code, "CODE").replace("0000", "PHONE")
    assert first == second
    assert "Không tìm thấy hồ sơ khớp với mã và 4 số cuối điện thoại" in first
    assert "Đăng ký khai sinh" not in second


def test_malformed_lookup_input_is_explained_and_kept(client):
    response = client.post(LOOKUP, {"code": "ABC-1", "phone_last4": "56a"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Nhập đúng 4 chữ số cuối" in html
    assert 'value="ABC-1"' in html


def test_lookup_by_token_from_the_qr_code_shows_the_status(client, online_dossier):
    response = client.get(reverse("portal:lookup_token", args=[online_dossier.lookup_token]))
    assert response.status_code == 200
    assert online_dossier.code in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_unknown_token_shows_the_lookup_form(client, online_dossier):
    response = client.get(reverse("portal:lookup_token", args=["khong-co-ma-nay"]))
    assert response.status_code == 404
    assert 'name="phone_last4"' in response.content.decode()


def test_received_dossier_shows_due_date_office_and_plain_timeline_without_staff_names(client, world):
    Office.objects.filter(pk=world.office.pk).update(address="1 Quang Trung, Thủ Dầu Một")
    dossier = receive(world)

    html = client.get(reverse("portal:lookup_token", args=[dossier.lookup_token])).content.decode()

    assert "Đã tiếp nhận, chờ phân công" in html
    assert "09:00 23/11/2026" in html  # receipt
    assert "17:00 27/11/2026" in html  # due
    assert "Trung tâm Phục vụ hành chính công phường Thủ Dầu Một" in html
    assert "1 Quang Trung, Thủ Dầu Một" in html
    assert "thời hạn giải quyết bắt đầu tính từ lúc này" in html
    assert world.counter_a.full_name not in html
    assert world.counter_a.username not in html


def test_an_extended_dossier_says_the_date_was_reset_once(client, world):
    d = receive(world)
    d = s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)
    s.dossier_extend(
        actor=world.leader,
        dossier=d,
        reason="Chờ xác minh",
        new_due_at=at(2026, 12, 2, 17, 0),
        at=at(2026, 11, 26, 9, 0),
    )
    html = client.get(reverse("portal:lookup_token", args=[d.lookup_token])).content.decode()
    assert "17:00 02/12/2026" in html
    assert "điều chỉnh một lần" in html
    assert "Hẹn ban đầu: 17:00 27/11/2026" in html
    assert "xin lỗi" in html and "Chờ xác minh" in html
    assert world.leader.full_name not in html and world.specialist.full_name not in html
    assert "Hồ sơ đã được giao cho người xử lý" not in html  # assignment is not a public event


def test_supplement_request_tells_what_to_bring(client, world):
    result = s.dossier_intake(
        actor=world.counter_a,
        procedure_code=world.birth.code,
        applicant=applicant(),
        documents=[],
        missing_items=["Bản sao CCCD của mẹ"],
        at=at(2026, 11, 23, 9, 0),
    )
    html = client.get(reverse("portal:lookup_token", args=[result.dossier.lookup_token])).content.decode()
    assert "Chờ bổ sung để tiếp nhận" in html
    assert "Cần bổ sung" in html and "Bản sao CCCD của mẹ" in html


@pytest.mark.usefixtures("frozen_clock")  # a rate window must not roll over mid-test
def test_lookups_are_rate_limited_per_address_with_a_friendly_page(client, online_dossier, settings):
    settings.LOOKUP_RATE = "10/m"
    for _ in range(10):
        assert client.post(LOOKUP, {"code": "X", "phone_last4": "0000"}).status_code == 404
    response = client.post(LOOKUP, {"code": online_dossier.code, "phone_last4": "5678"})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "Bạn đã thử quá nhiều lần" in html
    assert online_dossier.code not in html
    # the QR-code page shares the budget
    token = client.get(reverse("portal:lookup_token", args=[online_dossier.lookup_token]))
    assert token.status_code == 429


@pytest.mark.usefixtures("frozen_clock")  # a rate window must not roll over mid-test
def test_rate_limit_counts_each_address_separately(client, online_dossier, settings):
    settings.LOOKUP_RATE = "10/m"
    for _ in range(10):
        client.post(LOOKUP, {"code": "X", "phone_last4": "0000"}, REMOTE_ADDR="10.0.0.1")
    other = client.post(LOOKUP, {"code": online_dossier.code, "phone_last4": "5678"}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200


def test_opening_the_lookup_form_is_not_counted(client, online_dossier):
    for _ in range(15):
        client.get(LOOKUP)
    assert client.post(LOOKUP, {"code": online_dossier.code, "phone_last4": "5678"}).status_code == 200


def test_every_action_of_the_transitions_table_has_a_citizen_sentence():
    from cqtt.dossiers.rules import TRANSITIONS
    from cqtt.portal.timeline import EVENT_SENTENCES

    actions = set(TRANSITIONS) | {"submit-online", "receive", "request-intake-supplement", "refuse-intake"}
    assert actions <= set(EVENT_SENTENCES)


@pytest.mark.usefixtures("frozen_clock")  # a rate window must not roll over mid-test
def test_the_page_and_the_api_share_one_lookup_budget(client, online_dossier, settings):
    settings.LOOKUP_RATE = "4/m"
    for _ in range(2):
        client.post(LOOKUP, {"code": "X", "phone_last4": "0000"})
    for _ in range(2):
        client.get("/api/v1/public/dossiers/X/", {"phone_last4": "0000"})
    assert client.post(LOOKUP, {"code": online_dossier.code, "phone_last4": "5678"}).status_code == 429
    assert client.get("/api/v1/public/dossiers/X/", {"phone_last4": "0000"}).status_code == 429


def test_the_page_refuses_the_right_digits_of_a_locked_code_like_a_wrong_guess(
    client, online_dossier, settings
):
    settings.DOSSIERS = {**settings.DOSSIERS, "LOOKUP_WRONG_GUESSES": 3}
    for i in range(3):
        client.post(
            LOOKUP, {"code": online_dossier.code, "phone_last4": f"000{i}"}, REMOTE_ADDR=f"10.1.0.{i}"
        )
    wrong = client.post(LOOKUP, {"code": online_dossier.code, "phone_last4": "0009"}, REMOTE_ADDR="10.1.1.1")
    right = client.post(LOOKUP, {"code": online_dossier.code, "phone_last4": "5678"}, REMOTE_ADDR="10.1.1.2")
    assert right.status_code == wrong.status_code == 404
    assert "Không tìm thấy hồ sơ khớp" in right.content.decode()


def test_an_electronic_result_is_not_promised_by_a_message_the_platform_does_not_send(client, online_dossier):
    html = client.post(LOOKUP, {"code": online_dossier.code, "phone_last4": "5678"}).content.decode()
    assert "Hệ thống chưa gửi kết quả qua thư điện tử hay tin nhắn" in html
    assert "Phường Thủ Dầu Một" in html  # whom to contact instead
    assert "được gửi qua thư điện tử hoặc tin nhắn" not in html
