import pytest

from .conftest import make_procedure

pytestmark = pytest.mark.django_db
URL = "/api/v1/procedures/"


def test_list_is_public_and_paginated(client, catalogue):
    body = client.get(URL).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    birth = next(r for r in body["results"] if r["code"] == "1.001193")
    assert birth == {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "duration_amount": "0.0",
        "duration_unit": "same_day",
        "fees": [
            {"name": "Lệ phí đăng ký khai sinh", "amount": 0, "exemptions": "Miễn khi đăng ký đúng hạn"}
        ],
        "online_level": "mot_phan",
        "life_event": "birth_registration",
    }


def test_search_and_unit_filter(client, catalogue):
    body = client.get(URL, {"q": "DANG KY", "unit": "25747"}).json()
    assert {r["code"] for r in body["results"]} == {"1.001193", "DP.HT.02"}


@pytest.mark.parametrize(
    ("params", "field"), [({"unit": "99999"}, "unit"), ({"unit": "a b"}, "unit"), ({"q": "x" * 101}, "q")]
)
def test_bad_input_is_400_with_field_message(client, catalogue, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and list(body["errors"]) == [field]


def test_query_count_does_not_grow_with_results(client, civil, commune, django_assert_max_num_queries):
    for n in range(30):
        make_procedure(
            code=f"DP.T.{n}",
            name=f"Thủ tục {n}",
            field=civil,
            units=[commune],
            fees=[("Lệ phí", 1000, ""), ("Phí", 2000, "")],
        )
    # unit lookup, count, page, fees
    with django_assert_max_num_queries(4):
        response = client.get(URL, {"unit": commune.code, "page_size": 30})
    assert len(response.json()["results"]) == 30


def test_openapi_documents_the_filters(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    params = {p["name"] for p in schema["paths"]["/api/v1/procedures/"]["get"]["parameters"]}
    assert {"q", "unit", "page"} <= params
