"""Pure rules of complaints, denunciations and petitions: the three processes' transitions tables, every legal
period with its source and counting kind, the deadline with its day-by-day explanation, and the redaction of
personal data from the copy the verifiers read. No database."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cqtt.accounts.models import Role
from cqtt.core.process import Process, transition
from cqtt.core.text import fold, nfc, nfc_text
from cqtt.workdays.rules import Calendar, format_day

from .models import Counting, Kind, Status

S, R = Status, Role
INTAKE = {R.COUNTER_OFFICER, R.SPECIALIST, R.LEADER}
DECIDERS = {R.LEADER}
WORKERS = {R.SPECIALIST, R.LEADER}
# who may read the (redacted) case list: the desk, the handlers, the province's inspectors, the Front's observer
READERS = frozenset({R.COUNTER_OFFICER, R.SPECIALIST, R.LEADER, R.PROVINCIAL_SUPERVISOR, R.OBSERVER})
OPEN = {S.RECEIVED, S.ACCEPTED, S.SUSPENDED, S.INFORMATION}


def _label(state: str):
    return Status(state).label if state else ""


def _common(first_steps: set[str]):
    return [
        transition("receive", {""}, S.RECEIVED, INTAKE, _("Tiếp nhận đơn")),
        transition("accept", {S.RECEIVED}, S.ACCEPTED, DECIDERS, _("Thụ lý")),
        transition("refuse", {S.RECEIVED}, S.REFUSED, DECIDERS, _("Không thụ lý")),
        transition("transfer", {S.RECEIVED}, S.TRANSFERRED, DECIDERS, _("Chuyển cơ quan có thẩm quyền")),
        transition("assign", OPEN, None, DECIDERS, _("Giao xác minh, giao người quản lý thông tin")),
        transition("split", {S.RECEIVED}, None, INTAKE, _("Tách nội dung thành đơn riêng")),
        transition("redact", OPEN, None, DECIDERS, _("Sửa bản che thông tin cá nhân")),
        transition("note", OPEN, None, WORKERS, _("Ghi tiến độ, báo cáo xác minh")),
        transition("footage", OPEN, None, WORKERS, _("Ghi yêu cầu trích xuất camera tại quầy")),
        transition(
            "withdraw", first_steps, S.WITHDRAWN, DECIDERS, _("Ghi nhận rút đơn, đình chỉ giải quyết")
        ),
    ]


COMPLAINT = Process(
    "complaint",
    [
        *_common({S.RECEIVED, S.ACCEPTED}),
        transition("dialogue", {S.ACCEPTED}, None, WORKERS, _("Ghi kết quả đối thoại")),
        transition("extend", {S.ACCEPTED}, None, DECIDERS, _("Áp dụng thời hạn vụ việc phức tạp")),
        transition("conclude", {S.ACCEPTED}, S.CONCLUDED, DECIDERS, _("Ban hành quyết định giải quyết")),
    ],
    state_label=_label,
)

DENUNCIATION = Process(
    "denunciation",
    [
        *_common({S.RECEIVED, S.ACCEPTED, S.SUSPENDED}),
        transition(
            "treat_as_information",
            {S.RECEIVED},
            S.INFORMATION,
            DECIDERS,
            _("Không xử lý như tố cáo, xem xét như thông tin"),
        ),
        transition("extend", {S.ACCEPTED}, None, DECIDERS, _("Gia hạn giải quyết tố cáo")),
        transition("suspend", {S.ACCEPTED}, S.SUSPENDED, DECIDERS, _("Tạm đình chỉ giải quyết")),
        transition("resume", {S.SUSPENDED}, S.ACCEPTED, DECIDERS, _("Tiếp tục giải quyết")),
        transition(
            "conclude",
            {S.ACCEPTED, S.INFORMATION},
            S.CONCLUDED,
            DECIDERS,
            _("Ban hành kết luận nội dung tố cáo"),
        ),
    ],
    state_label=_label,
)

PETITION = Process(
    "petition",
    [
        *_common({S.RECEIVED, S.ACCEPTED}),
        transition("conclude", {S.ACCEPTED}, S.CONCLUDED, DECIDERS, _("Trả lời kiến nghị")),
    ],
    state_label=_label,
)

PROCESSES = {Kind.COMPLAINT: COMPLAINT, Kind.DENUNCIATION: DENUNCIATION, Kind.PETITION: PETITION}
API_ACTIONS = ("accept", "refuse", "assign", "extend", "conclude", "withdraw", "transfer")
# the actions whose written notice goes to the person (Luật Tố cáo Art. 9(1)(c); Luật Khiếu nại Arts. 10, 27)
NOTICE_ACTIONS = ("accept", "refuse", "transfer", "extend", "suspend", "resume", "conclude", "withdraw")
# a complaint about an officer at a counter: the footage around the moment the person names
FOOTAGE_AROUND = dt.timedelta(minutes=20)
MAX_EXTENSIONS = 2  # Luật Tố cáo Art. 30: once for complex, twice for especially complex cases

# --- the periods -------------------------------------------------------------------------------------------

WORKING, CALENDAR, SETTING = Counting.WORKING_DAYS, Counting.CALENDAR_DAYS, "setting"


@dataclass(frozen=True)
class Period:
    key: str
    label: object
    amount: int
    counting: (
        str  # working_days, calendar_days, or "setting": the unit's choice (the law's text was not read)
    )
    source: object
    note: object = ""


P = Period
PERIODS = {
    p.key: p
    for p in [
        P(
            "complaint_limitation",
            _("Thời hiệu khiếu nại"),
            90,
            CALENDAR,
            _("Luật Khiếu nại 2011, Điều 9"),
            _(
                "Không tính thời gian ốm đau, thiên tai, địch họa, đi công tác, học tập xa hoặc trở ngại khách quan."
            ),
        ),
        P(
            "complaint_acceptance",
            _("Thụ lý khiếu nại"),
            10,
            WORKING,
            _("Luật Khiếu nại, Điều 27; Thông tư 07/2013/TT-TTCP, Điều 5"),
        ),
        P(
            "complaint_resolution_1",
            _("Giải quyết khiếu nại lần đầu"),
            30,
            SETTING,
            _("Luật Khiếu nại, Điều 28"),
        ),
        P(
            "complaint_resolution_1_complex",
            _("Giải quyết khiếu nại lần đầu, vụ việc phức tạp"),
            45,
            SETTING,
            _("Luật Khiếu nại, Điều 28"),
        ),
        P(
            "complaint_resolution_1_remote",
            _("Giải quyết khiếu nại lần đầu ở vùng sâu, vùng xa"),
            45,
            SETTING,
            _("Luật Khiếu nại, Điều 28"),
        ),
        P(
            "complaint_resolution_1_remote_complex",
            _("Giải quyết khiếu nại lần đầu ở vùng sâu, vùng xa, vụ việc phức tạp"),
            60,
            SETTING,
            _("Luật Khiếu nại, Điều 28"),
        ),
        P(
            "complaint_resolution_2",
            _("Giải quyết khiếu nại lần hai"),
            45,
            SETTING,
            _("Luật Khiếu nại, Điều 37"),
        ),
        P(
            "complaint_resolution_2_complex",
            _("Giải quyết khiếu nại lần hai, vụ việc phức tạp"),
            60,
            SETTING,
            _("Luật Khiếu nại, Điều 37"),
        ),
        P(
            "complaint_resolution_2_remote",
            _("Giải quyết khiếu nại lần hai ở vùng sâu, vùng xa"),
            60,
            SETTING,
            _("Luật Khiếu nại, Điều 37"),
        ),
        P(
            "complaint_resolution_2_remote_complex",
            _("Giải quyết khiếu nại lần hai ở vùng sâu, vùng xa, vụ việc phức tạp"),
            70,
            SETTING,
            _("Luật Khiếu nại, Điều 37"),
        ),
        P(
            "denunciation_initial",
            _("Xử lý ban đầu đơn tố cáo"),
            7,
            WORKING,
            _("Luật Tố cáo 2018, Điều 24 khoản 1"),
        ),
        P(
            "denunciation_initial_several",
            _("Xử lý ban đầu đơn tố cáo, xác minh ở nhiều địa điểm"),
            10,
            WORKING,
            _("Luật Tố cáo 2018, Điều 24 khoản 1"),
        ),
        P(
            "denunciation_forward",
            _("Chuyển đơn tố cáo không thuộc thẩm quyền"),
            5,
            WORKING,
            _("Luật Tố cáo 2018, Điều 24 khoản 2"),
        ),
        P("denunciation_resolution", _("Giải quyết tố cáo"), 30, SETTING, _("Luật Tố cáo 2018, Điều 30")),
        P(
            "denunciation_extension",
            _("Gia hạn giải quyết tố cáo (mỗi lần)"),
            30,
            SETTING,
            _("Luật Tố cáo 2018, Điều 30"),
            _("Phức tạp: gia hạn một lần; đặc biệt phức tạp: hai lần; có quyết định gia hạn bằng văn bản."),
        ),
        P(
            "petition_answer",
            _("Trả lời việc tiếp nhận kiến nghị, phản ánh"),
            10,
            WORKING,
            _("Luật Tiếp công dân 2013, Điều 28"),
        ),
        P(
            "petition_resolution",
            _("Giải quyết kiến nghị, phản ánh"),
            0,
            WORKING,
            _("Quy định của đơn vị (pháp luật không quy định thời hạn chung)"),
        ),
    ]
}

GAP_NOTE = _(
    "Luật ghi thời hạn này là “ngày” mà không nói rõ ngày làm việc hay ngày theo lịch, và các sửa đổi năm 2025 chưa "
    "được đối chiếu: đơn vị chọn cách tính trong phần cài đặt."
)


def acceptance_period(kind: str, *, several_places: bool = False) -> Period:
    if kind == Kind.COMPLAINT:
        return PERIODS["complaint_acceptance"]
    if kind == Kind.DENUNCIATION:
        return PERIODS["denunciation_initial_several" if several_places else "denunciation_initial"]
    return PERIODS["petition_answer"]


def resolution_period(
    kind: str, *, instance: int = 1, remote_area: bool = False, complex: bool = False
) -> Period:
    if kind == Kind.COMPLAINT:
        key = f"complaint_resolution_{2 if instance == 2 else 1}"
        suffix = "_remote" * remote_area + "_complex" * complex
        return PERIODS[key + suffix]
    if kind == Kind.DENUNCIATION:
        return PERIODS["denunciation_resolution"]
    return PERIODS["petition_resolution"]


@dataclass(frozen=True)
class Deadline:
    due_on: date
    period: Period
    amount: int
    counting: str
    explanation: list[dict]

    def as_dict(self) -> dict:
        return {
            "rule": self.period.key,
            "label": str(self.period.label),
            "amount": self.amount,
            "counting": self.counting,
            "source": str(self.period.source),
            "setting": self.period.counting == SETTING,
            "due_on": self.due_on.isoformat(),
            "days": self.explanation,
        }


def _day(d: date, reason) -> dict:
    return {"date": d.isoformat(), "reason": str(reason)}


def deadline(
    start: date, period: Period, calendar: Calendar, *, counting: str = "", amount: int | None = None
) -> Deadline:
    """The period's last day from `start` (which itself is not counted), with why each day counts or not."""
    amount = period.amount if amount is None else amount
    kind = counting if period.counting == SETTING else period.counting
    kind = kind or CALENDAR
    days = [_day(start, _("Ngày bắt đầu tính (không tính vào thời hạn)"))]
    if kind == WORKING:
        due = calendar.add_working_days(start, amount)
        counted = 0
        for ordinal in range(start.toordinal() + 1, due.toordinal() + 1):
            d = date.fromordinal(ordinal)
            if calendar.is_working_day(d):
                counted += 1
                days.append(_day(d, gettext("Ngày làm việc thứ %(n)s") % {"n": counted}))
            else:
                days.append(_day(d, gettext("Không tính: %(r)s") % {"r": calendar.day_reason(d)}))
        return Deadline(due, period, amount, kind, days)
    last, due = calendar.add_calendar_days(start, amount)
    days.append(_day(date.fromordinal(start.toordinal() + 1), gettext("Ngày thứ 1 (tính cả ngày nghỉ)")))
    days.append(_day(last, gettext("Ngày thứ %(n)s, ngày cuối của thời hạn") % {"n": amount}))
    if due != last:
        days.append(
            _day(
                due,
                gettext(
                    "Ngày cuối là ngày nghỉ (%(r)s) nên hạn là ngày làm việc tiếp theo (Bộ luật Dân sự 2015, Điều 148)"
                )
                % {"r": calendar.day_reason(last)},
            )
        )
    return Deadline(due, period, amount, kind, days)


