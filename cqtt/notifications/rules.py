"""Pure rules of the notices: which dossier change gives which notice, the placeholders each notice offers, the
SMS length counter, phone numbers, masking, retries."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ChannelKind, NoticeEvent

E = NoticeEvent

# --- which change notifies ---------------------------------------------------------------------------------

# A dossier action → the notice it gives by default (legal-spec §§1.4, 12). Other actions notify only online
# dossiers, whose every status change is told in real time (ND 224/2026 Art. 15(1)(g)).
ACTION_NOTICES = {
    "submit-online": E.SUBMITTED,
    "receive": E.RECEIVED,
    "request-intake-supplement": E.SUPPLEMENT_REQUESTED,
    "request-supplement": E.SUPPLEMENT_REQUESTED,
    "refuse-intake": E.REFUSED,
    "refuse": E.REFUSED,
    "mark-ready": E.RESULT_READY,
    "extend": E.EXTENDED,
    "return-result": E.RETURNED,
    "return-same-day": E.RETURNED,
}
# staff-only steps: not a change the citizen sees
SILENT_ACTIONS = frozenset({"assign", "consult", "consultation-reply", "submit", "approve", "transfer"})


def notice_for(action: str, payload: dict, *, at: dt.datetime) -> str | None:
    """The notice a dossier change gives, or None. A result ready before the appointment day gives the
    early-result notice, which the law asks for before an early return (ND 61/2018 Art. 20(4))."""
    notice = ACTION_NOTICES.get(action)
    if notice == E.RESULT_READY and payload.get("due_at"):
        due = dt.datetime.fromisoformat(payload["due_at"])
        if _local_date(at) < _local_date(due):
            return E.EARLY_RESULT
    if notice is None and payload.get("channel") == "online" and action not in SILENT_ACTIONS:
        if payload.get("status") != payload.get("from_status"):
            return E.STATUS_CHANGED
    return notice


def _local_date(value: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(value).date()


# --- placeholders ------------------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\(\(\s*([a-z_]+)\s*\)\)")


@dataclass(frozen=True)
class Placeholder:
    name: str
    label: str
    example: str


COMMON = (
    Placeholder("ma_ho_so", gettext_lazy("mã hồ sơ"), "25747-261201-0001"),
    Placeholder("thu_tuc", gettext_lazy("tên thủ tục"), "Đăng ký khai sinh"),
    Placeholder("don_vi", gettext_lazy("tên đơn vị"), "UBND phường Thủ Dầu Một"),
    Placeholder("duong_day_nong", gettext_lazy("đường dây nóng của đơn vị"), "0274 3822 123"),
    Placeholder("tra_cuu", gettext_lazy("đường link tra cứu hồ sơ"), "https://motcua.example.vn/tra-cuu/abc"),
    Placeholder("nguoi_nop", gettext_lazy("họ tên người nộp"), "Phạm Văn Bình"),
    Placeholder("noi_nhan", gettext_lazy("nơi nhận kết quả"), "Bộ phận Một cửa, 1 Quang Trung"),
)
DUE = Placeholder("ngay_hen", gettext_lazy("ngày hẹn trả kết quả"), "05/12/2026")
EXTRA = {
    E.SUPPLEMENT_REQUESTED: (
        Placeholder("can_bo_sung", gettext_lazy("giấy tờ cần bổ sung"), "Giấy chứng sinh"),
        Placeholder("ly_do", gettext_lazy("lý do"), "Thiếu giấy tờ"),
    ),
    E.EXTENDED: (
        Placeholder("ngay_hen_moi", gettext_lazy("ngày hẹn mới"), "09/12/2026"),
        Placeholder("ly_do", gettext_lazy("lý do"), "Cần xác minh thêm"),
    ),
    E.REFUSED: (Placeholder("ly_do", gettext_lazy("lý do"), "Không đủ điều kiện"),),
    E.RETURNED: (
        Placeholder(
            "danh_gia",
            gettext_lazy("đường link đánh giá sự hài lòng"),
            "https://motcua.example.vn/danh-gia/ho-so/abc",
        ),
    ),
    E.STATUS_CHANGED: (Placeholder("trang_thai", gettext_lazy("trạng thái mới"), "Đang giải quyết"),),
}
NO_DUE = frozenset({E.SUBMITTED})


def placeholders_of(event: str) -> tuple[Placeholder, ...]:
    """The placeholders a notice of this event can fill."""
    due = () if event in NO_DUE else (DUE,)
    return (*COMMON, *due, *EXTRA.get(event, ()))


def placeholder_names(*texts: str) -> list[str]:
    """The `((name))` placeholders the texts use, in order, once each."""
    return list(dict.fromkeys(m.group(1) for t in texts for m in PLACEHOLDER.finditer(t or "")))


def template_problems(event: str, *texts: str) -> list[str]:
    """Why a template for `event` cannot be saved: placeholders it names that the event does not give."""
    known = {p.name for p in placeholders_of(event)}
    problems = []
    for name in placeholder_names(*texts):
        if name not in known:
            problems.append(
                _("“((%(n)s))” không có trong thông báo này. Có thể dùng: %(ok)s.")
                % {"n": name, "ok": ", ".join(f"(({k}))" for k in sorted(known))}
            )
    return problems


def render(text: str, values: dict[str, str]) -> str:
    """Fill the placeholders (a missing value renders empty; templates are checked when saved)."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "")), text or "")


