"""Pure rules of the letters: which letter a dossier change drafts, symbols and numbers, the placeholders of each
kind, and the new date an apology proposes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqtt.dossiers import rules as dossier_rules
from cqtt.notifications.rules import placeholder_names
from cqtt.notifications.rules import render as render  # one placeholder syntax for notices and letters
from cqtt.workdays import rules as wd

from .models import LetterKind

K = LetterKind

# the symbol after the number: Phiếu xin lỗi (Mẫu 04), thư xin lỗi, thư cảm ơn, chúc mừng, chia buồn, thư công
SYMBOLS = {
    K.APOLOGY: "PXL",
    K.ERROR_APOLOGY: "TXL",
    K.THANKS: "TCO",
    K.CONGRATULATION: "TCM",
    K.CONDOLENCE: "TCB",
    K.CUSTOM: "TC",
}
LIFE_EVENTS = {
    "birth_registration": K.CONGRATULATION,
    "marriage_registration": K.CONGRATULATION,
    "death_registration": K.CONDOLENCE,
}
RETURN_ACTIONS = frozenset({"return-result", "return-same-day"})
SIGNER_ROLES = frozenset({"leader"})


def symbol(kind: str, body_abbreviation: str = "UBND") -> str:
    return f"{SYMBOLS[kind]}-{body_abbreviation}"


def life_event_letter(action: str, payload: dict) -> str | None:
    """The letter a returned result drafts: a congratulation on a birth or marriage registration, a condolence on
    a death registration."""
    if action not in RETURN_ACTIONS:
        return None
    return LIFE_EVENTS.get(payload.get("life_event") or "")


# --- the apology's dates -----------------------------------------------------------------------------------


def draft_from(risk_at: dt.datetime, calendar: wd.Calendar, schedule: wd.Schedule) -> dt.datetime:
    """When the sweep drafts the apology of a dossier coming to risk: one working day of office time before it
    is at risk, so the leader can sign at least a working day before the due date (ND 61/2018 Art. 19(9))."""
    return wd.subtract_office_seconds(risk_at, int(schedule.capacity), calendar, schedule)


def proposed_due(
    now: dt.datetime,
    due_at: dt.datetime,
    remaining: Decimal,
    calendar: wd.Calendar,
    schedule: wd.Schedule,
) -> dt.datetime:
    """The new date an apology proposes: the steps still to come (their allotted working days) and one working
    day for the current one, counted from now — never earlier than one working day after the old due date."""
    forecast = dossier_rules.step_due_at(now, remaining + 1, calendar, schedule)
    floor = dossier_rules.step_due_at(max(due_at, now), Decimal(1), calendar, schedule)
    return max(forecast, floor)


# --- placeholders ------------------------------------------------------------------------------------------

COMMON = {
    "nguoi_nhan": gettext_lazy("họ tên người nhận"),
    "don_vi": gettext_lazy("tên đơn vị"),
    "ma_ho_so": gettext_lazy("mã hồ sơ"),
    "thu_tuc": gettext_lazy("tên thủ tục"),
    "ngay_nop": gettext_lazy("ngày nộp hồ sơ"),
    "duong_day_nong": gettext_lazy("đường dây nóng"),
}
EXTRA = {
    K.APOLOGY: {
        "ngay_hen": gettext_lazy("ngày hẹn cũ"),
        "ngay_hen_moi": gettext_lazy("ngày hẹn mới"),
        "ly_do": gettext_lazy("lý do chậm"),
    },
    K.ERROR_APOLOGY: {"ly_do": gettext_lazy("sai sót đã xảy ra")},
    K.THANKS: {"ly_do": gettext_lazy("điều đơn vị cảm ơn")},
    K.CONGRATULATION: {"su_kien": gettext_lazy("sự kiện (khai sinh, kết hôn)")},
    K.CONDOLENCE: {"su_kien": gettext_lazy("sự kiện")},
    K.CUSTOM: {"ly_do": gettext_lazy("nội dung riêng")},
}
EXAMPLES = {
    "nguoi_nhan": "Phạm Văn Bình",
    "don_vi": "UBND phường Thủ Dầu Một",
    "ma_ho_so": "25747-261201-0001",
    "thu_tuc": "Đăng ký khai sinh",
    "ngay_nop": "01/12/2026",
    "duong_day_nong": "0274 3822 123",
    "ngay_hen": "04/12/2026",
    "ngay_hen_moi": "09/12/2026",
    "ly_do": "cần xác minh thêm thông tin với cơ quan khác",
    "su_kien": "đăng ký khai sinh cho cháu",
}


def placeholders_of(kind: str) -> dict[str, str]:
    return {**COMMON, **EXTRA.get(kind, {})}


def template_problems(kind: str, *texts: str) -> list[str]:
    known = placeholders_of(kind)
    problems = []
    for name in placeholder_names(*texts):
        if name not in known:
            problems.append(
                _("“((%(n)s))” không dùng được trong loại thư này. Có thể dùng: %(ok)s.")
                % {"n": name, "ok": ", ".join(f"(({k}))" for k in sorted(known))}
            )
    return problems


LIFE_EVENT_WORDS = {
    "birth_registration": gettext_lazy("đăng ký khai sinh"),
    "marriage_registration": gettext_lazy("đăng ký kết hôn"),
    "death_registration": gettext_lazy("đăng ký khai tử"),
}


TITLES = ("ông ", "bà ", "cụ ", "anh ", "chị ", "em ", "cháu ", "gia đình ")


def addressee(name: str) -> str:
    """How the letter addresses its recipient: "Ông/Bà <name>", unless the name already carries a title
    ("Cụ Lê Văn Mười", "Bà Nguyễn Thị Lành", "Gia đình ông …")."""
    if (name or "").lower().startswith(TITLES):
        return name
    return _("Ông/Bà %(n)s") % {"n": name}
