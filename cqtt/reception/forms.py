"""Forms of the reception pages. Every message is Vietnamese and names its field; a form sent back with errors
keeps what was typed (the services check the rules again and their messages land on the same fields)."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cqtt.dossiers.rules import id_number_problem, normalise_id_number, normalise_phone, phone_problem

from .models import AnswerKind, RefusalGround, VisitKind

DATETIME_INPUT = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
DATE_INPUT = ["%d/%m/%Y", "%Y-%m-%d"]
WHEN_ERRORS = {
    "required": _("Vui lòng nhập ngày, giờ tiếp (ví dụ 07/12/2026 08:00)."),
    "invalid": _("Ngày, giờ không đúng dạng: ví dụ 07/12/2026 08:00."),
}


def _text(label, max_length, *, required=True, textarea=False, **kw):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": 3}) if textarea else None,
        error_messages={
            "required": format_lazy(_("Vui lòng nhập: {f}."), f=label),
            "max_length": format_lazy(_("Tối đa {n} ký tự."), n=max_length),
        },
        **kw,
    )


def add_service_errors(form: forms.Form, message_dict: dict) -> None:
    for key, messages in message_dict.items():
        field = key if key in form.fields else None
        for message in messages:
            form.add_error(field, message)


class SessionForm(forms.Form):
    leader = forms.ChoiceField(
        label=_("Lãnh đạo tiếp"), error_messages={"required": _("Chọn lãnh đạo tiếp.")}
    )
    starts_at = forms.DateTimeField(
        label=_("Ngày, giờ tiếp"),
        input_formats=DATETIME_INPUT,
        help_text=_("Ví dụ 07/12/2026 08:00. Lịch phải công bố chậm nhất 5 ngày làm việc trước ngày tiếp."),
        error_messages=WHEN_ERRORS,
    )
    place = _text(_("Địa điểm"), 300)
    content = _text(_("Nội dung dự kiến"), 5000, required=False, textarea=True)
    participants = _text(_("Thành phần tham dự"), 500, required=False)
    online = forms.BooleanField(label=_("Tiếp trực tuyến"), required=False)
    publish = forms.BooleanField(label=_("Công bố ngay"), required=False, initial=True)

    def __init__(self, *args, leaders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].choices = [("", "—")] + [
            (u.username, u.full_name or u.username) for u in leaders
        ]


class PostponeForm(forms.Form):
    new_starts_at = forms.DateTimeField(
        label=_("Ngày, giờ tiếp mới dự kiến"), input_formats=DATETIME_INPUT, error_messages=WHEN_ERRORS
    )
    reason = _text(_("Lý do hoãn"), 2000, textarea=True)


class ReasonForm(forms.Form):
    reason = _text(_("Lý do hủy"), 2000, textarea=True)


class ConclusionForm(forms.Form):
    number = _text(_("Số thông báo"), 40, required=False)
    text = _text(_("Nội dung kết luận"), 5000, textarea=True)
    tasks = forms.CharField(
        label=_("Việc giao (mỗi dòng: nội dung | cơ quan, người thực hiện | số ngày làm việc)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ví dụ: Kiểm tra hiện trường hẻm 12 | Phòng Kinh tế | 5"),
    )

    def clean_tasks(self):
        rows = []
        for n, line in enumerate((self.cleaned_data.get("tasks") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or not parts[2].isdigit():
                raise forms.ValidationError(
                    _("Dòng %(n)s: ghi đúng dạng “nội dung | người thực hiện | số ngày”.") % {"n": n}
                )
            rows.append((parts[0], parts[1], int(parts[2])))
        return rows


class TaskDoneForm(forms.Form):
    result = _text(_("Kết quả thực hiện"), 5000, textarea=True)


class VisitForm(forms.Form):
    received_on = forms.DateField(
        label=_("Ngày tiếp"),
        input_formats=DATE_INPUT,
        required=False,
        help_text=_("Để trống là hôm nay."),
        error_messages={"invalid": _("Ngày không đúng dạng: ví dụ 24/11/2026.")},
    )
    session = forms.ChoiceField(label=_("Buổi tiếp của lãnh đạo"), required=False)
    person_name = _text(_("Họ và tên"), 200)
    address = _text(_("Địa chỉ"), 300, required=False)
    id_number = _text(_("Số CCCD (hoặc hộ chiếu)"), 20, required=False)
    phone = _text(_("Điện thoại"), 20, required=False)
    kind = forms.ChoiceField(
        label=_("Loại đơn"),
        choices=VisitKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn loại đơn: khiếu nại, tố cáo, kiến nghị hoặc phản ánh.")},
    )
    content = _text(_("Tóm tắt nội dung vụ việc"), 5000, textarea=True)
    people = forms.IntegerField(
        label=_("Số người cùng nội dung"),
        initial=1,
        min_value=1,
        max_value=1000,
        error_messages={
            "required": _("Nhập số người (1 nếu đến một mình)."),
            "invalid": _("Số người phải là số."),
            "min_value": _("Số người từ 1 đến 1000."),
            "max_value": _("Số người từ 1 đến 1000."),
        },
    )
    is_group = forms.BooleanField(label=_("Đoàn đông người"), required=False)
    representatives = _text(_("Người đại diện của đoàn"), 2000, required=False, textarea=True)
    handled_before_by = _text(_("Cơ quan đã giải quyết"), 300, required=False)
    within_competence = forms.BooleanField(label=_("Thuộc thẩm quyền"), required=False, initial=True)
    guidance = _text(_("Hướng dẫn công dân đến cơ quan có thẩm quyền"), 2000, required=False, textarea=True)
    accepting_body = _text(_("Cơ quan, đơn vị thụ lý"), 300, required=False)
    follow_up = _text(_("Theo dõi kết quả giải quyết"), 2000, required=False)
    note = _text(_("Ghi chú"), 2000, required=False)
    refusal_ground = forms.ChoiceField(
        label=_("Từ chối tiếp (chỉ khi có lý do luật định)"),
        choices=[("", _("— Không từ chối —")), *RefusalGround.choices],
        required=False,
    )

    def clean_id_number(self):
        value = normalise_id_number(self.cleaned_data.get("id_number") or "")
        if value.isdigit() and (problem := id_number_problem(value)):
            raise forms.ValidationError(problem)
        return value

    def clean_phone(self):
        value = normalise_phone(self.cleaned_data.get("phone") or "")
        if value and (problem := phone_problem(value)):
            raise forms.ValidationError(problem)
        return value

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [("", _("— Tiếp thường xuyên —"))] + [
            (str(s.pk), f"{s.starts_at:%d/%m/%Y %H:%M} — {s.leader.full_name or s.leader.username}")
            for s in sessions
        ]


class AnswerForm(forms.Form):
    answer_kind = forms.ChoiceField(
        label=_("Hình thức trả lời"),
        choices=AnswerKind.choices,
        error_messages={"required": _("Chọn hình thức trả lời.")},
    )
    answer = _text(_("Nội dung đã trả lời công dân"), 5000, textarea=True)
    answered_on = forms.DateField(
        label=_("Ngày trả lời"),
        input_formats=DATE_INPUT,
        required=False,
        help_text=_("Để trống là hôm nay."),
        error_messages={"invalid": _("Ngày không đúng dạng: ví dụ 24/11/2026.")},
    )
    accepting_body = _text(_("Cơ quan, đơn vị thụ lý"), 300, required=False)


class FollowUpForm(forms.Form):
    follow_up = _text(_("Theo dõi kết quả giải quyết"), 2000, textarea=True)
    accepting_body = _text(_("Cơ quan, đơn vị thụ lý"), 300, required=False)
    note = _text(_("Ghi chú"), 2000, required=False)


class DocumentsForm(forms.Form):
    documents = forms.CharField(
        label=_("Thông tin, tài liệu nhận (mỗi dòng: tên | số trang | tình trạng)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ví dụ: Đơn kiến nghị | 2 | Bản chính"),
        error_messages={"required": _("Vui lòng ghi ít nhất một tài liệu.")},
    )
    copies = forms.IntegerField(
        label=_("Số bản biên nhận"),
        initial=2,
        min_value=1,
        max_value=10,
        error_messages={
            "required": _("Nhập số bản biên nhận."),
            "invalid": _("Số bản phải là số."),
            "min_value": _("Số bản biên nhận từ 1 đến 10."),
            "max_value": _("Số bản biên nhận từ 1 đến 10."),
        },
    )

    def clean_documents(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["documents"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + ["", ""]
            pages = parts[1] or "1"
            if not pages.isdigit():
                raise forms.ValidationError(_("Dòng %(n)s: số trang phải là số.") % {"n": n})
            rows.append((parts[0], int(pages), parts[2]))
        return rows


class RegisterFilter(forms.Form):
    kind = forms.ChoiceField(choices=[("", _("Mọi loại đơn")), *VisitKind.choices], required=False)
    overdue = forms.BooleanField(label=_("Chỉ quá hạn"), required=False)
