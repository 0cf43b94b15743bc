import pytest
from rest_framework.test import APIClient

from cqtt.units.services import units_load_national

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    units_load_national()
    return APIClient()


def test_units_filter_by_type_parent_and_text_without_diacritics(api):
    r = api.get("/api/v1/units/", {"type": "commune", "parent": "79", "q": "thu dau mot"})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "code": "25747",
        "name": "Thủ Dầu Một",
        "full_name": "Phường Thủ Dầu Một",
        "type": "commune",
        "parent_code": "79",
    }


def test_units_list_provinces_is_paginated(api):
    r = api.get("/api/v1/units/", {"type": "province", "page_size": 10})
    body = r.json()
    assert body["count"] == 34
    assert len(body["results"]) == 10
    assert body["results"][0]["parent_code"] is None
    assert body["next"]


def test_units_query_count_is_bounded(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        api.get("/api/v1/units/", {"type": "commune", "page_size": 200})


@pytest.mark.parametrize(
    ("params", "field"),
    [({"type": "district"}, "type"), ({"parent": "79; drop"}, "parent"), ({"q": "x" * 101}, "q")],
)
def test_units_bad_input_answers_400_with_a_vietnamese_field_message(api, params, field):
    r = api.get("/api/v1/units/", params)
    assert r.status_code == 400
    body = r.json()
    assert field in body["errors"]
    assert body["detail"].startswith("Dữ liệu không hợp lệ")
