"""LeanSerializer: the same validated data and the same errors as DRF's deep-copied fields."""

import pytest
from rest_framework import serializers

from cqtt.api.serializers import LeanSerializer
from cqtt.dossiers import apis

BODIES = [
    {},
    {"version": 3},
    {"version": "ba"},
    {"version": None, "note": "Đã xem xét", "collected_by": "Nguyễn Văn Bình"},
    {"collected_by": "", "id_checked": "khong"},
    {"collected_by": "x" * 201, "note": 5},
    {"assignee": "chuyenvien", "version": 2},
    {"items": ["Bản sao giấy khai sinh"], "reason": "Thiếu bản sao"},
    {"items": [], "reason": ""},
    {"unit_code": "26734", "question": "Ý kiến?", "days": "2.5"},
    {"unit_code": "26734", "question": "Ý kiến?", "days": "abc"},
    {"reason": "Lý do", "new_due_at": "2026-12-02T17:00:00+07:00"},
    {"reason": "Lý do", "new_due_at": "mai"},
    {"step": 0, "answer": ""},
    {
        "procedure_code": "1.001",
        "applicant": {"full_name": "Nguyễn Văn Bình", "phone": "0912345678"},
        "documents": ["Tờ khai", {"name": "Bản sao", "kind": "copy", "count": 2, "submitted": False}],
        "missing_items": ["Ảnh"],
    },
    {"procedure_code": "", "applicant": {"full_name": ""}, "documents": [{"kind": "x"}], "sets_count": 0},
    {"procedure_code": "1.001", "applicant": "Bình", "documents": "Tờ khai"},
    {"items": ["x" * 501] * 2, "note": "x" * 501, "reason": "x" * 2001, "collected_by": "x" * 201},
    {"items": ["Ảnh"] * 51, "missing_items": ["Ảnh"] * 51, "documents": ["x" * 501], "assignee": "x" * 151},
]
INPUTS = sorted(
    {serializer for serializer, _run in apis.ACTIONS.values()} | {apis.DossierListCreateApi.InputSerializer},
    key=lambda c: c.__name__,
)


def _drf(serializer_class):
    """The same serializer with DRF's own field copying, nested serializers included."""

    def get_fields(self):
        fields = serializers.Serializer.get_fields(self)
        for name, field in fields.items():
            if isinstance(field, LeanSerializer):
                fields[name] = _drf(type(field))(*field._args, **field._kwargs)
        return fields

    return type(f"Drf{serializer_class.__name__}", (serializer_class,), {"get_fields": get_fields})


@pytest.mark.parametrize("serializer_class", INPUTS, ids=lambda c: c.__name__)
def test_lean_fields_validate_as_drfs_deep_copies(serializer_class):
    assert issubclass(serializer_class, LeanSerializer)
    for body in BODIES:
        lean, drf = serializer_class(data=body), _drf(serializer_class)(data=body)
        assert lean.is_valid() == drf.is_valid(), body
        assert lean.errors == drf.errors, body
        if drf.is_valid():
            assert lean.validated_data == drf.validated_data, body


def test_each_instance_binds_its_own_fields():
    a, b = apis.ReturnInput(data={}), apis.ReturnInput(data={})
    for name, field in a.fields.items():
        assert field is not b.fields[name]
        assert field is not apis.ReturnInput._declared_fields[name]
        assert field.parent is a and b.fields[name].parent is b
    nested = apis.DossierListCreateApi.InputSerializer(data={})
    assert nested.fields["applicant"].fields["full_name"].parent is nested.fields["applicant"]
    assert nested.fields["documents"].child.parent is nested.fields["documents"]
