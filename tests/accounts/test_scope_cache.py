"""Cached scopes and token checks are never served stale: two connections racing a revoke, and two processes
sharing Redis (PostgreSQL: the second connection and the second process must see committed data)."""

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import override_settings

from cqtt.accounts.models import Role, User
from tests.factories import make_commune, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _fresh(user):
    return User.objects.get(pk=user.pk)


def test_scope_read_while_a_revoke_is_uncommitted_is_not_served_after_the_commit():
    from cqtt.accounts.permissions import user_roles_in
    from cqtt.accounts.services import role_revoke

    ward = make_commune()
    user = make_user(unit=ward, role=Role.LEADER)
    written, read_done = threading.Event(), threading.Event()
    errors = []

    def revoke():
        try:
            with transaction.atomic():
                role_revoke(assignment=user.roles.get(unit=ward, role=Role.LEADER))
                written.set()
                read_done.wait(10)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            written.set()
            connection.close()

    writer = threading.Thread(target=revoke)
    writer.start()
    assert written.wait(10)
    # another request reads (and caches) the scope while the revoke is not committed yet
    assert Role.LEADER in user_roles_in(_fresh(user), ward)
    read_done.set()
    writer.join(10)
    assert not errors
    # the very next request after the commit is refused
    assert user_roles_in(_fresh(user), ward) == set()


_CHILD = textwrap.dedent(
    """
    import sys, django
    django.setup()
    from cqtt.accounts.models import User
    from cqtt.accounts.permissions import user_roles_in
    from cqtt.api.authentication import CachedTokenAuthentication
    from cqtt.units.models import Unit
    from rest_framework.exceptions import AuthenticationFailed

    for line in sys.stdin:
        verb, *args = line.split()
        if verb == "auth":
            try:
                user, _ = CachedTokenAuthentication().authenticate_credentials(args[0])
                print("ok", user.username, flush=True)
            except AuthenticationFailed:
                print("refused", flush=True)
        elif verb == "roles":
            user, unit = User.objects.get(pk=args[0]), Unit.objects.get(pk=args[1])
            print(",".join(sorted(user_roles_in(user, unit))) or "-", flush=True)
    """
)


@pytest.fixture
def redis_cache():
    location = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    prefix = f"cqtt-test-{os.getpid()}"
    caches = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches):
        from django.core.cache import cache

        cache.clear()
        yield location, prefix
        cache.clear()


def test_a_second_process_refuses_a_revoked_token_role_or_account_at_once(redis_cache):
    from rest_framework.authtoken.models import Token

    from cqtt.accounts.services import role_revoke

    location, prefix = redis_cache
    ward = make_commune()
    user = make_user("hai-tien-trinh", unit=ward, role=Role.LEADER)
    token = Token.objects.create(user=user)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": location,
        "CQTT_CACHE_KEY_PREFIX": prefix,
    }
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def ask(line: str) -> str:
        child.stdin.write(line + "\n")
        child.stdin.flush()
        return child.stdout.readline().strip()

    try:
        assert ask(f"auth {token.key}") == "ok hai-tien-trinh"
        assert ask(f"auth {token.key}") == "ok hai-tien-trinh"  # remembered in the child
        assert ask(f"roles {user.pk} {ward.pk}") == Role.LEADER
        role_revoke(assignment=user.roles.get(unit=ward, role=Role.LEADER))
        assert ask(f"roles {user.pk} {ward.pk}") == "-"
        user.is_active = False
        user.save()
        assert ask(f"auth {token.key}") == "refused"
        user.is_active = True
        user.save()
        assert ask(f"auth {token.key}") == "ok hai-tien-trinh"
        token.delete()
        assert ask(f"auth {token.key}") == "refused"
    finally:
        child.stdin.close()
        child.wait(10)
