"""Forms of the counter-camera pages (interfaces: they parse, the services validate and save)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FootageStatus
from .services import CAMERA_NAME_MAX, REASON_MAX, RECORDER_MAX


def add_service_errors(form: forms.Form, message_dict: dict) -> None:
    for key, messages in message_dict.items():
        for message in messages:
            form.add_error(key if key in form.fields else None, message)


class CameraForm(forms.Form):
    counter = forms.TypedChoiceField(
        label=_("Quầy"),
        coerce=int,
        error_messages={"required": _("Chọn quầy."), "invalid_choice": _("Chọn quầy.")},
    )
    name = forms.CharField(
        label=_("Tên camera"),
        max_length=CAMERA_NAME_MAX,
        error_messages={"required": _("Nhập tên camera."), "max_length": _("Tên camera quá dài.")},
    )
    recorder = forms.CharField(
        label=_("Đầu ghi"),
        max_length=RECORDER_MAX,
        help_text=_("Địa chỉ hoặc vị trí đầu ghi hình, ví dụ 192.168.1.20 kênh 3."),
        error_messages={"required": _("Nhập địa chỉ hoặc vị trí đầu ghi."), "max_length": _("Quá dài.")},
    )
    retention_days = forms.IntegerField(
        label=_("Số ngày lưu hình"),
        min_value=1,
        max_value=365,
        initial=30,
        error_messages={
            "required": _("Nhập số ngày lưu hình."),
            "invalid": _("Số ngày lưu hình là số nguyên."),
            "min_value": _("Số ngày lưu hình là số nguyên từ 1 đến 365."),
            "max_value": _("Số ngày lưu hình là số nguyên từ 1 đến 365."),
        },
    )
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    def __init__(self, *args, counters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter"].choices = [("", "—")] + [(c.pk, str(c)) for c in counters]


class FootageForm(forms.Form):
    counter = forms.TypedChoiceField(
        label=_("Quầy"),
        coerce=int,
        error_messages={"required": _("Chọn quầy."), "invalid_choice": _("Chọn quầy.")},
    )
    starts_at = forms.DateTimeField(
        label=_("Từ lúc"),
        help_text=_("dd/mm/yyyy hh:mm"),
        error_messages={
            "required": _("Nhập thời gian bắt đầu."),
            "invalid": _("Ghi theo dạng 23/11/2026 09:30."),
        },
    )
    ends_at = forms.DateTimeField(
        label=_("Đến lúc"),
        help_text=_("dd/mm/yyyy hh:mm"),
        error_messages={
            "required": _("Nhập thời gian kết thúc."),
            "invalid": _("Ghi theo dạng 23/11/2026 10:00."),
        },
    )
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Nhập lý do cần trích xuất hình ảnh."),
            "max_length": _("Lý do quá dài."),
        },
    )
    source_ref = forms.CharField(
        label=_("Mã khiếu nại, phản ánh (nếu có)"),
        max_length=64,
        required=False,
        error_messages={"max_length": _("Mã quá dài.")},
    )

    def __init__(self, *args, counters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter"].choices = [("", "—")] + [(c.pk, str(c)) for c in counters]


class FootageCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[
            (FootageStatus.PULLED, FootageStatus.PULLED.label),
            (FootageStatus.DISMISSED, FootageStatus.DISMISSED.label),
        ],
        error_messages={"required": _("Chọn kết quả."), "invalid_choice": _("Chọn kết quả.")},
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        max_length=REASON_MAX,
        required=False,
        error_messages={"max_length": _("Ghi chú quá dài.")},
    )
