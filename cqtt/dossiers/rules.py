"""Pure rules of the dossier lifecycle: allowed transitions, who may do them, timeliness, codes, formats."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from cqtt.accounts.models import Role
from cqtt.core.process import Process, Transition, transition
from cqtt.core.text import fold, nfc
from cqtt.workdays import rules as wd

from .models import Status, Timeliness

S = Status
R = Role


_t = transition


ACTIVE = {S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.AWAITING_APPROVAL, S.APPROVED}

DOSSIER = Process(
    "dossier",
    [
        _t(
            "receive",
            {S.SUBMITTED_ONLINE, S.INTAKE_SUPPLEMENT},
            S.RECEIVED,
            {R.COUNTER_OFFICER},
            _("Tiếp nhận hồ sơ"),
        ),
        _t(
            "request-intake-supplement",
            {S.SUBMITTED_ONLINE},
            S.INTAKE_SUPPLEMENT,
            {R.COUNTER_OFFICER},
            _("Yêu cầu bổ sung để tiếp nhận"),
        ),
        _t(
            "refuse-intake",
            {S.SUBMITTED_ONLINE, S.INTAKE_SUPPLEMENT},
            S.INTAKE_REFUSED,
            {R.COUNTER_OFFICER},
            _("Từ chối tiếp nhận"),
        ),
        _t(
            "assign",
            {S.RECEIVED, S.IN_PROGRESS},
            S.IN_PROGRESS,
            {R.LEADER, R.COUNTER_OFFICER},
            _("Phân công chuyên viên"),
        ),
        _t(
            "request-supplement",
            {S.IN_PROGRESS, S.AWAITING_APPROVAL},
            S.SUPPLEMENT_REQUESTED,
            {R.SPECIALIST, R.LEADER},
            _("Yêu cầu công dân bổ sung"),
        ),
        _t(
            "receive-supplement",
            {S.SUPPLEMENT_REQUESTED},
            S.IN_PROGRESS,
            {R.COUNTER_OFFICER, R.SPECIALIST},
            _("Nhận hồ sơ bổ sung"),
        ),
        _t("transfer", {S.IN_PROGRESS}, None, {R.SPECIALIST, R.LEADER}, _("Chuyển liên thông")),
        _t(
            "consult",
            {S.IN_PROGRESS, S.AWAITING_APPROVAL},
            None,
            {R.SPECIALIST, R.LEADER},
            _("Lấy ý kiến cơ quan liên quan"),
        ),
        _t("submit", {S.IN_PROGRESS}, S.AWAITING_APPROVAL, {R.SPECIALIST}, _("Trình lãnh đạo phê duyệt")),
        _t("approve", {S.IN_PROGRESS, S.AWAITING_APPROVAL}, S.APPROVED, {R.LEADER}, _("Phê duyệt")),
        _t(
            "refuse",
            {S.RECEIVED, S.IN_PROGRESS, S.AWAITING_APPROVAL},
            S.REFUSED,
            {R.LEADER},
            _("Từ chối giải quyết"),
        ),
        _t(
            "mark-ready",
            {S.APPROVED},
            S.READY,
            {R.SPECIALIST, R.COUNTER_OFFICER, R.LEADER},
            _("Có kết quả, chuyển Bộ phận Một cửa"),
        ),
        _t("return-result", {S.READY}, S.RETURNED, {R.COUNTER_OFFICER}, _("Trả kết quả")),
        # same-day procedures (certified copies, signature certification): done and returned in one sitting
        _t("return-same-day", {S.RECEIVED}, S.RETURNED, {R.COUNTER_OFFICER}, _("Giải quyết và trả ngay")),
        _t(
            "withdraw",
            {S.SUBMITTED_ONLINE, S.INTAKE_SUPPLEMENT} | ACTIVE,
            S.WITHDRAWN,
            {R.COUNTER_OFFICER, R.LEADER},
            _("Công dân rút hồ sơ"),
        ),
        _t("extend", ACTIVE, None, {R.LEADER}, _("Gia hạn, hẹn lại ngày trả")),
        # the consulted body answers whenever its step is open; who may answer is checked by the service
        # (a user of the consulted unit, or the dossier's specialist or leader)
        _t(
            "consultation-reply",
            set(Status.values),
            None,
            set(Role.values) - {R.OBSERVER},
            _("Ghi ý kiến trả lời"),
        ),
    ],
    state_label=lambda state: Status(state).label,
)
# the one table every dossier service runs through (services.engine: _begin, _apply)
TRANSITIONS: dict[str, Transition] = DOSSIER.transitions


def check_transition(action: str, status: str, roles: set[str]) -> Transition:
    return DOSSIER.check(action, status, roles)


SAME_DAY_ONLY = frozenset({"return-same-day"})
# answered from the consultation's own form on the dossier page, not offered as a button of the dossier's state
NOT_OFFERED = frozenset({"consultation-reply"})


def available_actions(status: str, roles: set[str], *, same_day: bool = False) -> list[Transition]:
    """Actions the roles may take from `status`; `same_day` procedures also offer returning at once."""
    return [
        t
        for t in DOSSIER.available(status, roles)
        if t.action not in NOT_OFFERED and (same_day or t.action not in SAME_DAY_ONLY)
    ]


# --- timeliness --------------------------------------------------------------------------------------------


def classify(finished_at: datetime, due_at: datetime, *, compare: str = "date") -> str:
    """Early / on time / late. `compare="date"`: by calendar date of the due day (finishing any time on the
    due date is on time); `"datetime"`: late as soon as `finished_at` passes `due_at`."""
    if compare == "datetime":
        if finished_at > due_at:
            return Timeliness.LATE
        return Timeliness.EARLY if finished_at.date() < due_at.date() else Timeliness.ON_TIME
    f, d = finished_at.date(), due_at.date()
    if f < d:
        return Timeliness.EARLY
    return Timeliness.ON_TIME if f == d else Timeliness.LATE


def step_timeliness(completed_at: datetime, due_at: datetime) -> str:
    """A control-slip step is late as soon as it is completed after its due time."""
    return classify(completed_at, due_at, compare="datetime")


def finish_timeliness(
    finished_at: datetime,
    original_due_at: datetime | None,
    stat_due_at: datetime | None,
    supplement_count: int,
    *,
    compare: str = "date",
) -> tuple[str, str]:
    """(timeliness, statistic timeliness) of a dossier finished at `finished_at`; ('', '') without a due date
    (never received)."""
    if original_due_at is None:
        return "", ""
    return (
        classify(finished_at, original_due_at, compare=compare),
        classify_statistic(finished_at, stat_due_at or original_due_at, supplement_count, compare=compare),
    )


def classify_statistic(
    finished_at: datetime, stat_due_at: datetime, supplement_count: int, *, compare: str = "date"
) -> str:
    """The national statistic (QĐ 766 indicator 2.1): pause time already subtracted in `stat_due_at`; more than
    one supplement request during appraisal counts as late."""
    if supplement_count > 1:
        return Timeliness.LATE
    return classify(finished_at, stat_due_at, compare=compare)


# --- internal process --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepPlan:
    name: str
    role: str  # counter | specialist | leader
    days: Decimal


def role_days(plan: list[StepPlan], role: str) -> Decimal:
    """Working days the plan gives one role (half a day when it gives none)."""
    return sum((p.days for p in plan if p.role == role), Decimal(0)) or Decimal("0.5")


def remaining_days(plan: list[StepPlan], after_role: str) -> Decimal:
    """Working days allotted to the steps after the last step played by `after_role` (what must still fit
    before the due time: the basis of "at risk")."""
    index = max((i for i, p in enumerate(plan) if p.role == after_role), default=-1)
    return sum((p.days for p in plan[index + 1 :]), Decimal(0))


def handover_days(plan: list[StepPlan], role: str) -> Decimal:
    """Working days one hand-over step gives `role`: the counter's days are shared by its two hand-overs (the
    dossier to the handling unit, the result back to the counter), at least a quarter of a day each."""
    days = role_days(plan, role)
    if role == "counter":
        return days / 2 or Decimal("0.25")
    return days


# the role whose steps are behind a dossier in this status (what is left must still fit before the due time)
_RISK_ROLE = {
    S.RECEIVED: "counter",
    S.IN_PROGRESS: "specialist",
    S.AWAITING_APPROVAL: "leader",
    S.APPROVED: "leader",
}


def risk_role(status: str) -> str | None:
    """The role after whose steps "at risk" is counted in `status`; None when no clock runs (paused, finished)."""
    return _RISK_ROLE.get(status)


def risk_at(
    due_at: datetime | None,
    plan: list[StepPlan],
    after_role: str,
    calendar: wd.Calendar,
    schedule: wd.Schedule,
) -> datetime | None:
    """When a dossier becomes "at risk": the due time less the office time the steps after `after_role`'s are
    allotted."""
    if due_at is None:
        return None
    seconds = int(remaining_days(plan, after_role) * schedule.capacity)
    return wd.subtract_office_seconds(due_at, seconds, calendar, schedule)


def step_due_at(
    started_at: datetime, days: Decimal, calendar: wd.Calendar, schedule: wd.Schedule
) -> datetime:
    """Due time of a control-slip step allotted `days` working days (as office time) from `started_at`."""
    return wd.add_office_seconds(started_at, int(days * schedule.capacity), calendar, schedule)


def statistic_due_after_pause(
    stat_due_at: datetime,
    paused_at: datetime,
    resumed_at: datetime,
    calendar: wd.Calendar,
    schedule: wd.Schedule,
) -> datetime:
    """The statistic's due time moved by the office time a supplement pause lasted (the legal period restarts
    instead: `cqtt.workdays.rules.compute_due` from the resumption)."""
    paused = wd.office_seconds_between(paused_at, resumed_at, calendar, schedule)
    return wd.add_office_seconds(stat_due_at, paused, calendar, schedule)


def process_plan(
    steps: list[tuple[str, str, Decimal]], duration_amount: Decimal, duration_unit: str
) -> list[StepPlan]:
    """A procedure version's internal process: its own steps (name, role, days) or, without any, the default
    process scaled to its period (half a day for periods not counted in working days)."""
    if steps:
        return [StepPlan(name, role, days) for name, role, days in steps]
    days = duration_amount if duration_unit == "working_days" else Decimal("0.5")
    return default_process(days)


def default_process(duration_days: Decimal) -> list[StepPlan]:
    """When a procedure has no internal process: hand-over, appraisal, approval, return, scaled to the period."""
    total = max(Decimal(duration_days), Decimal("0.25"))
    if total >= 2:
        edge = Decimal("0.5")
    else:
        edge = (total / 8).quantize(Decimal("0.01"))
    middle = total - 3 * edge
    return [
        StepPlan(str(_("Tiếp nhận, chuyển hồ sơ")), "counter", edge),
        StepPlan(str(_("Thẩm định, xử lý hồ sơ")), "specialist", middle),
        StepPlan(str(_("Phê duyệt kết quả")), "leader", edge),
        StepPlan(str(_("Trả kết quả")), "counter", edge),
    ]


# --- input limits ------------------------------------------------------------------------------------------

# The longest texts and lists accepted from people, on the staff pages and the API alike. A supplement request
# lists at most ITEMS_MAX items (one slip, Mẫu 02, that still prints in well under a second).
NOTE_MAX_LENGTH = 500  # what a step's note holds (DossierStep.note)
REASON_MAX_LENGTH = 2000  # reasons, questions and answers
ITEM_MAX_LENGTH = 500  # one item to supplement, or one document's name (DossierDocument.name)
ITEMS_MAX = 50  # items to supplement, documents of one intake


def items_problem(items: list[str]) -> str:
    """'' if a list of items to supplement (one per line on the pages) is within the limits above."""
    if len(items) > ITEMS_MAX:
        return str(_("Tối đa %(n)s nội dung, mỗi dòng một nội dung.") % {"n": ITEMS_MAX})
    if any(len(item) > ITEM_MAX_LENGTH for item in items):
        return str(_("Mỗi nội dung tối đa %(n)s ký tự.") % {"n": ITEM_MAX_LENGTH})
    return ""


# --- repeated requests -------------------------------------------------------------------------------------

IDEMPOTENCY_KEY_MAX_LENGTH = 100
IDEMPOTENCY_KEY_LIFETIME = timedelta(hours=24)  # an older key is forgotten: its request may be sent anew
_IDEMPOTENCY_KEY_RE = re.compile(rf"[\x20-\x7e]{{1,{IDEMPOTENCY_KEY_MAX_LENGTH}}}")


def idempotency_key_problem(key: str) -> str:
    """'' if `key` is 1 to 100 printable ASCII characters."""
    if _IDEMPOTENCY_KEY_RE.fullmatch(key):
        return ""
    return str(
        _("Idempotency-Key phải gồm 1 đến %(n)s ký tự ASCII in được.") % {"n": IDEMPOTENCY_KEY_MAX_LENGTH}
    )


def request_fingerprint(data) -> str:
    """SHA-256 of a request body as canonical JSON (keys sorted, no spaces): the same body, however its keys and
    spaces were sent, has the same fingerprint."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- codes and formats -------------------------------------------------------------------------------------


