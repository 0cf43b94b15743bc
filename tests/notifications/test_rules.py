import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cqtt.notifications import rules

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("text", "encoding", "characters", "parts"),
    [
        ("", "GSM-7", 0, 0),
        ("Ho so da tiep nhan", "GSM-7", 18, 1),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),  # 153 per part once it is longer than one
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("{}" * 40, "GSM-7", 160, 1),  # extended characters count 2
        ("Hồ sơ", "UCS-2", 5, 1),
        ("ệ" * 70, "UCS-2", 70, 1),
        ("ệ" * 71, "UCS-2", 71, 2),  # 67 per part
        ("ệ" * 134, "UCS-2", 134, 2),
        ("ệ" * 135, "UCS-2", 135, 3),
    ],
)
def test_sms_length_counts_characters_and_parts_of_both_encodings(text, encoding, characters, parts):
    got = rules.sms_length(text)
    assert (got.encoding, got.characters, got.parts) == (encoding, characters, parts)


def test_vietnamese_without_diacritics_is_gsm7_and_keeps_case():
    plain = rules.without_diacritics("Hồ sơ ĐÃ được tiếp nhận, hẹn trả ngày 05/12")
    assert plain == "Ho so DA duoc tiep nhan, hen tra ngay 05/12"
    assert rules.sms_length(plain).encoding == "GSM-7"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "84912345678"),
        ("+84 912 345 678", "84912345678"),
        ("84912345678", "84912345678"),
        ("0521234567", "84521234567"),  # Vietnamobile: kept though a carrier table may not list it
        ("0281234567", None),  # a landline cannot take an SMS
        ("12345", None),
        ("", None),
        ("+1 202 555 0100", None),
        ("abc", None),
    ],
)
def test_sms_number_is_e164_of_a_vietnamese_mobile(raw, expected):
    assert rules.sms_number(raw) == expected


def test_masks_show_only_the_ends():
    assert rules.mask("sms", "84912345678") == "091****678"
    assert rules.mask("email", "binh@example.vn") == "b***@example.vn"


def test_a_template_naming_a_placeholder_the_notice_lacks_is_refused_with_the_ones_it_has():
    assert rules.template_problems("received", "Hồ sơ ((ma_ho_so)) hẹn ((ngay_hen))") == []
    problems = rules.template_problems("submitted", "Hẹn ngày ((ngay_hen)) ((khong_co))")
    assert len(problems) == 2
    assert "((ngay_hen))" in problems[0] and "((ma_ho_so))" in problems[0]
    assert rules.template_problems("extended", "Hẹn mới ((ngay_hen_moi)) vì ((ly_do))") == []


def test_render_fills_placeholders():
    assert (
        rules.render("Mã (( ma_ho_so )) – ((thu_tuc))", {"ma_ho_so": "X1", "thu_tuc": "Khai sinh"})
        == "Mã X1 – Khai sinh"
    )


def test_result_ready_before_the_appointment_day_is_the_early_result_notice():
    due = dt.datetime(2026, 12, 4, 16, 0, tzinfo=TZ).isoformat()
    payload = {"due_at": due, "channel": "counter", "status": "ready", "from_status": "approved"}
    assert (
        rules.notice_for("mark-ready", payload, at=dt.datetime(2026, 12, 3, 9, 0, tzinfo=TZ))
        == "early_result"
    )
    assert (
        rules.notice_for("mark-ready", payload, at=dt.datetime(2026, 12, 4, 9, 0, tzinfo=TZ))
        == "result_ready"
    )


def test_online_dossiers_hear_of_every_status_change_counter_dossiers_of_the_main_ones():
    change = {"channel": "online", "status": "awaiting_approval", "from_status": "in_progress"}
    assert rules.notice_for("submit", change, at=dt.datetime(2026, 12, 3, tzinfo=TZ)) is None  # staff step
    assert rules.notice_for("withdraw", change, at=dt.datetime(2026, 12, 3, tzinfo=TZ)) == "status_changed"
    assert (
        rules.notice_for("withdraw", {**change, "channel": "counter"}, at=dt.datetime(2026, 12, 3, tzinfo=TZ))
        is None
    )
    assert rules.notice_for("assign", change, at=dt.datetime(2026, 12, 3, tzinfo=TZ)) is None


def test_quiet_hours_move_a_message_to_their_end_across_midnight():
    start, end = dt.time(21, 0), dt.time(7, 0)
    evening = dt.datetime(2026, 12, 3, 22, 30, tzinfo=TZ)
    assert rules.after_quiet_hours(evening, start, end) == dt.datetime(2026, 12, 4, 7, 0, tzinfo=TZ)
    early = dt.datetime(2026, 12, 4, 6, 0, tzinfo=TZ)
    assert rules.after_quiet_hours(early, start, end) == dt.datetime(2026, 12, 4, 7, 0, tzinfo=TZ)
    noon = dt.datetime(2026, 12, 4, 12, 0, tzinfo=TZ)
    assert rules.after_quiet_hours(noon, start, end) == noon
    assert rules.after_quiet_hours(evening, None, None) == evening


def test_retries_back_off_and_stop():
    assert rules.retry_delay(1) == dt.timedelta(seconds=30)
    assert rules.retry_delay(2) == dt.timedelta(seconds=120)
    assert rules.retry_delay(rules.MAX_ATTEMPTS - 1) == dt.timedelta(seconds=rules.BACKOFF_SECONDS[-1])
    assert rules.retry_delay(rules.MAX_ATTEMPTS) is None
