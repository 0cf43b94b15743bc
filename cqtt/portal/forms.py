"""Public forms: online submission and dossier lookup. Citizens have no account; every message is Vietnamese
and names the field or document it is about."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cqtt.dossiers.models import Channel
from cqtt.dossiers.rules import id_number_problem, normalise_id_number, normalise_phone, phone_problem
from cqtt.dossiers.uploads import ACCEPT, check_upload, max_bytes

# Keys of `ServiceError.message_dict` from `dossier_submit_online` → form fields.
SERVICE_FIELDS = {
    "applicant.full_name": "full_name",
    "applicant.id_number": "id_number",
    "applicant.phone": "phone",
    "applicant.email": "email",
    "applicant.address": "address",
    "delivery": "delivery",
}


class SubmitForm(forms.Form):
    """Applicant, one file per required document of `procedure`, delivery and consent."""

    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        error_messages={
            "required": _("Vui lòng nhập họ và tên người nộp hồ sơ."),
            "max_length": _("Họ và tên tối đa 200 ký tự."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân (số căn cước, 12 chữ số)"),
        max_length=20,
        error_messages={"required": _("Vui lòng nhập số định danh cá nhân (12 chữ số trên thẻ căn cước).")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        help_text=_("Để nhận thông báo và tra cứu hồ sơ."),
        error_messages={"required": _("Vui lòng nhập số điện thoại để nhận thông báo.")},
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử (không bắt buộc)"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ, ví dụ: ten@example.vn.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ liên hệ"),
        max_length=300,
        required=False,
        help_text=_("Bắt buộc nếu nhận kết quả qua bưu chính."),
        error_messages={"max_length": _("Địa chỉ tối đa 300 ký tự.")},
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    notify_zalo = forms.BooleanField(
        label=_("Tôi muốn nhận thông báo về hồ sơ qua Zalo (nếu không được, hệ thống nhắn SMS)"),
        required=False,
    )
    delivery = forms.ChoiceField(
        label=_("Nhận kết quả"),
        choices=Channel.choices,
        initial=Channel.COUNTER,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Hãy chọn cách nhận kết quả."),
            "invalid_choice": _("Hãy chọn một trong các cách nhận kết quả."),
        },
    )
    consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý để cơ quan nhà nước xử lý dữ liệu cá nhân khai trên đây và trong các tệp đính kèm, "
            "chỉ để giải quyết thủ tục này, theo Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân."
        ),
        error_messages={
            "required": _("Cần đánh dấu đồng ý xử lý dữ liệu cá nhân thì mới nộp được hồ sơ trực tuyến.")
        },
    )

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.documents = list(procedure.documents.all())
        self.content_types: dict[int, str] = {}
        limit_mb = f"{max_bytes() / (1024 * 1024):.0f}"
        for doc in self.documents:
            self.fields[self.document_field(doc)] = forms.FileField(
                label=doc.name,
                help_text=_("%(kind)s, %(n)s bản. Tệp PDF, JPEG hoặc PNG, tối đa %(mb)s MB.")
                % {"kind": doc.get_kind_display(), "n": doc.count, "mb": limit_mb},
                error_messages={
                    "required": _("Chưa chọn tệp cho “%(d)s”.") % {"d": doc.name},
                    "empty": _("Tệp “%(d)s” không có nội dung. Hãy chọn lại tệp.") % {"d": doc.name},
                },
                widget=forms.FileInput(attrs={"accept": ACCEPT}),
            )

    @staticmethod
    def document_field(doc) -> str:
        return f"doc_{doc.pk}"

    def document_fields(self):
        return [self[self.document_field(doc)] for doc in self.documents]

    def applicant_fields(self):
        return [self[name] for name in ("full_name", "id_number", "phone", "email", "address")]

    def clean_id_number(self):
        value = normalise_id_number(self.cleaned_data["id_number"])
        problem = id_number_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_phone(self):
        value = normalise_phone(self.cleaned_data["phone"])
        problem = phone_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean(self):
        data = super().clean()
        if data.get("delivery") == Channel.POST and not data.get("address"):
            self.add_error("address", _("Nhận kết quả qua bưu chính thì cần địa chỉ để gửi."))
        for doc in self.documents:
            name = self.document_field(doc)
            upload = data.get(name)
            if upload is None:
                continue
            try:
                self.content_types[doc.pk] = check_upload(upload, label=doc.name)
            except forms.ValidationError as error:
                self.add_error(name, error)
        return data

    def add_service_errors(self, message_dict: dict[str, list[str]]) -> None:
        for key, messages in message_dict.items():
            field = SERVICE_FIELDS.get(key)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    @property
    def files_must_be_chosen_again(self) -> bool:
        """A form sent back with errors: browsers never refill file inputs."""
        return self.is_bound and bool(self.errors) and bool(self.documents)


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=64,
        help_text=_("In trên giấy tiếp nhận, ví dụ 25747-261123-0001."),
        error_messages={
            "required": _("Vui lòng nhập mã hồ sơ."),
            "max_length": _("Mã hồ sơ tối đa 64 ký tự."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone_last4 = forms.RegexField(
        label=_("4 số cuối điện thoại người nộp"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={
            "required": _("Vui lòng nhập 4 số cuối của số điện thoại đã khai khi nộp hồ sơ."),
            "invalid": _("Nhập đúng 4 chữ số cuối của số điện thoại."),
            "max_length": _("Nhập đúng 4 chữ số cuối của số điện thoại."),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}", "size": 6}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).upper()

    def clean_phone_last4(self):
        return self.cleaned_data["phone_last4"].strip()