def dossier_code(unit_identifier: str, day: date, seq: int) -> str:
    """`<receiving unit identifier>-YYMMDD-NNNN` (TT 01/2018 Art. 19; ND 61/2018 Art. 26)."""
    return f"{unit_identifier}-{day:%y%m%d}-{seq:04d}"


# ASCII digits only: `\d` alone also matches the digits of every other script (Arabic-Indic, Devanagari…)
_ID_RE = re.compile(r"^\d{12}$", re.ASCII)
_TAX_RE = re.compile(r"^\d{10}(-\d{3})?$", re.ASCII)
_MOBILE_RE = re.compile(r"^0[35789]\d{8}$", re.ASCII)
_LANDLINE_RE = re.compile(r"^02\d{9}$", re.ASCII)
# old 63-province codes used in citizen ID numbers (001 … 096); gaps are invalid
_ID_PROVINCES = {
    1,
    2,
    4,
    6,
    8,
    10,
    11,
    12,
    14,
    15,
    17,
    19,
    20,
    22,
    24,
    25,
    26,
    27,
    30,
    31,
    33,
    34,
    35,
    36,
    37,
    38,
    40,
    42,
    44,
    45,
    46,
    48,
    49,
    51,
    52,
    54,
    56,
    58,
    60,
    62,
    64,
    66,
    67,
    68,
    70,
    72,
    74,
    75,
    77,
    79,
    80,
    82,
    83,
    84,
    86,
    87,
    89,
    91,
    92,
    93,
    94,
    95,
    96,
}


