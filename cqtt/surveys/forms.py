from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import CampaignKind, QuestionType

DATE_INPUT = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_ERROR = {"invalid": _("Nhập ngày dạng dd/mm/yyyy, ví dụ 01/12/2026.")}


class FormMetaForm(forms.Form):
    code = forms.CharField(label=_("Ký hiệu (ví dụ PKS08)"), max_length=40)
    title = forms.CharField(label=_("Tên biểu mẫu"), max_length=300)
    description = forms.CharField(
        label=_("Lời giới thiệu"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class QuestionForm(forms.Form):
    type = forms.ChoiceField(label=_("Loại câu hỏi"), choices=QuestionType.choices)
    key = forms.CharField(
        label=_("Mã câu hỏi (chữ thường không dấu, ví dụ thai_do)"), max_length=40, required=False
    )
    label = forms.CharField(
        label=_("Nội dung câu hỏi (hoặc tiêu đề phần, ghi chú)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    hint = forms.CharField(label=_("Gợi ý"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Bắt buộc trả lời"), required=False)
    choices = forms.CharField(
        label=_(
            "Phương án trả lời, mỗi dòng một phương án: giá trị | nội dung (thang đo để trống: 5 mức hài lòng)"
        ),
        max_length=6000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    rows = forms.CharField(
        label=_("Các dòng của bảng thang đo, mỗi dòng: mã | nội dung"),
        max_length=6000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    relevant = forms.CharField(
        label=_("Chỉ hiện khi (ví dụ ${da_den} = 'co' hoặc selected(${kenh}, 'khac'))"),
        max_length=300,
        required=False,
    )
    min_value = forms.IntegerField(label=_("Số nhỏ nhất"), required=False)
    max_value = forms.IntegerField(label=_("Số lớn nhất"), required=False)

    def to_rule(self, fallback_key: str) -> rules.Q:
        v = self.cleaned_data
        kind = v["type"]
        choices = [
            {"value": c["value"], "label": c["label"]}
            for c in rules.parse_choice_lines(v.get("choices") or "")
        ]
        if kind in (QuestionType.LIKERT, QuestionType.LIKERT_MATRIX) and not choices:
            choices = rules.likert_choices()
        row_items = [
            {"value": c["value"], "label": c["label"]} for c in rules.parse_choice_lines(v.get("rows") or "")
        ]
        return rules.Q(
            key=(v.get("key") or fallback_key).strip(),
            type=kind,
            label=v["label"],
            hint=v.get("hint") or "",
            required=bool(v.get("required")),
            relevant=v.get("relevant") or "",
            choices=choices,
            rows=row_items,
            min_value=v.get("min_value"),
            max_value=v.get("max_value"),
        )

    @staticmethod
    def initial_of(q) -> dict:
        def lines(items):
            return "\n".join(f"{c['value']} | {c['label']}" for c in items)

        return {
            "type": q.type,
            "key": q.key,
            "label": q.label,
            "hint": q.hint,
            "required": q.required,
            "choices": lines(q.choices),
            "rows": lines(q.rows),
            "relevant": q.relevant,
            "min_value": q.min_value,
            "max_value": q.max_value,
        }


class CampaignForm(forms.Form):
    form = forms.TypedChoiceField(label=_("Biểu mẫu"), coerce=int)
    kind = forms.ChoiceField(label=_("Loại đợt khảo sát"), choices=CampaignKind.choices)
    title = forms.CharField(
        label=_("Tên đợt (để trống: tên biểu mẫu và thời gian)"), max_length=300, required=False
    )
    starts_on = forms.DateField(
        label=_("Từ ngày (dd/mm/yyyy)"), input_formats=DATE_INPUT, error_messages=DATE_ERROR
    )
    ends_on = forms.DateField(
        label=_("Đến ngày (dd/mm/yyyy)"), input_formats=DATE_INPUT, error_messages=DATE_ERROR
    )
    paired_with = forms.CharField(label=_("So sánh với đợt trước (cùng biểu mẫu)"), required=False)
    open_now = forms.BooleanField(label=_("Mở nhận ý kiến ngay"), required=False, initial=True)

    def __init__(self, *args, forms_choices, kinds, pairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = forms_choices
        self.fields["kind"].choices = kinds
        self.fields["paired_with"].widget = forms.Select(choices=[("", _("— Không so sánh —")), *pairs])


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp XLSForm (.xlsx) có các trang survey, choices, settings"))
