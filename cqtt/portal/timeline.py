"""What the public status page says: the applicant's initials, a plain explanation of the current state and one
sentence per public event. No staff names, no applicant details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from cqtt.core.text import nfc
from cqtt.dossiers.models import Dossier, DossierEvent, Status

# Event action → what it means for the citizen.
EVENT_SENTENCES = {
    "submit-online": _("Hồ sơ đã được nộp trực tuyến, đang chờ cán bộ Bộ phận Một cửa kiểm tra."),
    "receive": _("Bộ phận Một cửa đã tiếp nhận hồ sơ; thời hạn giải quyết bắt đầu tính từ lúc này."),
    "request-intake-supplement": _("Hồ sơ chưa đủ để tiếp nhận; cần nộp bổ sung các giấy tờ dưới đây."),
    "refuse-intake": _("Hồ sơ không được tiếp nhận."),
    "assign": _("Hồ sơ đã được giao cho người xử lý."),
    "request-supplement": _(
        "Cơ quan giải quyết đề nghị bổ sung giấy tờ; thời hạn tạm dừng cho đến khi nhận đủ giấy tờ bổ sung."
    ),
    "receive-supplement": _("Đã nhận đủ giấy tờ bổ sung; thời hạn giải quyết được tính lại từ đầu."),
    "transfer": _("Hồ sơ được chuyển đến cơ quan có thẩm quyền để giải quyết."),
    "consult": _("Cơ quan giải quyết đang lấy ý kiến cơ quan liên quan."),
    "consultation-reply": _("Cơ quan liên quan đã có ý kiến."),
    "submit": _("Hồ sơ đã được trình lãnh đạo xem xét."),
    "approve": _("Lãnh đạo đã đồng ý; kết quả đang được hoàn thiện."),
    "refuse": _("Cơ quan có thẩm quyền không giải quyết hồ sơ."),
    "mark-ready": _("Đã có kết quả, mời nhận theo cách đã chọn khi nộp."),
    "return-result": _("Đã trả kết quả."),
    "return-same-day": _("Hồ sơ đã được giải quyết và trả kết quả ngay trong ngày."),
    "withdraw": _("Hồ sơ đã dừng giải quyết theo đề nghị rút hồ sơ của người nộp."),
    "extend": _("Cơ quan giải quyết xin lỗi vì chưa kịp trả kết quả và hẹn lại ngày trả."),
}
UNKNOWN_EVENT = _("Hồ sơ được cập nhật.")

# Actions whose note the law says the applicant must be told: what to add, why refused, why late.
NOTE_LABELS = {
    "request-intake-supplement": _("Cần bổ sung"),
    "request-supplement": _("Cần bổ sung"),
    "refuse-intake": _("Lý do"),
    "refuse": _("Lý do"),
    "extend": _("Lý do"),
}

STATUS_HELP = {
    Status.SUBMITTED_ONLINE: _(
        "Cán bộ Bộ phận Một cửa sẽ kiểm tra hồ sơ. Thời hạn giải quyết chỉ bắt đầu tính khi hồ sơ được tiếp nhận."
    ),
    Status.INTAKE_SUPPLEMENT: _(
        "Hồ sơ còn thiếu giấy tờ. Xem nội dung cần bổ sung ở phần diễn biến và nộp bổ sung một lần."
    ),
    Status.INTAKE_REFUSED: _("Hồ sơ không được tiếp nhận. Lý do ghi ở phần diễn biến."),
    Status.RECEIVED: _("Hồ sơ đã được tiếp nhận và đang chờ giao cho người xử lý."),
    Status.IN_PROGRESS: _("Hồ sơ đang được xem xét, giải quyết."),
    Status.SUPPLEMENT_REQUESTED: _(
        "Cần nộp bổ sung giấy tờ. Thời hạn tạm dừng và được tính lại từ đầu khi nhận đủ giấy tờ bổ sung."
    ),
    Status.AWAITING_APPROVAL: _("Hồ sơ đang chờ lãnh đạo xem xét, quyết định."),
    Status.APPROVED: _("Đã được đồng ý; kết quả đang được hoàn thiện."),
    Status.READY: _("Đã có kết quả. Mời nhận kết quả theo cách đã chọn."),
    Status.RETURNED: _("Đã trả kết quả. Hồ sơ đã hoàn thành."),
    Status.REFUSED: _("Hồ sơ không được giải quyết. Lý do ghi ở phần diễn biến."),
    Status.WITHDRAWN: _("Hồ sơ đã dừng giải quyết theo đề nghị của người nộp."),
}


def initials(full_name: str) -> str:
    """'Phạm Văn Bình' → 'P. V. B.'; nothing more of the name is shown publicly."""
    return " ".join(f"{word[0].upper()}." for word in nfc(full_name).split(" ") if word and word[0].isalnum())


def status_help(dossier: Dossier) -> str:
    return str(STATUS_HELP.get(dossier.status, ""))


@dataclass
class TimelineEntry:
    at: datetime
    sentence: str
    note_label: str = ""
    note: str = ""
    new_due_at: datetime | None = None


def timeline(events) -> list[TimelineEntry]:
    return [_entry(event) for event in events]


def _entry(event: DossierEvent) -> TimelineEntry:
    label = NOTE_LABELS.get(event.action)
    new_due = None
    if event.action == "extend":
        raw = (event.data or {}).get("new_due_at")
        parsed = parse_datetime(raw) if raw else None
        new_due = timezone.localtime(parsed) if parsed else None
    return TimelineEntry(
        at=event.occurred_at,
        sentence=str(EVENT_SENTENCES.get(event.action, UNKNOWN_EVENT)),
        note_label=str(label) if label and event.note else "",
        note=event.note if label else "",
        new_due_at=new_due,
    )