def _fold(raw: str) -> str:
    """Compatibility forms folded to their plain characters (NFKC): the full-width digits, plus, hyphen and
    brackets a phone's Vietnamese or CJK keyboard may type become ASCII. We fold rather than refuse, so a citizen
    is not turned away for their keyboard, and store the folded value, so lookups and exports see one form;
    digits of other scripts have no such mapping and are still refused by the checks below."""
    return unicodedata.normalize("NFKC", raw or "")


def normalise_id_number(raw: str) -> str:
    """A citizen ID or tax code as typed, folded to ASCII and without spaces (the value checked and stored)."""
    return "".join(_fold(raw).split())


def normalise_phone(raw: str) -> str:
    digits = re.sub(r"[\s.\-()]", "", _fold(raw))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def phone_problem(phone: str) -> str:
    """'' if `phone` (normalised) is a Vietnamese mobile (10 digits) or landline (11 digits, 02x…)."""
    if _MOBILE_RE.match(phone) or _LANDLINE_RE.match(phone):
        return ""
    return str(
        _(
            "Số điện thoại không đúng định dạng: di động 10 số (ví dụ 0912345678) hoặc cố định 11 số "
            "(ví dụ 02743822000)."
        )
    )


def id_number_problem(value: str, *, kind: str = "person", today: date | None = None) -> str:
    """'' if `value` is a 12-digit citizen ID (province, century/sex and year plausible) or, for an
    organisation, a 10- or 13-digit tax code."""
    if kind == "organisation":
        if _TAX_RE.match(value):
            return ""
        return str(_("Mã số thuế phải có 10 chữ số (hoặc 10 chữ số, dấu gạch và 3 chữ số)."))
    if not _ID_RE.match(value):
        return str(_("Số định danh cá nhân phải gồm đúng 12 chữ số."))
    if int(value[:3]) not in _ID_PROVINCES:
        return str(_("Ba số đầu của số định danh không phải mã tỉnh nơi đăng ký khai sinh."))
    century = int(value[3])
    year = 1900 + 100 * (century // 2) + int(value[4:6])
    if year > (today or date.today()).year or year < 1900:
        return str(_("Năm sinh trong số định danh không hợp lệ."))
    return ""


# --- personal data shown by role (docs/adr/0013-personal-data-by-role.md) ----------------------------------

MASK_KEEP_DIGITS = 4
MASK_CHAR = "*"


def mask_digits(value: str, keep: int = MASK_KEEP_DIGITS) -> str:
    """An ID number or phone with every digit but the last `keep` replaced by `*`: '079085001234' →
    '********1234', '0912345678' → '******5678'. Separators stay (a tax code's '-' says nothing about the
    person); a value with `keep` digits or fewer is masked whole, since showing it would show all of it."""
    if not value:
        return ""
    digits = sum(ch.isdigit() for ch in value)
    shown = keep if digits > keep else 0
    out, seen = [], 0
    for ch in value:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > digits - shown else MASK_CHAR)
        else:
            out.append(ch)
    return "".join(out)


