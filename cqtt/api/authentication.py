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
    reused until that account's generation in the shared cache moves (its roles, account fields or tokens
    changed, checked on every request in the same round trip as its scope) or `SCOPE_CACHE_SECONDS` pass.
    Each request gets its own copy of the account and token (revoking it must not change the remembered one)."""

    def authenticate_credentials(self, key):
        now = time.monotonic()
        hit = _TOKENS.get(key)
        if hit is not None and hit[1] > now:
            user = copy.copy(hit[2])
            if prime_scope(user) == hit[0]:  # one round trip: generation and the account's scope
                return user, copy.copy(hit[3])
            _TOKENS.pop(key, None)
        # The generation is read before the row that is remembered under it: a token deleted (or an account
        # deactivated) after that read moves the generation on commit, so the entry is refused next time.
        user_id = Token.objects.filter(key=key).values_list("user_id", flat=True).first()
        generation = scope_generation(user_id) if user_id is not None else None
        user, token = super().authenticate_credentials(key)
        if generation is not None and token.user_id == user_id:
            if len(_TOKENS) >= _TOKENS_MAX:
                _TOKENS.clear()
            _TOKENS[key] = (generation, now + SCOPE_CACHE_SECONDS, user, token)
        return copy.copy(user), copy.copy(token)