def explanation_text(d: Deadline) -> str:
    """One sentence for screens and the API: the rule, its source, how it counts, and the due day."""
    how = gettext("ngày làm việc") if d.counting == WORKING else gettext("ngày theo lịch")
    text = gettext("%(label)s: %(n)s %(how)s (%(source)s), hạn %(due)s.") % {
        "label": d.period.label,
        "n": d.amount,
        "how": how,
        "source": d.period.source,
        "due": format_day(d.due_on),
    }
    if d.period.counting == SETTING:
        text += " " + str(GAP_NOTE)
    return text


def limitation_problem(received_on: date, known_on: date | None, calendar: Calendar) -> str:
    """A warning when a complaint came after the 90-day limitation (obstacles may excuse it: not a refusal)."""
    if known_on is None:
        return ""
    limit = deadline(known_on, PERIODS["complaint_limitation"], calendar)
    if received_on > limit.due_on:
        return gettext(
            "Đơn nhận sau thời hiệu khiếu nại 90 ngày (hết ngày %(d)s, Luật Khiếu nại Điều 9), trừ khi có trở ngại "
            "khách quan được chứng minh."
        ) % {"d": format_day(limit.due_on)}
    return ""


def next_due(status: str, acceptance_due: date | None, resolution_due: date | None) -> date | None:
    if status == S.RECEIVED:
        return acceptance_due
    if status in (S.ACCEPTED, S.INFORMATION):
        return resolution_due
    return None


