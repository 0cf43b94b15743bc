"""The OpenAPI schema tells the truth about the answers (issue 11, §7); tests/api/test_schema_fuzz.py holds the
server to it."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/v1/schema/", {"format": "json"}).json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def test_the_dossier_list_is_documented_as_the_paginated_envelope(schema):
    operation = schema["paths"]["/api/v1/dossiers/"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    envelope = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(envelope["properties"]) == {"count", "next", "previous", "results"}
    assert envelope["properties"]["results"]["items"] == {"$ref": "#/components/schemas/Dossier"}
    assert {"page", "page_size"} <= {p["name"] for p in operation["parameters"]}


@pytest.mark.parametrize(
    ("method", "path", "codes"),
    [
        ("POST", "/api/v1/auth/token/", {"400", "415", "429"}),
        ("DELETE", "/api/v1/auth/token/", {"401"}),
        ("GET", "/api/v1/dossiers/", {"400", "401", "404"}),
        ("POST", "/api/v1/dossiers/", {"400", "401", "403", "409", "415", "422"}),
        ("GET", "/api/v1/dossiers/{code}/", {"401", "404"}),
        ("POST", "/api/v1/dossiers/{code}/approve/", {"400", "401", "403", "404", "409", "415"}),
        ("GET", "/api/v1/public/dossiers/{code}/", {"400", "404", "429"}),
        ("GET", "/api/v1/units/", {"400", "401", "404"}),
        ("GET", "/api/v1/workdays/due-date/", {"400"}),
    ],
)
def test_each_operation_documents_the_errors_it_can_answer(schema, method, path, codes):
    responses = schema["paths"][path][method.lower()]["responses"]
    assert {code for code in responses if code >= "400"} == codes


def test_error_answers_share_the_error_components(schema):
    for method, path, operation in operations(schema):
        for code, response in operation["responses"].items():
            if code >= "400":
                body = response["content"]["application/json"]["schema"]
                expected = "ValidationError" if code == "400" else "Error"
                assert body == {"$ref": f"#/components/schemas/{expected}"}, (method, path, code)
    error = schema["components"]["schemas"]["ValidationError"]
    assert error["required"] == ["detail"]
    assert set(error["properties"]) == {"detail", "errors"}


def test_throttled_and_unauthenticated_answers_document_their_headers(schema):
    token = schema["paths"]["/api/v1/auth/token/"]
    assert "Retry-After" in token["post"]["responses"]["429"]["headers"]
    assert "WWW-Authenticate" in token["delete"]["responses"]["401"]["headers"]


def test_field_rules_are_in_the_schema(schema):
    components = schema["components"]["schemas"]
    applicant = components["DossierApplicantInputRequest"]["properties"]
    assert applicant["full_name"]["minLength"] == 1 and applicant["full_name"]["maxLength"] == 200
    assert applicant["phone"]["minLength"] == 1
    assert "minLength" not in applicant["email"]  # may be left blank
    lookup = schema["paths"]["/api/v1/public/dossiers/{code}/"]["get"]["parameters"]
    phone_last4 = next(p for p in lookup if p["name"] == "phone_last4")
    assert phone_last4["schema"]["pattern"] == "^[0-9]{4}$" and phone_last4["required"]
    dossier = components["Dossier"]["properties"]
    for nullable in ("received_at", "due_at", "finished_at", "returned_at", "assignee", "book_number"):
        assert dossier[nullable]["nullable"], nullable
    assert components["DossierEvent"]["properties"]["actor"]["nullable"]


def test_optional_query_parameters_may_be_sent_empty(schema):
    """DRF reads `?unit=` as a filter left out: the schema says so rather than refusing an empty value."""
    for _method, _path, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                assert parameter.get("allowEmptyValue", False) is not parameter.get("required", False)


@pytest.mark.parametrize("digits", ["١٢٣٤", "１２３４", "12345", "123"])
def test_phone_last4_takes_four_ascii_digits_only(digits):
    """The schema's pattern ^[0-9]{4}$ is the server's: digits of other scripts are refused with 400."""
    response = APIClient().get("/api/v1/public/dossiers/X/", {"phone_last4": digits})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["phone_last4"]
