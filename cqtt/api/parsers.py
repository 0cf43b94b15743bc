"""Request body parsers of the API (DRF setting DEFAULT_PARSER_CLASSES)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No request body of the API nests deeper than 4 levels (an intake: body → documents → document); 32 leaves room
MAX_DEPTH = 32
TOO_DEEP = _("Dữ liệu JSON lồng nhau quá sâu (tối đa %(n)s cấp).")


def nesting_exceeds(data, limit: int) -> bool:
    """Whether lists and objects in `data` nest more than `limit` levels deep (walked without recursion)."""
    if not isinstance(data, dict | list):
        return False
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        for child in value.values() if isinstance(value, dict) else value:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return False


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser that answers 400 (`ParseError`) to a body nested deeper than `MAX_DEPTH` levels.

    Python's decoder recurses once per level and raises `RecursionError` near 1,000 levels, which DRF does not
    catch (a 500); bodies it can still decode are walked once, so no view, serializer or error message meets a
    structure deep enough to exhaust the stack later."""

    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP % {"n": self.max_depth}) from None
        if nesting_exceeds(data, self.max_depth):
            raise ParseError(TOO_DEEP % {"n": self.max_depth})
        return data
