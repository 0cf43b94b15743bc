"""Forms of the dialogues pages: the public question form (with its honeypot) and the staff forms. Messages are
Vietnamese and name their field; a form sent back with errors keeps what was typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cqtt.core.text import nfc_text

from .models import Kind
from .services import LONG_MAX, TEXT_MAX, TEXT_MIN

DATETIME_INPUT = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
DATE_INPUT = ["%d/%m/%Y", "%Y-%m-%d"]


def add_service_errors(form: forms.Form, message_dict: dict) -> None:
    for key, messages in message_dict.items():
        field = key if key in form.fields else None
        for message in messages:
            form.add_error(field, message)


def _text(label, *, required=True, max_length=TEXT_MAX, rows=4, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=False,
        help_text=help_text,
        error_messages={
            "required": _("Vui lòng nhập ô này."),
            "max_length": _("Tối đa %(limit_value)d ký tự."),
        },
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class QuestionForm(forms.Form):
    text = _text(_("Câu hỏi, ý kiến của bạn"), rows=6)
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
        help_text=_("Chỉ cán bộ thấy số này, để liên hệ khi cần làm rõ câu hỏi."),
        error_messages={"max_length": _("Số điện thoại tối đa 20 ký tự.")},
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    website = forms.CharField(label=_("Để trống ô này"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = _("Vui lòng nhập câu hỏi.")
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_text(self):
        value = nfc_text(self.cleaned_data["text"])
        if len(value) < TEXT_MIN:
            raise forms.ValidationError(
                _("Câu hỏi quá ngắn: hãy viết rõ điều bạn muốn hỏi (ít nhất %(n)s ký tự).") % {"n": TEXT_MIN}
            )
        return value

    @property
    def is_robot(self) -> bool:
        return bool((self.data.get("website") or "").strip())


class DialogueForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hình thức"),
        choices=Kind.choices,
        error_messages={
            "required": _("Hãy chọn hình thức đối thoại."),
            "invalid_choice": _("Hãy chọn hình thức."),
        },
    )
    topic = forms.CharField(label=_("Chủ đề"), max_length=300, error_messages={"required": _("Nhập chủ đề.")})
    starts_at = forms.DateTimeField(
        label=_("Thời gian"),
        input_formats=DATETIME_INPUT,
        help_text=_("Ví dụ 15/03/2027 08:00"),
        error_messages={
            "required": _("Nhập ngày giờ đối thoại."),
            "invalid": _("Ngày giờ không hợp lệ, ví dụ 15/03/2027 08:00."),
        },
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(
        label=_("Địa điểm"), max_length=300, error_messages={"required": _("Nhập địa điểm.")}
    )
    chair = forms.CharField(
        label=_("Người chủ trì"), max_length=200, error_messages={"required": _("Nhập người chủ trì.")}
    )
    co_organiser = forms.CharField(
        label=_("Đơn vị phối hợp"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: Ủy ban Mặt trận Tổ quốc Việt Nam phường"),
    )


class AttendeesForm(forms.Form):
    attendees = forms.IntegerField(
        label=_("Số người tham dự"),
        required=False,
        min_value=1,
        error_messages={"invalid": _("Nhập một số."), "min_value": _("Số người tham dự ít nhất là 1.")},
    )


class MinutesForm(forms.Form):
    attendees = forms.IntegerField(
        label=_("Số người tham dự"),
        min_value=1,
        error_messages={
            "required": _("Ghi số người tham dự."),
            "invalid": _("Nhập một số."),
            "min_value": _("Số người tham dự ít nhất là 1."),
        },
    )
    summary = _text(_("Tóm tắt biên bản"), max_length=LONG_MAX, rows=8)


class ReasonForm(forms.Form):
    reason = _text(_("Lý do"), rows=3)


class FloorQuestionForm(forms.Form):
    text = _text(_("Câu hỏi nêu tại buổi đối thoại"))
    name = forms.CharField(label=_("Người hỏi (không bắt buộc)"), max_length=200, required=False)


class FeedbackPullForm(forms.Form):
    feedback_code = forms.CharField(
        label=_("Mã phản ánh"),
        max_length=20,
        help_text=_("Ví dụ GY-AB12C-3DE45"),
        error_messages={"required": _("Nhập mã phản ánh trong hộp phản ánh của đơn vị.")},
    )


class AnswerForm(forms.Form):
    answer = _text(_("Câu trả lời tại buổi đối thoại"), max_length=LONG_MAX)
    answered_by = forms.CharField(label=_("Người trả lời"), max_length=200, required=False)


class MergeForm(forms.Form):
    into = forms.TypedChoiceField(
        label=_("Gộp vào câu hỏi"), coerce=int, error_messages={"required": _("Chọn câu hỏi để gộp vào.")}
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [("", "—"), *choices]


class CommitmentForm(forms.Form):
    text = _text(_("Nội dung cam kết"))
    owner = forms.TypedChoiceField(
        label=_("Người chịu trách nhiệm"),
        coerce=int,
        error_messages={"required": _("Chọn cán bộ chịu trách nhiệm.")},
    )
    due_days = forms.IntegerField(
        label=_("Hạn: số ngày làm việc sau ngày đối thoại"),
        required=False,
        min_value=1,
        error_messages={"invalid": _("Nhập một số."), "min_value": _("Ít nhất 1 ngày làm việc.")},
    )
    due_date = forms.DateField(
        label=_("hoặc ngày hạn thực hiện"),
        required=False,
        input_formats=DATE_INPUT,
        error_messages={"invalid": _("Ngày không hợp lệ, ví dụ 30/12/2026.")},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    question = forms.TypedChoiceField(label=_("Trả lời câu hỏi (không bắt buộc)"), coerce=int, required=False)

    def __init__(self, *args, owners=(), questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [
            ("", "—"),
            *[(u.pk, f"{u.get_full_name()} — {u.position}".rstrip(" —")) for u in owners],
        ]
        self.fields["question"].choices = [("", "—"), *questions]

    def clean(self):
        data = super().clean()
        if data.get("due_days") is None and data.get("due_date") is None and not self.has_error("due_days"):
            if not self.has_error("due_date"):
                self.add_error("due_days", _("Nhập số ngày làm việc hoặc chọn ngày hạn thực hiện."))
        return data


class CompleteForm(forms.Form):
    done_on = forms.DateField(
        label=_("Ngày hoàn thành"),
        input_formats=DATE_INPUT,
        error_messages={
            "required": _("Nhập ngày hoàn thành."),
            "invalid": _("Ngày không hợp lệ, ví dụ 30/12/2026."),
        },
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    evidence = _text(_("Kết quả, minh chứng"), rows=3)
