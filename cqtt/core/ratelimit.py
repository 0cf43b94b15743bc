"""Who is asking (the client address, trusting forwarded headers only when configured) and how often:
per-address budgets (django-ratelimit) and per-target wrong-guess locks.

`NUM_PROXIES` (setting, from the environment) is the number of reverse proxies in front of the app. Unset or
0, `X-Forwarded-For` is ignored: anybody can write that header, and trusting it let one client rotate it to
escape every limit. With N proxies, the client is the address the outermost of them saw: the N-th entry from
the right of `X-Forwarded-For`.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited


def client_ip(request) -> str:
    proxies = int(getattr(settings, "NUM_PROXIES", 0) or 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]


def client_ip_for_axes(request) -> str:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the same address the other limits use."""
    return client_ip(request)


def _ip_key(group, request) -> str:
    return client_ip(request)


def rate_limited(request, *, group: str, rate: str) -> bool:
    """Count this request against the client address's budget for `group`; True once it is spent."""
    return is_ratelimited(request, group=group, key=_ip_key, rate=rate, method=ALL, increment=True)


class GuessLock:
    """Wrong answers to a small secret (the last 4 phone digits of a dossier: 10,000 values) counted per target,
    from every address together: after `limit` wrong guesses within `seconds`, the target is locked for the
    rest of that time, and callers answer exactly as they answer a wrong guess."""

    def __init__(self, scope: str, *, limit: int, seconds: int):
        self.scope, self.limit, self.seconds = scope, limit, seconds

    def _key(self, target: str) -> str:
        return f"cqtt:guess:{self.scope}:{hashlib.sha256(target.encode()).hexdigest()[:32]}"

    def locked(self, target: str) -> bool:
        return (cache.get(self._key(target)) or 0) >= self.limit

    def failed(self, target: str) -> None:
        key = self._key(target)
        if cache.add(key, 1, self.seconds):
            return
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, self.seconds)


def rate_limited_key(request, *, group: str, key: str, rate: str) -> bool:
    """Count this request against the budget of `key` (a device, an account) for `group`; True once spent."""
    return is_ratelimited(request, group=group, key=lambda _g, _r: key, rate=rate, method=ALL, increment=True)
