"""Base classes for the API's serializers."""

from __future__ import annotations

import copy

from rest_framework import serializers

# fields that hold other fields: each serializer instance needs its own copy of those
_CONTAINERS = (serializers.BaseSerializer, serializers.ListField, serializers.DictField)


class LeanSerializer(serializers.Serializer):
    """A request body's serializer that gives each instance shallow copies of its declared plain fields.

    DRF deep-copies every declared field for every serializer instance, re-running each field's constructor:
    on the busiest endpoints that was most of the cost of checking their input. A declared field is never bound
    or validated itself, and binding a copy sets the copy's own attributes, so a shallow copy is as good as a new
    field for plain fields; fields holding other fields are still deep-copied."""

    def get_fields(self):
        return {
            name: copy.deepcopy(field) if isinstance(field, _CONTAINERS) else copy.copy(field)
            for name, field in self._declared_fields.items()
        }
