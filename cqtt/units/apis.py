from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny

from cqtt.core.serializer_fields import PatternField, TextField

from .selectors import unit_list_public


class UnitListApi(ListAPIView):
    """National list of administrative units (public data)."""

    permission_classes = [AllowAny]

    @extend_schema_serializer(component_name="UnitFilter")
    class FilterSerializer(serializers.Serializer):
        type = serializers.ChoiceField(
            choices=["province", "commune"],
            required=False,
            error_messages={"invalid_choice": _("Loại đơn vị phải là 'province' hoặc 'commune'.")},
        )
        parent = PatternField(
            r"^[0-9A-Za-z.\-]{1,32}$",
            required=False,
            error_messages={"invalid": _("Mã đơn vị cấp trên không hợp lệ.")},
        )
        q = TextField(
            required=False,
            max_length=100,
            allow_blank=True,
            error_messages={"max_length": _("Từ khóa tìm kiếm tối đa 100 ký tự.")},
        )

    @extend_schema_serializer(component_name="Unit")
    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        name = serializers.CharField()
        full_name = serializers.CharField()
        type = serializers.CharField(source="level")
        parent_code = serializers.CharField(source="parent.code", allow_null=True, default=None)

    serializer_class = OutputSerializer

    @extend_schema(parameters=[FilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.FilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return unit_list_public(**params.validated_data)
