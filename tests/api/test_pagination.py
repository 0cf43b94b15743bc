"""`?page=` and `?page_size=` of the API's lists (cqtt.core.pagination), as the schema documents them."""

import pytest
from rest_framework.test import APIClient

from tests.factories import make_commune, make_province

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    province = make_province("79", "Thành phố Hồ Chí Minh")
    for n in range(3):
        make_commune(province, code=f"2574{n}")


@pytest.mark.parametrize("size", ["abc", "0", "-1", "1.5", "٣", " 2"])
def test_a_page_size_that_is_not_a_positive_whole_number_is_400_in_vietnamese(units, size):
    response = APIClient().get("/api/v1/units/", {"page_size": size})
    assert response.status_code == 400
    assert response.json()["errors"] == {"page_size": ["Số kết quả mỗi trang phải là số nguyên dương."]}


def test_page_size_counts_up_to_200_and_empty_means_the_default(units):
    api = APIClient()
    assert len(api.get("/api/v1/units/", {"page_size": "2"}).json()["results"]) == 2
    assert api.get("/api/v1/units/", {"page_size": "5000"}).status_code == 200
    assert len(api.get("/api/v1/units/", {"page_size": ""}).json()["results"]) == 4


def test_a_page_that_does_not_exist_is_404_in_vietnamese(units):
    response = APIClient().get("/api/v1/units/", {"page": "9"})
    assert response.status_code == 404
    assert response.json()["detail"] == "Không có trang “9”."
