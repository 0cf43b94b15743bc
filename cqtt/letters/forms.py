from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LetterKind

DATE_INPUT = ["%d/%m/%Y", "%Y-%m-%d"]


class LetterEditForm(forms.Form):
    recipient_name = forms.CharField(label=_("Kính gửi (họ tên người nhận)"), max_length=200)
    subject = forms.CharField(label=_("Trích yếu"), max_length=300)
    body = forms.CharField(
        label=_("Nội dung (mỗi đoạn cách một dòng trống)"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    reason = forms.CharField(
        label=_("Lý do ghi trong thư"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    proposed_date = forms.DateField(
        label=_("Ngày hẹn mới (dd/mm/yyyy)"),
        required=False,
        input_formats=DATE_INPUT,
        error_messages={"invalid": _("Nhập ngày dạng dd/mm/yyyy, ví dụ 09/12/2026.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CancelForm(forms.Form):
    cancel_reason = forms.CharField(
        label=_("Lý do không gửi (ví dụ: trẻ mất khi sinh, đăng ký lại, đăng ký muộn)"), max_length=300
    )


class NewLetterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại thư"),
        choices=[
            (k, v)
            for k, v in LetterKind.choices
            if k in ("thanks", "error_apology", "congratulation", "condolence", "custom")
        ],
    )
    title = forms.CharField(
        label=_("Tên loại thư (thư khác, ví dụ: Thư chúc thọ)"), max_length=120, required=False
    )
    dossier = forms.CharField(label=_("Mã hồ sơ (không bắt buộc)"), max_length=40, required=False)
    recipient_name = forms.CharField(label=_("Kính gửi (họ tên)"), max_length=200, required=False)
    recipient_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    reason = forms.CharField(
        label=_("Nội dung riêng / lý do"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, customs=(), **kwargs):
        """`customs`: the unit's own kinds still in use, offered by name (as `custom:<id>`) before "another
        kind", whose name is typed in."""
        super().__init__(*args, **kwargs)
        self.customs = {f"custom:{t.pk}": t for t in customs}
        built_in = self.fields["kind"].choices
        self.fields["kind"].choices = [
            *[(k, v) for k, v in built_in if k != "custom"],
            *[(value, t.title) for value, t in self.customs.items()],
            *[(k, v) for k, v in built_in if k == "custom"],
        ]

    def kind_and_template(self):
        """(kind, the unit's own kind picked or None) of the valid form."""
        value = self.cleaned_data["kind"]
        template = self.customs.get(value)
        return ("custom", template) if template is not None else (value, None)


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Tên loại thư"), max_length=120, required=False)
    subject = forms.CharField(label=_("Trích yếu"), max_length=300)
    body = forms.CharField(label=_("Nội dung"), max_length=6000, widget=forms.Textarea(attrs={"rows": 10}))
