"""Serializer fields shared by the apps' REST interfaces."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MinLengthValidator, ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

NUL_REFUSED = _("Không được chứa ký tự NUL (U+0000).")


class _NoNul:
    """DRF's refusal of a text with a NUL character (which PostgreSQL cannot store or compare), with our
    message: Django's has no Vietnamese translation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators = [
            ProhibitNullCharactersValidator(message=NUL_REFUSED)
            if isinstance(v, ProhibitNullCharactersValidator)
            else v
            for v in self.validators
        ]


class TextField(_NoNul, serializers.CharField):
    """DRF's CharField; a NUL character is refused in the request's language."""


class PatternField(_NoNul, serializers.RegexField):
    """DRF's RegexField; a NUL character is refused in the request's language."""


class _LengthLimits:
    """DRF's length checks with messages in the language of each request.

    DRF formats a length message once and then keeps it (`lazy_format`), in English: its catalogue has no
    Vietnamese. These fields use Django's length validators instead, whose Vietnamese message (ours, with an
    English translation) is formatted at each use in the request's language."""

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


class BoundedCharField(_LengthLimits, TextField):
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
