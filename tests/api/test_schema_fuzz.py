"""The OpenAPI schema against the server (issue 11, §7): schemathesis generates requests for every operation from
the schema the app serves and sends them to a live server over a real socket, with a staff token. Every answer must
be no 5xx, a documented status code with a documented content type, headers and body, and no request that breaks
the schema's rules may be accepted.

Bounded for CI: at most MAX_EXAMPLES random cases per operation (plus the coverage phase's fixed set of boundary
cases), seeded and derandomized (the same requests on every run), no shrinking of failures, no example
database."""

import zlib

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from cqtt.accounts.models import Role
from cqtt.accounts.services import role_grant
from tests.dossiers.conftest import receive, world  # noqa: F401 (the two-ward world of the dossier tests)

pytestmark = pytest.mark.django_db(transaction=True)  # the live server sees committed data only

MAX_EXAMPLES = 25
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 11,
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "no-shrink": True,
            "database": "none",
        },
    }
)
# the schema as the app serves it (generated in-process at collection: no database is needed for it)
schema = schemathesis.openapi.from_dict(
    Client(HTTP_HOST="localhost").get("/api/v1/schema/", {"format": "json"}).json(), config=CONFIG
)


@pytest.fixture
def fuzz_world(world, frozen_clock):  # noqa: F811
    """The dossier tests' world, a received dossier, and a counter officer who also leads and handles dossiers in
    ward A (so transitions get past the role checks to the services)."""
    role_grant(user=world.counter_a, unit=world.a, role=Role.LEADER)
    role_grant(user=world.counter_a, unit=world.a, role=Role.SPECIALIST)
    world.dossier = receive(world)
    return world


def steer(case, real_world) -> None:
    """Half of the schema-valid cases (chosen from their content, so the same ones on every run) name real
    objects instead of random strings: a dossier, a procedure, a colleague, a unit, a time in the calendar.
    Random values alone would stop almost every request at "not found". A quarter name the dossier with a NUL
    character appended. The values put in are valid too, so the case stays what it was generated as (negative
    cases are left as they are)."""
    if case.meta is None or case.meta.generation.mode != schemathesis.GenerationMode.POSITIVE:
        return
    bucket = zlib.crc32(repr((case.path_parameters, case.query, case.body)).encode()) % 4
    if bucket == 1 and isinstance(case.path_parameters, dict) and "code" in case.path_parameters:
        # a real code with a NUL character (PostgreSQL cannot compare it): must name no dossier
        case.path_parameters["code"] = real_world.dossier.code + "\x00"
        return
    if bucket % 2:
        return
    real = {
        "code": real_world.dossier.code,
        "procedure_code": real_world.birth.code,
        "assignee": real_world.specialist.username,
        "unit_code": real_world.other_dept.code,
        "received_at": "2026-11-24T10:00:00+07:00",
        "phone_last4": "5678",
        # an applicant the intake's own checks accept
        "phone": "0912345678",
        "id_number": "079085001234",
        "email": "binh@example.vn",
        "commune_code": real_world.a.code,
    }
    body = case.body if isinstance(case.body, dict) else {}
    for values in (case.path_parameters, case.query, body, body.get("applicant")):
        if isinstance(values, dict):
            for name, value in real.items():
                if isinstance(values.get(name), str):
                    values[name] = value


@schema.parametrize()
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_server_keeps_to_its_schema(case, live_server, fuzz_world):
    steer(case, fuzz_world)
    # DELETE /auth/token/ revokes the token: each case is sent with the staff member's current one
    token, _created = Token.objects.get_or_create(user=fuzz_world.counter_a)
    case.call_and_validate(
        base_url=live_server.url,
        headers={"Authorization": f"Token {token.key}"},
        # a schema cannot promise that every well-formed request succeeds (a code may name no procedure)
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
        timeout=30,
    )
