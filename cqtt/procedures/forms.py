from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import (
    procedure_field_list,
    procedure_offering_communes,
    procedure_offering_provinces,
    unit_find,
)

CODE_RE = r"^[0-9A-Za-z.\-_]{1,32}$"


class CatalogueFilterForm(forms.Form):
    """The public search form (GET). Invalid input is reported; the typed values stay in the form."""

    q = forms.CharField(
        label=_("Tìm thủ tục"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Từ khóa tìm kiếm tối đa 100 ký tự.")},
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Ví dụ: khai sinh, chứng thực"), "autocomplete": "off"}
        ),
    )
    field = forms.ChoiceField(
        label=_("Lĩnh vực"),
        required=False,
        error_messages={"invalid_choice": _("Lĩnh vực đã chọn không có trong danh mục.")},
    )
    province = forms.ChoiceField(
        label=_("Tỉnh, thành phố"),
        required=False,
        error_messages={"invalid_choice": _("Tỉnh, thành phố đã chọn không hợp lệ.")},
    )
    unit = forms.RegexField(
        label=_("Xã, phường"),
        regex=CODE_RE,
        required=False,
        error_messages={"invalid": _("Mã đơn vị không hợp lệ.")},
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("unit") and not data.get("province"):
            unit = unit_find(code=data["unit"])
            if unit is not None:  # a link to ?unit=… shows its province in the picker
                data = data.copy()
                data["province"] = unit.province_code
        super().__init__(data, *args, **kwargs)
        self.fields["field"].choices = [("", _("Tất cả lĩnh vực"))] + [
            (f.code, f.name) for f in procedure_field_list()
        ]
        self.fields["province"].choices = [("", _("Tất cả tỉnh, thành phố"))] + [
            (p.code, p.name) for p in procedure_offering_provinces()
        ]
        self.unit_obj = None

    def clean(self):
        data = super().clean()
        code = data.get("unit")
        if code:
            unit = unit_find(code=code)
            if unit is None:
                self.add_error("unit", _("Không có đơn vị mã “%(c)s”.") % {"c": code})
            elif data.get("province") and data["province"] != unit.province_code:
                data["unit"] = ""  # the province was changed: the commune picked before no longer applies
            else:
                self.unit_obj = unit
                data["province"] = unit.province_code
        return data

    def commune_choices(self) -> list[tuple[str, str]]:
        """Communes of the chosen province offering procedures (the second step of the picker)."""
        data = getattr(self, "cleaned_data", {}) or {}
        province = data.get("province") or (self.data.get("province") if not self.is_bound else None)
        if not province:
            return []
        return [(u.code, u.name) for u in procedure_offering_communes(province_code=province)]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh mục (.xlsx hoặc .csv)"),
        error_messages={
            "required": _("Hãy chọn tệp cần nhập."),
            "empty": _("Tệp đã chọn không có nội dung."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        return file