# --- redaction ---------------------------------------------------------------------------------------------

REDACTED = "[đã che]"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_WIDE_DIGITS = {0xFF10 + i: ord("0") + i for i in range(10)}
_SEP = r"[\s.\-/]?"
# 9 or 12 digits (an old ID card, a CCCD) or a Vietnamese phone number, written with or without separators
_PHONE = re.compile(rf"(?<!\d)(?:\+?84|0){_SEP}(?:\d{_SEP}){{8,10}}(?!\d)")
_ID = re.compile(rf"(?<!\d)\d(?:{_SEP}\d){{8}}(?:(?:{_SEP}\d){{3}})?(?!\d)")
# the look-behind makes a start inside a run fail at once: linear, however long the text
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,6}")


def _fold_char(ch: str) -> str:
    """One character's folded form, one character long (so positions in the folded text are the original's)."""
    folded = fold(ch) if ch.strip() else " "
    return folded[:1] or ch.lower()[:1] or " "


def _name_pieces(name: str) -> list[str]:
    """What of a name may be written: the whole, the last two words, the surname with the given name, the given
    name alone (Vietnamese say "chị Hồng", "ông Phạm Hồng")."""
    words = name.split()
    pieces = [name]
    if len(words) >= 2:
        pieces += [" ".join(words[-2:]), f"{words[0]} {words[-1]}", words[-1]]
    return [p for p in pieces if len(p) >= 2]


