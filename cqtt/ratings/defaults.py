"""The quick reasons a citizen may tick, grouped by the conduct codes the units display at the one-stop ("5 biết",
"4 luôn", "3 không", "4 xin", "5 không"). A unit picks which codes it uses; the general reasons always show.
Positive reasons go with the satisfied levels, negative ones with the unsatisfied; a negative reason marked
`conduct` is a complaint about the officer's conduct (TT 01/2018 indicator 7 scores 0)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Reason:
    key: str
    label: str
    positive: bool
    conduct: bool = False


@dataclass(frozen=True)
class Code:
    key: str
    label: str
    reasons: tuple[Reason, ...]


GENERAL = (
    Reason("clear_guidance", _("Hướng dẫn rõ ràng, dễ hiểu"), True),
    Reason("quick", _("Nhanh, đúng hẹn"), True),
    Reason("long_wait", _("Phải chờ lâu"), False),
    Reason("unclear_guidance", _("Hướng dẫn chưa rõ"), False),
    Reason("many_trips", _("Phải đi lại nhiều lần"), False),
)

CODES = (
    Code(
        "5biet",
        _("5 biết"),
        (
            Reason("5biet_listen", _("Biết lắng nghe người dân"), True),
            Reason("5biet_explain", _("Nói để dân hiểu"), True),
            Reason("5biet_trust", _("Làm để dân tin"), True),
            Reason("5biet_sorry", _("Biết xin lỗi"), True),
            Reason("5biet_thanks", _("Biết cảm ơn"), True),
        ),
    ),
    Code(
        "4luon",
        _("4 luôn"),
        (
            Reason("4luon_smile", _("Luôn mỉm cười"), True),
            Reason("4luon_gentle", _("Luôn nhẹ nhàng"), True),
            Reason("4luon_listen", _("Luôn lắng nghe, thấu hiểu"), True),
            Reason("4luon_help", _("Luôn giúp đỡ"), True),
        ),
    ),
    Code(
        "4xin",
        _("4 xin"),
        (
            Reason("4xin_greet", _("Chào hỏi lịch sự"), True),
            Reason("4xin_sorry", _("Xin lỗi khi chưa đúng"), True),
            Reason("4xin_thanks", _("Cảm ơn người dân"), True),
            Reason("4xin_permission", _("Xin phép khi cần"), True),
        ),
    ),
    Code(
        "3khong",
        _("3 không"),
        (
            Reason("3khong_harass", _("Gây phiền hà, sách nhiễu"), False, conduct=True),
            Reason("3khong_evade", _("Né tránh trách nhiệm"), False, conduct=True),
            Reason("3khong_late", _("Trễ hẹn"), False),
        ),
    ),
    Code(
        "5khong",
        _("5 không"),
        (
            Reason("5khong_arrogant", _("Cửa quyền, hách dịch, gây khó khăn"), False, conduct=True),
            Reason("5khong_careless", _("Thờ ơ, thiếu trách nhiệm"), False, conduct=True),
            Reason("5khong_bribe", _("Gợi ý, đòi hỏi tiền, quà"), False, conduct=True),
            Reason("5khong_dishonest", _("Thiếu trung thực"), False, conduct=True),
            Reason("5khong_abuse", _("Lợi dụng chức vụ"), False, conduct=True),
        ),
    ),
)
CODE_KEYS = tuple(c.key for c in CODES)
DEFAULT_CODES = ["4xin", "4luon", "5khong"]
REASONS: dict[str, Reason] = {r.key: r for r in (*GENERAL, *(r for c in CODES for r in c.reasons))}
