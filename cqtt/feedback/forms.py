"""Forms of the feedback pages: the public form (with its honeypot), the lookup, and the staff forms. Every message
is Vietnamese and names its field; a form sent back with errors keeps what was typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cqtt.dossiers.rules import normalise_phone, phone_problem
from cqtt.dossiers.uploads import ACCEPT, check_upload

from .models import PUBLIC_KINDS, Channel, Kind, Status
from .services import CONTENT_MAX, REASON_MAX, content_problems

DATETIME_INPUT = ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
KIND_HELP = {
    Kind.REPORT: _("Báo một việc chưa đúng, chưa tốt cần cơ quan biết và xử lý."),
    Kind.RECOMMENDATION: _("Đề xuất cách giải quyết hoặc sáng kiến mới."),
    Kind.SUGGESTION: _("Ý kiến để phục vụ người dân tốt hơn."),
    Kind.COMMENDATION: _("Khen cán bộ, công chức đã phục vụ tận tình."),
    Kind.OFFICIAL_CONDUCT: _("Cán bộ gây phiền hà, sách nhiễu, chậm trễ, đòi thêm giấy tờ ngoài quy định."),
    Kind.REGULATION: _("Quy định, thủ tục bất hợp lý, chồng chéo, trái luật."),
}


def _phone(value: str) -> str:
    value = normalise_phone(value or "")
    if value and phone_problem(value):
        raise forms.ValidationError(phone_problem(value))
    return value


class SenderFields(forms.Form):
    name = forms.CharField(
        label=_("Họ và tên (không bắt buộc)"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("Họ và tên tối đa 200 ký tự.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại (không bắt buộc)"),
        max_length=20,
        required=False,
        help_text=_("Để nhận tin nhắn khi có trả lời."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử (không bắt buộc)"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ, ví dụ: ten@example.vn.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ (không bắt buộc)"),
        max_length=300,
        required=False,
        error_messages={"max_length": _("Địa chỉ tối đa 300 ký tự.")},
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def clean_phone(self):
        return _phone(self.cleaned_data.get("phone"))


def _content_field(label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Nội dung"),
        max_length=CONTENT_MAX,
        strip=False,
        error_messages={
            "required": _("Vui lòng nhập nội dung phản ánh, kiến nghị."),
            "max_length": _("Nội dung tối đa %(limit_value)d ký tự."),
        },
        widget=forms.Textarea(attrs={"rows": 7}),
    )


class PublicFeedbackForm(SenderFields):
    kind = forms.ChoiceField(
        label=_("Bạn muốn gửi"),
        choices=[(k.value, k.label) for k in PUBLIC_KINDS],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Hãy chọn loại phản ánh, kiến nghị."),
            "invalid_choice": _("Hãy chọn một trong các loại."),
        },
    )
    content = _content_field()
    publish_consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý công khai nội dung và câu trả lời trên cổng thông tin (đã bỏ thông tin cá nhân)."
        ),
        required=False,
    )
    # a honeypot: hidden from people by the stylesheet, filled in by robots
    website = forms.CharField(label=_("Để trống ô này"), required=False, max_length=200)

    field_order = ["kind", "content", "name", "phone", "email", "address", "publish_consent", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_content(self):
        from cqtt.core.text import nfc_text

        value = nfc_text(self.cleaned_data["content"])
        problems = content_problems(value)
        if problems:
            raise forms.ValidationError(problems)
        return value

    @property
    def is_robot(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def kind_choices(self):
        return [(value, label, KIND_HELP.get(value, "")) for value, label in self.fields["kind"].choices]


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã phản ánh"),
        max_length=20,
        help_text=_("Ví dụ GY-7K3MQ-9QXD2, trong tin nhắn hoặc trang xác nhận khi gửi."),
        error_messages={
            "required": _("Vui lòng nhập mã phản ánh."),
            "max_length": _("Mã phản ánh tối đa 20 ký tự."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).upper()


# --- staff -------------------------------------------------------------------------------------------------


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả"))] + Status.choices, required=False
    )
    kind = forms.ChoiceField(label=_("Loại"), choices=[("", _("Tất cả"))] + Kind.choices, required=False)
    channel = forms.ChoiceField(
        label=_("Kênh"), choices=[("", _("Tất cả"))] + Channel.choices, required=False
    )
    overdue = forms.BooleanField(label=_("Chỉ phản ánh quá hạn"), required=False)


class StaffIntakeForm(SenderFields):
    """A hotline call or a paper letter typed in by staff."""

    kind = forms.ChoiceField(label=_("Loại"), choices=Kind.choices, initial=Kind.REPORT)
    subject = forms.CharField(label=_("Tiêu đề (không bắt buộc)"), max_length=200, required=False)
    content = _content_field(_("Nội dung (ghi trung thực lời người gửi)"))
    received_at = forms.DateTimeField(
        label=_("Thời điểm nhận (dd/mm/yyyy hh:mm)"),
        input_formats=DATETIME_INPUT,
        required=False,
        error_messages={"invalid": _("Ghi thời điểm theo dạng dd/mm/yyyy hh:mm, ví dụ 24/11/2026 09:30.")},
    )
    publish_consent = forms.BooleanField(label=_("Người gửi đồng ý công khai"), required=False)


class PaperLetterForm(StaffIntakeForm):
    scan = forms.FileField(
        label=_("Bản quét thư (PDF, JPEG hoặc PNG)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    def clean_scan(self):
        upload = self.cleaned_data.get("scan")
        if upload:
            check_upload(upload, label=str(_("Bản quét thư")))
        return upload


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=REASON_MAX,
        error_messages={"required": _("Ghi lý do."), "max_length": _("Tối đa %(limit_value)d ký tự.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung trả lời"),
        max_length=CONTENT_MAX,
        error_messages={
            "required": _("Nhập nội dung trả lời."),
            "max_length": _("Tối đa %(limit_value)d ký tự."),
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    publish = forms.BooleanField(label=_("Công khai ngay (người gửi đã đồng ý)"), required=False)


class PublishForm(forms.Form):
    public_content = forms.CharField(
        label=_("Nội dung công khai"),
        required=False,
        max_length=CONTENT_MAX * 2,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    public_answer = forms.CharField(
        label=_("Trả lời công khai"),
        required=False,
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TransferForm(forms.Form):
    unit_code = forms.CharField(
        label=_("Mã đơn vị có thẩm quyền"),
        max_length=32,
        error_messages={"required": _("Nhập mã xã, phường (hoặc tỉnh) nhận chuyển.")},
    )
    reason = forms.CharField(
        label=_("Lý do"), required=False, max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class MoveForm(forms.Form):
    track = forms.ChoiceField(
        label=_("Là"),
        choices=[
            (Kind.COMPLAINT.value, Kind.COMPLAINT.label),
            (Kind.DENUNCIATION.value, Kind.DENUNCIATION.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn khiếu nại hoặc tố cáo.")},
    )
    reason = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class SupplementForm(forms.Form):
    content = forms.CharField(
        label=_("Thông tin người gửi bổ sung"),
        max_length=CONTENT_MAX,
        error_messages={"required": _("Nhập thông tin người gửi đã bổ sung.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(forms.Form):
    department = forms.ChoiceField(label=_("Phòng, ban"), required=False)
    assignee = forms.ChoiceField(label=_("Cán bộ xử lý"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)

    def __init__(self, *args, departments=(), officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "—")] + [(str(d.pk), d.name) for d in departments]
        self.fields["assignee"].choices = [("", "—")] + [(str(u.pk), u.get_full_name()) for u in officers]

    def clean(self):
        data = super().clean()
        if not data.get("department") and not data.get("assignee"):
            raise forms.ValidationError(_("Chọn phòng, ban hoặc cán bộ xử lý."))
        return data


class OfficialForm(forms.Form):
    official = forms.ChoiceField(label=_("Cán bộ được nhắc đến"), required=False)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].choices = [("", "—")] + [(str(u.pk), u.get_full_name()) for u in officers]


class ClassifyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=Kind.choices)


class BoxForm(forms.Form):
    name = forms.CharField(
        label=_("Tên hòm thư"), max_length=120, error_messages={"required": _("Đặt tên cho hòm thư.")}
    )
    place = forms.CharField(
        label=_("Nơi đặt"), max_length=300, error_messages={"required": _("Ghi nơi đặt hòm thư.")}
    )


class OpeningForm(forms.Form):
    opened_at = forms.DateTimeField(
        label=_("Mở lúc (dd/mm/yyyy hh:mm)"),
        input_formats=DATETIME_INPUT,
        error_messages={
            "required": _("Ghi thời điểm mở hòm thư."),
            "invalid": _("Ghi thời điểm theo dạng dd/mm/yyyy hh:mm, ví dụ 24/11/2026 09:30."),
        },
    )
    witnesses = forms.CharField(
        label=_("Người chứng kiến"),
        max_length=500,
        error_messages={"required": _("Ghi tên người chứng kiến việc mở hòm thư.")},
    )
    letter_count = forms.IntegerField(
        label=_("Số thư trong hòm"),
        min_value=0,
        max_value=1000,
        error_messages={"required": _("Ghi số thư trong hòm."), "invalid": _("Số thư là một số nguyên.")},
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)


class SettingsForm(forms.Form):
    refuse_days = forms.IntegerField(
        label=_("Từ chối tiếp nhận trong (ngày làm việc)"), min_value=1, max_value=90
    )
    supplement_days = forms.IntegerField(
        label=_("Đề nghị bổ sung lần đầu trong (ngày làm việc)"), min_value=1, max_value=90
    )
    handle_days = forms.IntegerField(label=_("Xử lý xong trong (ngày làm việc)"), min_value=1, max_value=90)
    publish_days = forms.IntegerField(
        label=_("Công khai trả lời trong (ngày làm việc)"), min_value=1, max_value=90
    )
    transfer_days = forms.IntegerField(
        label=_("Chuyển đơn vị có thẩm quyền trong (ngày làm việc)"), min_value=1, max_value=90
    )
    duplicate_window_days = forms.IntegerField(
        label=_("Xét trùng lặp trong (ngày)"), min_value=1, max_value=90
    )
    zalo_oa_id = forms.CharField(label=_("Mã Zalo OA của đơn vị"), max_length=40, required=False)
    facebook_page_id = forms.CharField(label=_("Mã trang Facebook của đơn vị"), max_length=40, required=False)


class MailboxForm(forms.Form):
    host = forms.CharField(
        label=_("Máy chủ IMAP"), max_length=200, error_messages={"required": _("Nhập máy chủ IMAP.")}
    )
    port = forms.IntegerField(label=_("Cổng"), min_value=1, max_value=65535, initial=993)
    use_ssl = forms.BooleanField(
        label=_("Dùng SSL/TLS"),
        required=False,
        initial=True,
        help_text=_("Bắt buộc, trừ máy chủ thử nghiệm trên chính máy này (localhost)."),
    )
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=200,
        error_messages={"required": _("Nhập tên đăng nhập hộp thư.")},
    )
    password_env = forms.CharField(
        label=_("Biến môi trường chứa mật khẩu"),
        max_length=100,
        help_text=_(
            "Mật khẩu không lưu trong hệ thống: quản trị máy chủ đặt nó vào biến môi trường này, tên bắt đầu "
            "bằng FEEDBACK_IMAP_PASSWORD_."
        ),
    )
    folder = forms.CharField(label=_("Thư mục"), max_length=100, initial="INBOX")
    is_active = forms.BooleanField(label=_("Đang dùng"), required=False, initial=True)


def add_service_errors(form: forms.Form, message_dict: dict) -> None:
    for key, messages in message_dict.items():
        field = key if key in form.fields else None
        for message in messages:
            form.add_error(field, message)