def redact(text: str, *, names: list[str] = (), others: list[str] = ()) -> str:
    """The text with the person's name (and the ways it is shortened), address, phone, ID numbers and e-mail
    addresses replaced by [đã che]. Names and other values match whole words, ignoring case, diacritics and
    where the tone mark sits ("Hoà"/"Hòa"); digits match with separators and in full width. Lines are kept.
    The handler checks and corrects the copy (the `redact` action)."""
    out = nfc_text(text.translate(_INVISIBLE)).translate(_WIDE_DIGITS)
    pieces = []
    for name in names:
        pieces += _name_pieces(nfc(name).translate(_INVISIBLE))
    pieces += [nfc(o) for o in others if o and len(nfc(o)) >= 4]
    folded_pieces = sorted({fold(p) for p in pieces if fold(p)}, key=len, reverse=True)
    if folded_pieces:
        folded = "".join(_fold_char(ch) for ch in out)
        alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s*") for p in folded_pieces)
        pattern = re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)")
        spans = [m.span() for m in pattern.finditer(folded)]
        for start, end in reversed(spans):
            out = out[:start] + REDACTED + out[end:]
    out = _EMAIL.sub(REDACTED, out)
    out = _ID.sub(REDACTED, out)
    return _PHONE.sub(REDACTED, out)


def mentions(text: str, value: str) -> bool:
    """Whether `value` still shows in `text` once both are folded (a check that the copy hides the name)."""
    v = fold(value)
    return bool(v) and v in fold(text)
