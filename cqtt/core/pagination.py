import re

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

POSITIVE = re.compile(r"[1-9][0-9]{0,8}")


class StandardPagination(PageNumberPagination):
    """`{count, next, previous, results}`; `?page=` and `?page_size=` (at most 200; more counts as 200).

    A `page_size` that is not a positive whole number answers 400 (DRF would quietly use the default); a page
    that does not exist answers 404."""

    page_size_query_param = "page_size"
    max_page_size = 200
    page_query_description = _("Số thứ tự trang, từ 1.")
    page_size_query_description = _("Số kết quả mỗi trang, từ 1 đến 200 (mặc định 50).")
    invalid_page_message = _("Không có trang “{page_number}”.")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        if not POSITIVE.fullmatch(raw):
            raise ValidationError(
                {self.page_size_query_param: [_("Số kết quả mỗi trang phải là số nguyên dương.")]}
            )
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters
