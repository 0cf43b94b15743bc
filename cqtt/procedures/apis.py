from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny

from cqtt.core.serializer_fields import PatternField, TextField

from .selectors import procedure_list_public, unit_find


@extend_schema_serializer(component_name="ProcedureFee")
class FeeOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    amount = serializers.IntegerField(help_text="Mức thu, đồng")
    exemptions = serializers.CharField()


class ProcedureListApi(ListAPIView):
    """Public catalogue of administrative procedures (versions in force today)."""

    permission_classes = [AllowAny]

    class FilterSerializer(serializers.Serializer):
        q = TextField(
            required=False,
            max_length=100,
            allow_blank=True,
            help_text="Từ khóa; không phân biệt hoa thường, có dấu hay không dấu; mọi từ đều phải khớp.",
            error_messages={"max_length": _("Từ khóa tìm kiếm tối đa 100 ký tự.")},
        )
        unit = PatternField(
            r"^[0-9A-Za-z.\-_]{1,32}$",
            required=False,
            help_text="Mã đơn vị thực hiện (xã, phường), ví dụ 25747.",
            error_messages={"invalid": _("Mã đơn vị không hợp lệ.")},
        )

        def validate_unit(self, value: str) -> str:
            if unit_find(code=value) is None:
                raise serializers.ValidationError(_("Không có đơn vị mã “%(code)s”.") % {"code": value})
            return value

    @extend_schema_serializer(component_name="Procedure")
    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        name = serializers.CharField()
        field = serializers.CharField(source="field.name")
        duration_amount = serializers.DecimalField(max_digits=6, decimal_places=1)
        duration_unit = serializers.CharField(help_text="working_days | working_hours | same_day")
        fees = FeeOutputSerializer(many=True, read_only=True)
        online_level = serializers.CharField(help_text="toan_trinh | mot_phan | truc_tiep")
        life_event = serializers.CharField(
            help_text="birth_registration | marriage_registration | death_registration | none"
        )

    serializer_class = OutputSerializer

    @extend_schema(
        parameters=[FilterSerializer],
        summary="Danh mục thủ tục hành chính",
        description="Các thủ tục đang có hiệu lực hôm nay; lọc theo từ khóa và mã đơn vị thực hiện. "
        "Mã đơn vị không tồn tại hoặc từ khóa quá dài trả về 400 với lỗi theo từng trường.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.FilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return procedure_list_public(**params.validated_data)
