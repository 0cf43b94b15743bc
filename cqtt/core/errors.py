"""Errors raised by services and selectors; interfaces translate them to messages and status codes."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """Input a service refuses (400): carries field-by-field Vietnamese messages."""


class TransitionNotAllowed(Exception):
    """A state change not allowed from the current state (409)."""


class RequestKeyReused(Exception):
    """A request's idempotency key already answered a different request (422)."""


class PermissionDenied(DjangoPermissionDenied):
    """The user's roles do not reach this object or action (403 / 404 for reads)."""


class NotInScope(PermissionDenied):
    """The object does not exist or the user's roles do not reach it: the same answer for both (404)."""
