"""API authentication (DRF setting DEFAULT_AUTHENTICATION_CLASSES; kept apart from the views DRF imports it
with)."""

import copy
import time

from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from cqtt.accounts.permissions import SCOPE_CACHE_SECONDS, prime_scope, scope_generation

_TOKENS: dict[str, tuple[str, float, object, Token]] = {}
_TOKENS_MAX = 10_000


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's token check, remembered in the process: a token's account is read from the database once, then
    reused until any account, role, unit or token changes (the scope generation in the shared cache, checked on
    every request) or `SCOPE_CACHE_SECONDS` pass. Each request gets its own copy of the account."""

    def authenticate_credentials(self, key):
        now = time.monotonic()
        hit = _TOKENS.get(key)
        if hit is not None and hit[1] > now:
            user = copy.copy(hit[2])
            if prime_scope(user) == hit[0]:  # one round trip: generation and the account's scope
                return user, hit[3]
        generation = scope_generation()
        user, token = super().authenticate_credentials(key)
        if len(_TOKENS) >= _TOKENS_MAX:
            _TOKENS.clear()
        _TOKENS[key] = (generation, now + SCOPE_CACHE_SECONDS, user, token)
        return copy.copy(user), token
