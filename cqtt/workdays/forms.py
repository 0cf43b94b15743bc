from django import forms
from django.utils.translation import gettext_lazy as _

from cqtt.units.models import Unit

from . import rules
from .selectors import calendar_years, workday_unit_find


class DueDateForm(forms.Form):
    received_at = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Vui lòng nhập ngày giờ tiếp nhận."),
            "invalid": _("Ngày giờ tiếp nhận không hợp lệ (ví dụ 13/02/2026 10:00)."),
        },
    )
    amount = forms.CharField(
        label=_("Thời hạn"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6, "placeholder": "1"}),
        help_text=_("Theo bước 0,5: nửa ngày là một buổi làm việc. Không cần nhập khi trả trong ngày."),
    )
    unit = forms.ChoiceField(
        label=_("Đơn vị tính"),
        choices=rules.PERIOD_UNIT_CHOICES,
        initial=rules.PeriodUnit.WORKING_DAYS.value,
        error_messages={
            "required": _("Vui lòng chọn đơn vị tính."),
            "invalid_choice": _("Đơn vị tính phải là ngày làm việc, giờ làm việc hoặc trong ngày."),
        },
    )
    unit_code = forms.CharField(
        label=_("Xã, phường hoặc tỉnh (không bắt buộc)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"list": "workday-units", "autocomplete": "off"}),
        help_text=_("Nhập mã hoặc tên đơn vị để dùng lịch của tỉnh và giờ làm việc riêng của đơn vị."),
    )

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self._errors or {}:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{name}-error"}
                )

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        first, last = calendar_years()
        if not first <= value.astimezone(rules.TZ).year <= last:
            raise forms.ValidationError(
                _("Ngày tiếp nhận phải thuộc các năm %(a)s–%(b)s.") % {"a": first, "b": last}
            )
        return value

    def clean_amount(self):
        raw = self.cleaned_data["amount"].strip()
        if not raw:
            return None
        try:
            return rules.parse_amount(raw)
        except rules.InvalidAmount as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_unit_code(self) -> Unit | None:
        raw = self.cleaned_data["unit_code"].strip()
        if not raw:
            return None
        matches = workday_unit_find(raw)
        if not matches:
            raise forms.ValidationError(_("Không tìm thấy đơn vị “%(q)s”.") % {"q": raw})
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Có nhiều đơn vị khớp “%(q)s”, vui lòng nhập mã đơn vị.") % {"q": raw}
            )
        return matches[0]

    def clean(self):
        data = super().clean()
        if data.get("unit") and data["unit"] != rules.PeriodUnit.SAME_DAY and "amount" not in self.errors:
            if data.get("amount") is None:
                self.add_error("amount", _("Vui lòng nhập thời hạn (số ngày hoặc số giờ làm việc)."))
        return data
