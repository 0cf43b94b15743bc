"""Forms of the staff pages: counter intake and the action forms of the dossier page.

Forms only parse and check the shape of input; the services decide. `apply_service_errors` puts the messages of
a `ServiceError` (keys such as `applicant.phone`) next to the matching field.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqtt.accounts.models import User
from cqtt.units.models import Unit, UnitLevel

from .models import ApplicantKind, Channel, DocumentKind, Dossier
from .rules import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, items_problem
from .selectors import dossier_assignable_specialists
from .services import ApplicantData, DocumentData
from .uploads import check_upload, safe_name

UNIT_CODE_RE = r"^[0-9A-Za-z.\-_]{1,32}$"

# procedure catalogue kind → the kind pre-selected on the checklist
_KIND_FROM_CATALOGUE = {
    "original": DocumentKind.ORIGINAL,
    "copy": DocumentKind.COPY,
    "certified_copy": DocumentKind.CERTIFIED_COPY,
    "original_or_copy": DocumentKind.COPY,
}


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def clean_items(text: str) -> str:
    """A textarea of items to supplement, one per line, within the limits the API applies too."""
    problem = items_problem(lines(text))
    if problem:
        raise forms.ValidationError(problem)
    return text


REASON_ERRORS = {"max_length": _("Lý do tối đa %(limit_value)d ký tự.")}


def apply_service_errors(form: forms.Form, message_dict: dict, aliases: dict | None = None) -> None:
    """Show each service message next to its field; unknown keys become errors of the whole form."""
    aliases = aliases or {}
    for key, messages in message_dict.items():
        name = aliases.get(key, key.removeprefix("applicant."))
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


# --- counter intake ----------------------------------------------------------------------------------------


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm thủ tục"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Gõ tên hoặc mã thủ tục, có dấu hay không dấu: khai sinh, chung thuc…"),
                "autocomplete": "off",
                "autofocus": True,
            }
        ),
    )


OUTCOME_RECEIVE, OUTCOME_SUPPLEMENT, OUTCOME_REFUSE = "receive", "supplement", "refuse"


class IntakeForm(forms.Form):
    """The one-screen counter intake. Three outcomes: receive, ask for supplement, refuse."""

    procedure = forms.CharField(widget=forms.HiddenInput, max_length=32)
    unit = forms.ChoiceField(label=_("Đơn vị tiếp nhận"), required=False)
    counter = forms.TypedChoiceField(label=_("Quầy"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Người nộp là"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    full_name = forms.CharField(
        label=_("Họ tên người nộp / tên tổ chức"),
        max_length=200,
        required=False,  # the service says what is missing, in its own words
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân (12 số) / mã số thuế"),
        max_length=14,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.CharField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    commune = forms.ChoiceField(label=_("Xã, phường nơi cư trú"), required=False)
    # notices about this dossier: on by default where there is a number or an address (the officer unticks on
    # the citizen's request); Zalo only when the citizen says yes
    notify_sms = forms.BooleanField(
        label=_("Nhắn tin SMS báo tình trạng hồ sơ"), required=False, initial=True
    )
    notify_email = forms.BooleanField(label=_("Gửi thông báo qua thư điện tử"), required=False, initial=True)
    notify_zalo = forms.BooleanField(label=_("Công dân đồng ý nhận qua Zalo"), required=False, initial=False)
    channel = forms.ChoiceField(label=_("Hình thức nộp"), choices=Channel.choices, initial=Channel.COUNTER)
    delivery = forms.ChoiceField(
        label=_("Nhận kết quả qua"), choices=Channel.choices, initial=Channel.COUNTER
    )
    sets_count = forms.IntegerField(
        label=_("Số bộ hồ sơ"),
        initial=1,
        min_value=1,
        max_value=99,
        error_messages={
            "min_value": _("Số bộ hồ sơ từ 1 đến 99."),
            "max_value": _("Số bộ hồ sơ từ 1 đến 99."),
            "invalid": _("Số bộ hồ sơ phải là số."),
            "required": _("Ghi số bộ hồ sơ."),
        },
    )
    missing_items = forms.CharField(
        label=_("Nội dung khác cần bổ sung (mỗi dòng một nội dung)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    supplement_reason = forms.CharField(
        label=_("Lý do yêu cầu bổ sung"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        error_messages=REASON_ERRORS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    refusal_reason = forms.CharField(
        label=_("Lý do từ chối tiếp nhận"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        error_messages=REASON_ERRORS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outcome = forms.ChoiceField(
        choices=[(OUTCOME_RECEIVE, ""), (OUTCOME_SUPPLEMENT, ""), (OUTCOME_REFUSE, "")],
        required=False,
    )

    def __init__(self, *args, units: list[Unit], counters=(), communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        self.fields["unit"].choices = [(u.code, u.full_name) for u in units]
        self.fields["counter"].choices = [("", _("— Không ghi quầy —"))] + [(c.pk, str(c)) for c in counters]
        self.counters = {c.pk: c for c in counters}
        self.communes = {c.code: c for c in communes}
        self.fields["commune"].choices = [("", _("— Không rõ / nơi khác —"))] + [
            (c.code, c.name) for c in communes
        ]

    def clean_unit(self):
        code = self.cleaned_data.get("unit")
        return self.units.get(code) if code else None

    def clean_missing_items(self):
        return clean_items(self.cleaned_data.get("missing_items", ""))

    def service_kwargs(self, documents: list[DocumentData]) -> dict:
        data = self.cleaned_data
        outcome = data.get("outcome") or OUTCOME_RECEIVE
        return {
            "procedure_code": data["procedure"],
            "unit": data.get("unit"),
            "counter": self.counters.get(data.get("counter")),
            "applicant": ApplicantData(
                full_name=data.get("full_name", ""),
                id_number=data.get("id_number", ""),
                phone=data.get("phone", ""),
                email=data.get("email", ""),
                address=data.get("address", ""),
                commune=self.communes.get(data.get("commune") or ""),
                kind=data["kind"],
                notify_sms=bool(data.get("notify_sms") and data.get("phone")),
                notify_email=bool(data.get("notify_email") and data.get("email")),
                notify_zalo=bool(data.get("notify_zalo") and data.get("phone")),
            ),
            "documents": documents,
            "channel": data["channel"],
            "delivery": data["delivery"],
            "sets_count": data["sets_count"],
            "missing_items": lines(data.get("missing_items", "")) if outcome != OUTCOME_RECEIVE else [],
            "supplement_reason": data.get("supplement_reason", "") if outcome == OUTCOME_SUPPLEMENT else "",
            "refusal_reason": data.get("refusal_reason", "") if outcome == OUTCOME_REFUSE else "",
        }

    def check_outcome(self, documents: list[DocumentData]) -> None:
        """The button pressed must match the checklist, so the officer never gets an outcome by surprise."""
        data = self.cleaned_data
        outcome = data.get("outcome") or OUTCOME_RECEIVE
        missing = [d for d in documents if not d.submitted]
        extra = lines(data.get("missing_items", ""))
        if outcome == OUTCOME_RECEIVE and (missing or extra):
            self.add_error(
                None,
                _(
                    "Hồ sơ còn thiếu thành phần hoặc có nội dung cần bổ sung: hãy bấm “Yêu cầu bổ sung”, "
                    "hoặc đánh dấu đã nộp nếu công dân đã nộp đủ."
                ),
            )
        elif outcome == OUTCOME_SUPPLEMENT and not (missing or extra):
            self.add_error(
                "missing_items",
                _("Bỏ đánh dấu các giấy tờ còn thiếu hoặc ghi nội dung cần bổ sung (mỗi dòng một nội dung)."),
            )
        elif outcome == OUTCOME_REFUSE and not (data.get("refusal_reason") or "").strip():
            self.add_error(
                "refusal_reason", _("Nêu rõ lý do từ chối tiếp nhận để in Phiếu từ chối (Mẫu 03).")
            )


class DocumentRowForm(forms.Form):
    """One line of the checklist: the required document, whether it was handed in, its kind and count."""

    required_id = forms.IntegerField(widget=forms.HiddenInput)
    submitted = forms.BooleanField(
        label=_("Đã nộp"), required=False, widget=forms.CheckboxInput(attrs={"class": "big-check"})
    )
    kind = forms.ChoiceField(label=_("Loại bản"), choices=DocumentKind.choices)
    count = forms.IntegerField(
        label=_("Số lượng"),
        min_value=0,
        max_value=99,
        error_messages={
            "min_value": _("Số lượng từ 0 đến 99."),
            "max_value": _("Số lượng từ 0 đến 99."),
            "invalid": _("Số lượng phải là số."),
            "required": _("Ghi số lượng."),
        },
        widget=forms.NumberInput(attrs={"class": "narrow"}),
    )
    scan = forms.FileField(label=_("Bản quét"), required=False)

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if not scan:
            return None
        # the one upload check of the project: the type is read from the content, not the name
        content_type = check_upload(scan, label=scan.name)
        scan.name = safe_name(scan.name, content_type)
        scan.sniffed_type = content_type
        return scan


class BaseDocumentFormSet(forms.BaseFormSet):
    def __init__(self, *args, required_documents=(), **kwargs):
        self.required_documents = list(required_documents)
        kwargs.setdefault(
            "initial",
            [
                {
                    "required_id": d.pk,
                    "submitted": True,
                    "kind": _KIND_FROM_CATALOGUE.get(d.kind, DocumentKind.COPY),
                    "count": d.count,
                }
                for d in self.required_documents
            ],
        )
        super().__init__(*args, **kwargs)
        for form, doc in zip(self.forms, self.required_documents, strict=False):
            form.document = doc

    def document_data(self) -> list[DocumentData]:
        """Rows for the service, names taken from the catalogue (never from the browser)."""
        by_id = {d.pk: d for d in self.required_documents}
        rows = []
        for form in self.forms:
            doc = by_id.get(form.cleaned_data.get("required_id"))
            if doc is None:
                continue
            scan = form.cleaned_data.get("scan")
            rows.append(
                DocumentData(
                    name=doc.name,
                    kind=form.cleaned_data["kind"],
                    count=form.cleaned_data["count"],
                    submitted=form.cleaned_data.get("submitted", False),
                    required_document_id=doc.pk,
                    upload=scan,
                    content_type=scan.sniffed_type if scan else "",
                )
            )
        return rows


DocumentFormSet = forms.formset_factory(
    DocumentRowForm, formset=BaseDocumentFormSet, extra=0, max_num=100, absolute_max=100
)


def document_formset(procedure, data=None, files=None) -> BaseDocumentFormSet:
    docs = list(procedure.documents.all()) if procedure is not None else []
    return DocumentFormSet(data, files, prefix="doc", required_documents=docs)


def communes_near(unit: Unit):
    """Communes of the officer's province, for the applicant's commune of residence."""
    return Unit.objects.filter(
        level=UnitLevel.COMMUNE, province_code=unit.province_code, is_active=True
    ).only("code", "name")


# --- dossier actions ---------------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action form carries the version of the dossier the officer was looking at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, dossier: Dossier, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("version", dossier.version)
        super().__init__(*args, **kwargs)
        self.dossier = dossier

    def service_kwargs(self) -> dict:
        return {}


class NoteForm(ActionForm):
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"size": 40}),
    )

    def service_kwargs(self):
        return {"note": self.cleaned_data.get("note", "")}


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Lý do"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        error_messages=REASON_ERRORS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def service_kwargs(self):
        return {"reason": self.cleaned_data.get("reason", "")}


class AssignForm(NoteForm):
    assignee = forms.ModelChoiceField(
        label=_("Chuyên viên thụ lý"),
        queryset=User.objects.none(),
        empty_label=_("— Chọn chuyên viên —"),
        error_messages={
            "required": _("Chọn chuyên viên thụ lý."),
            "invalid_choice": _("Chuyên viên đã chọn không thuộc đơn vị đang xử lý hồ sơ."),
        },
    )
    field_order = ["version", "assignee", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = dossier_assignable_specialists(unit=self.dossier.current_unit)
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name()

    def service_kwargs(self):
        return {"assignee": self.cleaned_data["assignee"], "note": self.cleaned_data.get("note", "")}


class ItemsForm(ReasonForm):
    items = forms.CharField(
        label=_("Nội dung cần bổ sung (mỗi dòng một nội dung)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["version", "items", "reason"]

    def clean_items(self):
        return clean_items(self.cleaned_data.get("items", ""))

    def service_kwargs(self):
        return {
            "items": lines(self.cleaned_data.get("items", "")),
            "reason": self.cleaned_data.get("reason", ""),
        }


class TransferForm(NoteForm):
    department = forms.ChoiceField(label=_("Chuyển đến phòng, ban"), required=False)
    unit_code = forms.RegexField(
        label=_("hoặc mã đơn vị khác"),
        regex=UNIT_CODE_RE,
        required=False,
        error_messages={"invalid": _("Mã đơn vị không hợp lệ.")},
        widget=forms.TextInput(attrs={"size": 14, "autocomplete": "off"}),
    )
    field_order = ["version", "department", "unit_code", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Unit.objects.filter(
            parent_id=self.dossier.handling_unit_id, level=UnitLevel.DEPARTMENT, is_active=True
        ).exclude(pk=self.dossier.current_unit_id)
        self.fields["department"].choices = [("", _("— Chọn phòng, ban —"))] + [
            (u.code, u.name) for u in departments
        ]

    def clean(self):
        data = super().clean()
        code = data.get("unit_code") or data.get("department")
        if not code:
            if "unit_code" not in self.errors:
                self.add_error("department", _("Chọn phòng, ban hoặc ghi mã đơn vị nhận hồ sơ."))
            return data
        unit = Unit.objects.filter(code=code, is_active=True).first()
        if unit is None:
            self.add_error("unit_code", _("Không có đơn vị mã “%(c)s”.") % {"c": code})
        data["unit"] = unit
        return data

    def service_kwargs(self):
        return {"unit": self.cleaned_data["unit"], "note": self.cleaned_data.get("note", "")}


class ConsultForm(TransferForm):
    """Ask a department or another body for its opinion, with a deadline (the dossier stays where it is)."""

    question = forms.CharField(
        label=_("Nội dung cần lấy ý kiến"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    days = forms.DecimalField(
        label=_("Thời hạn trả lời (ngày làm việc)"),
        required=False,
        min_value=0.25,
        max_digits=5,
        decimal_places=2,
        initial=2,
        error_messages={"min_value": _("Thời hạn trả lời ít nhất 0,25 ngày."), "invalid": _("Nhập một số.")},
    )
    field_order = ["version", "department", "unit_code", "question", "days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("note", None)
        self.fields["department"].label = _("Lấy ý kiến phòng, ban")

    def service_kwargs(self):
        return {
            "unit": self.cleaned_data["unit"],
            "question": self.cleaned_data.get("question", ""),
            "days": self.cleaned_data.get("days"),
        }


class ConsultReplyForm(ActionForm):
    """Record the answer of a consulted body to an open consultation step."""

    step = forms.ChoiceField(label=_("Bước lấy ý kiến"))
    answer = forms.CharField(
        label=_("Ý kiến trả lời"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        open_steps = self.dossier.steps.filter(kind="consultation", completed_at__isnull=True).select_related(
            "to_unit"
        )
        self.fields["step"].choices = [
            (s.seq, f"{s.seq}. {s.to_unit.name} — {s.note[:60]}") for s in open_steps
        ]

    def service_kwargs(self):
        return {"step_seq": int(self.cleaned_data["step"]), "answer": self.cleaned_data.get("answer", "")}


LIFE_EVENT_LETTERS = {
    "birth_registration": _("Không gửi thư chúc mừng gia đình"),
    "marriage_registration": _("Không gửi thư chúc mừng đôi vợ chồng"),
    "death_registration": _("Không gửi thư chia buồn cùng gia đình"),
}


class ReturnResultForm(ActionForm):
    collected_by = forms.CharField(label=_("Người nhận kết quả"), required=False, max_length=200)
    id_checked = forms.BooleanField(label=_("Đã kiểm tra giấy tờ tùy thân"), required=False, initial=True)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collected_by"].initial = self.dossier.applicant_name
        event = self.dossier.procedure.life_event
        if event in LIFE_EVENT_LETTERS:
            self.fields["no_letter"] = forms.BooleanField(label=LIFE_EVENT_LETTERS[event], required=False)
            self.fields["letter_reason"] = forms.CharField(
                label=_("Lý do không gửi thư (ví dụ trẻ mất khi sinh, đăng ký lại, đăng ký muộn)"),
                required=False,
                max_length=300,
            )

    def service_kwargs(self):
        data = self.cleaned_data
        kwargs = {
            "collected_by": data.get("collected_by", ""),
            "id_checked": data.get("id_checked", False),
            "note": data.get("note", ""),
        }
        if "no_letter" in self.fields:
            kwargs["life_event_letter"] = not data.get("no_letter")
            kwargs["letter_reason"] = data.get("letter_reason", "")
        return kwargs


class ReturnSameDayForm(ActionForm):
    collected_by = forms.CharField(label=_("Người nhận kết quả"), required=False, max_length=200)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collected_by"].initial = self.dossier.applicant_name

    def service_kwargs(self):
        return {
            "collected_by": self.cleaned_data.get("collected_by", ""),
            "note": self.cleaned_data.get("note", ""),
        }


class ExtendForm(ReasonForm):
    new_due_date = forms.DateField(
        label=_("Ngày hẹn mới"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": _("Chọn ngày hẹn mới."), "invalid": _("Ngày hẹn mới không hợp lệ.")},
    )
    new_due_time = forms.TimeField(
        label=_("Giờ"),
        initial=dt.time(17, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Chọn giờ hẹn."), "invalid": _("Giờ hẹn không hợp lệ.")},
    )
    field_order = ["version", "reason", "new_due_date", "new_due_time"]

    def service_kwargs(self):
        data = self.cleaned_data
        when = timezone.make_aware(dt.datetime.combine(data["new_due_date"], data["new_due_time"]))
        return {"reason": data.get("reason", ""), "new_due_at": when}


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "receive": ActionForm,
    "request-intake-supplement": ItemsForm,
    "refuse-intake": ReasonForm,
    "assign": AssignForm,
    "request-supplement": ItemsForm,
    "receive-supplement": ActionForm,
    "transfer": TransferForm,
    "consult": ConsultForm,
    "consultation-reply": ConsultReplyForm,
    "submit": NoteForm,
    "approve": NoteForm,
    "refuse": ReasonForm,
    "mark-ready": ActionForm,
    "return-result": ReturnResultForm,
    "return-same-day": ReturnSameDayForm,
    "withdraw": ReasonForm,
    "extend": ExtendForm,
}

# service error keys that belong to another field of the action form
ACTION_ERROR_ALIASES = {"new_due_at": "new_due_date", "days": "unit_code"}


# --- exports chosen on the overview page -------------------------------------------------------------------

EXPORT_TARGETS = {
    "book_xlsx": ("dossiers:tracking_book_xlsx", _("Sổ theo dõi hồ sơ (Excel)")),
    "book_pdf": ("dossiers:tracking_book_pdf", _("Sổ theo dõi hồ sơ (PDF, A4)")),
    "list_xlsx": ("dossiers:list_xlsx", _("Danh sách hồ sơ (Excel)")),
}
EXPORT_DATE_FORMATS = ["%d/%m/%Y"]


def _export_day(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=EXPORT_DATE_FORMATS,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10}),
        error_messages={"invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 23/11/2026.")},
    )


class ExportForm(forms.Form):
    """A unit the user reaches and a period for the tracking book or the dossier list (a GET form: it changes
    nothing). Empty dates keep each export's default: the tracking book the current month, the list every
    dossier."""

    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)
    start = _export_day(_("Từ ngày"))
    end = _export_day(_("Đến ngày"))
    target = forms.ChoiceField(choices=[(k, v[1]) for k, v in EXPORT_TARGETS.items()])

    def __init__(self, *args, units: list[dict], **kwargs):
        kwargs.setdefault("prefix", "export")
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Tất cả đơn vị được xem"))] + [
            (u["code"], u["full_name"]) for u in units
        ]

    def clean(self):
        from .printouts.exports import MAX_RANGE_DAYS

        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if "start" in self.errors or "end" in self.errors:
            return data
        if bool(start) != bool(end):
            raise forms.ValidationError(_("Nhập cả “từ ngày” và “đến ngày”, hoặc để trống cả hai."))
        if start and end < start:
            self.add_error("end", _("“Đến ngày” phải sau hoặc trùng “từ ngày”."))
        elif start and (end - start).days + 1 > MAX_RANGE_DAYS:
            self.add_error(
                "end",
                _("Mỗi lần chỉ xuất tối đa %(n)s ngày; hãy thu hẹp khoảng thời gian.")
                % {"n": MAX_RANGE_DAYS},
            )
        return data

    def export_url(self) -> str:
        from urllib.parse import urlencode

        from django.urls import reverse

        data = self.cleaned_data
        params = {"unit": data.get("unit") or ""}
        if data.get("start"):
            params |= {"from": data["start"].isoformat(), "to": data["end"].isoformat()}
        query = urlencode({k: v for k, v in params.items() if v})
        url = reverse(EXPORT_TARGETS[data["target"]][0])
        return f"{url}?{query}" if query else url
