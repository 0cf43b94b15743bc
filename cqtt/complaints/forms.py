"""Forms of the case pages: intake at the desk, the list's filters, one small form per action, the identity's
opening, the unit's settings. Messages in Vietnamese; what was typed is kept on an error."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel, Counting, Kind, Status

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
DATE_ERRORS = {"invalid": _("Ngày không hợp lệ, ví dụ: 01/12/2026.")}


def add_service_errors(form: forms.Form, message_dict: dict) -> None:
    for key, messages in message_dict.items():
        field = key.replace("person.", "") if key.replace("person.", "") in form.fields else None
        for message in messages:
            form.add_error(field, message)


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=[("", _("Tất cả"))] + Kind.choices, required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả"))] + Status.choices, required=False
    )
    overdue = forms.BooleanField(label=_("Chỉ đơn quá hạn"), required=False)


class IntakeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=Kind.choices, widget=forms.RadioSelect)
    channel = forms.ChoiceField(label=_("Hình thức tiếp nhận"), choices=Channel.choices)
    received_on = forms.DateField(label=_("Ngày nhận đơn"), widget=DATE, error_messages=DATE_ERRORS)
    full_name = forms.CharField(label=_("Họ và tên người gửi"), max_length=200, required=False)
    id_number = forms.CharField(label=_("Số định danh cá nhân (CCCD)"), max_length=20, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    email = forms.CharField(label=_("Thư điện tử"), max_length=254, required=False)
    content = forms.CharField(
        label=_("Nội dung đơn"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text=_(
            "Họ tên, địa chỉ, số điện thoại và số định danh của người gửi được che trong bản xác minh."
        ),
        error_messages={"required": _("Ghi nội dung đơn.")},
    )
    decision_known_on = forms.DateField(
        label=_("Ngày biết quyết định, hành vi bị khiếu nại (để xét thời hiệu)"),
        widget=DATE,
        required=False,
        error_messages=DATE_ERRORS,
    )
    instance = forms.ChoiceField(
        label=_("Lần giải quyết (khiếu nại)"),
        choices=[("1", _("Lần đầu")), ("2", _("Lần hai (kèm quyết định giải quyết lần đầu)"))],
        initial="1",
        required=False,
    )
    remote_area = forms.BooleanField(label=_("Vùng sâu, vùng xa, đi lại khó khăn"), required=False)
    complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)
    several_places = forms.BooleanField(label=_("Tố cáo phải xác minh ở nhiều địa điểm"), required=False)
    anonymous = forms.BooleanField(label=_("Người tố cáo giấu tên hoặc mạo danh"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do, căn cứ"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AcceptForm(forms.Form):
    accepted_on = forms.DateField(
        label=_("Ngày thụ lý (để trống: hôm nay)"), widget=DATE, required=False, error_messages=DATE_ERRORS
    )


class TransferForm(forms.Form):
    target_body = forms.CharField(label=_("Cơ quan có thẩm quyền"), max_length=300)
    reason = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Người xác minh"), required=False)
    handler = forms.ChoiceField(label=_("Người quản lý thông tin người gửi"), required=False)

    def __init__(self, *args, verifiers=(), leaders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "—")] + [
            (u.username, u.get_full_name() or u.username) for u in verifiers
        ]
        self.fields["handler"].choices = [("", "—")] + [
            (u.username, u.get_full_name() or u.username) for u in leaders
        ]


class FootageForm(forms.Form):
    counter = forms.ModelChoiceField(
        label=_("Quầy"), queryset=None, error_messages={"required": _("Chọn quầy nơi xảy ra sự việc.")}
    )
    happened_at = forms.DateTimeField(
        label=_("Thời điểm xảy ra sự việc"),
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        error_messages={
            "required": _("Nhập thời điểm xảy ra sự việc."),
            "invalid": _("Thời điểm không hợp lệ, ví dụ: 24/11/2026 09:30."),
        },
    )
    officer = forms.ModelChoiceField(label=_("Cán bộ bị phản ánh (nếu có)"), queryset=None, required=False)

    def __init__(self, *args, counters=None, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter"].queryset = counters
        self.fields["counter"].label_from_instance = lambda c: (
            f"{c.office.unit.name} — {c}" if c.office_id else str(c)
        )
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = lambda u: u.get_full_name() or u.username


class ExtendForm(forms.Form):
    decision_number = forms.CharField(
        label=_("Số quyết định gia hạn (tố cáo)"), max_length=64, required=False
    )
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ConcludeForm(forms.Form):
    decision_number = forms.CharField(
        label=_("Số quyết định, kết luận, văn bản trả lời"), max_length=64, required=False
    )
    concluded_on = forms.DateField(
        label=_("Ngày ban hành (để trống: hôm nay)"), widget=DATE, required=False, error_messages=DATE_ERRORS
    )
    outcome = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RedactForm(forms.Form):
    content = forms.CharField(
        label=_("Bản che thông tin cá nhân"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )


class EmptyForm(forms.Form):
    pass


SPLIT_PARTS = 3


class SplitForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(SPLIT_PARTS):
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=_("Loại nội dung %(n)s") % {"n": i + 1},
                choices=[("", "—")] + Kind.choices,
                required=False,
            )
            self.fields[f"content_{i}"] = forms.CharField(
                label=_("Nội dung %(n)s") % {"n": i + 1},
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=20000,
                required=False,
            )

    def parts(self) -> list[dict]:
        v = self.cleaned_data
        return [
            {"kind": v[f"kind_{i}"], "content": v[f"content_{i}"]}
            for i in range(SPLIT_PARTS)
            if v.get(f"kind_{i}") or v.get(f"content_{i}")
        ]


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do mở thông tin người gửi đơn (được ghi lại)"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class SettingsForm(forms.Form):
    resolution_counting = forms.ChoiceField(
        label=_("Thời hạn giải quyết ghi là “ngày” được tính theo"), choices=Counting.choices
    )
    petition_days = forms.IntegerField(
        label=_("Thời hạn giải quyết kiến nghị (ngày làm việc)"), min_value=1, max_value=90
    )