def examples(event: str) -> dict[str, str]:
    return {p.name: p.example for p in placeholders_of(event)}


# --- SMS length --------------------------------------------------------------------------------------------

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    characters: int  # in the encoding's units (an extended GSM-7 character counts 2)
    parts: int
    per_part: int  # characters one part holds (160/153 GSM-7, 70/67 UCS-2)


def sms_length(text: str) -> SmsLength:
    """Characters and parts of an SMS: GSM-7 when every character is in its alphabet (160 in one part, 153 per
    part when longer), otherwise UCS-2, which Vietnamese with diacritics needs (70, then 67 per part)."""
    text = text or ""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text):
        n = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        n = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)  # UTF-16 code units
        single, multi, encoding = 70, 67, "UCS-2"
    if n <= single:
        return SmsLength(encoding, n, 1 if n else 0, single)
    return SmsLength(encoding, n, math.ceil(n / multi), multi)


_STRIP = str.maketrans({"đ": "d", "Đ": "D"})


def without_diacritics(text: str) -> str:
    """Vietnamese without diacritics, case kept ('Hồ sơ Đã nhận' → 'Ho so Da nhan'), for a unit that sends its SMS
    in GSM-7."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_STRIP))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


# --- addresses ---------------------------------------------------------------------------------------------

MOBILE = re.compile(
    r"^[35789]\d{8}$"
)  # national significant number of a Vietnamese mobile (legal-spec §10.2)


def sms_number(raw: str) -> str | None:
    """The number an SMS gateway takes (`84…`, E.164 without '+'), or None when `raw` is not a Vietnamese
    mobile number. Parsed by phonenumbers (region VN); the carrier is not checked, since its prefix tables lag
    behind the carriers' (legal-spec §10.2)."""
    try:
        parsed = phonenumbers.parse(raw or "", "VN")
    except phonenumbers.NumberParseException:
        return None
    if parsed.country_code != 84 or not MOBILE.match(str(parsed.national_number)):
        return None
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return e164.lstrip("+")


def mask(channel: str, address: str) -> str:
    """What staff pages, the API and the logs show of an address: '091****678', 'b***@example.vn'."""
    if not address:
        return ""
    if channel == ChannelKind.EMAIL:
        local, _at, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    national = "0" + address[2:] if address.startswith("84") else address
    return national[:3] + "*" * max(len(national) - 6, 0) + national[-3:]


# --- replies ----------------------------------------------------------------------------------------------

OPT_OUT_WORDS = frozenset({"TC", "TU CHOI", "STOP", "HUY", "DUNG"})


def is_opt_out(text: str) -> bool:
    """Whether a citizen's SMS asks for no more messages: 'TC' (từ chối), 'HUY', 'STOP', 'DỪNG' …, in any case,
    with or without diacritics."""
    from cqtt.core.text import fold

    return fold(text).upper().strip() in OPT_OUT_WORDS


def mo_text(content: str, keyword: str = "") -> str:
    """The citizen's words in an MO sent to a service number: `content` without the service's own keyword in
    front ('UBNDTDM TC' → 'TC'), unless that keyword is itself an opt-out word."""
    content, keyword = (content or "").strip(), (keyword or "").strip()
    if keyword and not is_opt_out(keyword) and content.upper().startswith(keyword.upper()):
        rest = content[len(keyword) :].strip()
        return rest or content
    return content or keyword


# --- retries -----------------------------------------------------------------------------------------------

BACKOFF_SECONDS = (30, 120, 600, 1800, 3600, 7200, 14400)
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1  # after the last, technical-failure and an alert for the unit


def retry_delay(attempts: int) -> dt.timedelta | None:
    """How long to wait after `attempts` failed tries before the next, or None when the limit is reached."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return dt.timedelta(seconds=BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1])


def after_quiet_hours(at: dt.datetime, start: dt.time | None, end: dt.time | None) -> dt.datetime:
    """`at`, or the end of the unit's quiet hours when `at` falls inside them (local time; a window may span
    midnight, e.g. 21:00–07:00)."""
    if start is None or end is None or start == end:
        return at
    from django.utils import timezone

    local = timezone.localtime(at)
    t = local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return at
    day = local.date() if (start < end or t < end) else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, end, tzinfo=local.tzinfo)
