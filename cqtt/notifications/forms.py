from django import forms
from django.utils.translation import gettext_lazy as _


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Tiêu đề thư"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Nội dung"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    zalo_template_id = forms.CharField(
        label=_("Mã mẫu ZNS đã được Zalo duyệt"), max_length=40, required=False
    )
    is_active = forms.BooleanField(label=_("Gửi thông báo này"), required=False, initial=True)


class SettingsForm(forms.Form):
    sms_without_diacritics = forms.BooleanField(
        label=_("Nhắn SMS không dấu (160 ký tự một tin thay vì 70)"), required=False
    )
    hotline = forms.CharField(label=_("Số điện thoại đường dây nóng"), max_length=32, required=False)
    quiet_start = forms.TimeField(
        label=_("Không nhắn tin từ (giờ:phút)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": _("Nhập giờ dạng 21:00.")},
    )
    quiet_end = forms.TimeField(
        label=_("đến"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": _("Nhập giờ dạng 07:00.")},
    )
