"""Base classes for the API's serializers."""

from __future__ import annotations

import copy

from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.utils.translation import gettext_lazy as _
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


class _LengthLimits:
    """DRF's length checks with messages in the language of each request.

    DRF formats a length message once and then keeps it (`lazy_format`); the fields LeanSerializer shares between
    instances keep their validators, so every later request would read the language of the first. These fields
    use Django's length validators instead, whose message is formatted at each use, in Vietnamese (DRF's own
    catalogue has no Vietnamese for them)."""

    too_long: object
    too_short: object

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        checks = [v for v in self.validators if not isinstance(v, MaxLengthValidator | MinLengthValidator)]
        if self.max_length is not None:
            checks.append(MaxLengthValidator(self.max_length, message=self.too_long))
        if self.min_length is not None:
            checks.append(MinLengthValidator(self.min_length, message=self.too_short))
        self.validators = checks


class BoundedCharField(_LengthLimits, serializers.CharField):
    """A text with a required `max_length`."""

    too_long = _("Tối đa %(limit_value)d ký tự.")
    too_short = _("Cần ít nhất %(limit_value)d ký tự.")

    def __init__(self, *, max_length: int, **kwargs):
        super().__init__(max_length=max_length, **kwargs)


class BoundedListField(_LengthLimits, serializers.ListField):
    """A list with a required `max_length` (number of items)."""

    too_long = _("Tối đa %(limit_value)d mục.")
    too_short = _("Cần ít nhất %(limit_value)d mục.")

    def __init__(self, *, max_length: int, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