# --- staff search (ADR 0012) -------------------------------------------------------------------------------

SEARCH_MAX_LENGTH = 100
SEARCH_MAX_TERMS = 6
# the database's trigram index needs 3 characters to narrow anything: a word's 2 letters after its space, or 3
# characters of a term matched anywhere
SEARCH_MIN_WORD = 2
SEARCH_MIN_MARK = 3
_WHOLE_CODE_RE = re.compile(r"^[0-9A-Z.]+-\d{6}-\d{4,}$", re.ASCII)
_INTERNATIONAL_PHONE_RE = re.compile(r"^\+?84(\d{9})$", re.ASCII)
_TERM_EDGES = ",;:()[]\"'"


def search_text(code: str, name: str, id_number: str, phone: str) -> str:
    """What the staff search matches a dossier by, folded (no diacritics, lower case): code, applicant name, ID
    number, phone. It starts with a space so that every word follows one: ' nguyen' is a word's beginning."""
    return " " + " ".join(p for p in (fold(code), fold(name), id_number, phone) if p)


class SearchRefused(ValueError):
    """The query cannot be searched (the message says why, in Vietnamese)."""


@dataclass(frozen=True)
class SearchQuery:
    """A staff search box's text, parsed. `code`: a whole dossier code, matched exactly. `words`: folded
    letter-only terms, each the beginning of a word. `marks`: terms with a digit, '-' or '.', matched anywhere
    (a code's part, an ID number, a phone or its last digits). Every term must match."""

    text: str
    code: str | None = None
    words: tuple[str, ...] = ()
    marks: tuple[str, ...] = ()


