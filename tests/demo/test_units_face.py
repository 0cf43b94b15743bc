"""The demo's public-face data: a hotline, responsibilities, private counter-officer phones, counter cameras."""

import pytest

from cqtt.accounts.selectors import directory_of
from cqtt.demo.units_face import load_demo_units_face
from cqtt.units.models import Camera
from tests.dossiers.conftest import world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_demo_gives_a_hotline_cameras_and_a_directory_with_private_counter_phones(world):  # noqa: F811
    world.counter_a.work_phone = "0909111222"
    world.counter_a.phone_is_public = True
    world.counter_a.save()
    assert load_demo_units_face(units=[world.a]) is True
    world.a.refresh_from_db()
    assert world.a.hotline
    assert Camera.objects.filter(counter=world.counter).count() == 2
    rows = {r["full_name"]: r for r in directory_of(unit=world.a)}
    assert rows["Nguyễn Thị Hà"]["phone"] is None and rows["Nguyễn Thị Hà"]["responsibilities"]
    assert load_demo_units_face(units=[world.a]) is False  # once