def search_query(raw: str | None) -> SearchQuery | None:
    """Parse a search box; None for an empty one. Raises `SearchRefused` for a query too long, with too many
    words, or without a word of 2 letters or a number of 3 digits (it would read every dossier of the scope)."""
    text = nfc(_fold(raw or ""))
    if not text:
        return None
    if len(text) > SEARCH_MAX_LENGTH:
        raise SearchRefused(_("Nội dung tìm kiếm dài quá %(n)d ký tự.") % {"n": SEARCH_MAX_LENGTH})
    if _WHOLE_CODE_RE.match(text.upper()):
        return SearchQuery(text=text, code=text.upper())
    terms: list[str] = []
    for term in fold(text).split(" "):
        term = term.strip(_TERM_EDGES)
        phone = _INTERNATIONAL_PHONE_RE.match(term)
        if phone:
            term = "0" + phone.group(1)
        if term and term not in terms:
            terms.append(term)
    if len(terms) > SEARCH_MAX_TERMS:
        raise SearchRefused(_("Nhập tối đa %(n)d từ để tìm kiếm.") % {"n": SEARCH_MAX_TERMS})
    marks = tuple(t for t in terms if any(ch.isdigit() or ch in "-." for ch in t))
    words = tuple(t for t in terms if t not in marks)
    if not any(len(w) >= SEARCH_MIN_WORD for w in words) and not any(
        len(m) >= SEARCH_MIN_MARK for m in marks
    ):
        raise SearchRefused(
            _(
                "Nhập ít nhất một từ %(w)d chữ cái hoặc %(m)d chữ số liền nhau (mã hồ sơ, họ tên, số định danh"
                " hoặc số điện thoại)."
            )
            % {"w": SEARCH_MIN_WORD, "m": SEARCH_MIN_MARK}
        )
    return SearchQuery(text=text, words=words, marks=marks)
