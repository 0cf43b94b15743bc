"""The unit public page (portal), directory and cameras's URLs in the wrong-unit tables of test_wrong_unit.py (each URL must be classified there).
The by-role and wrong-unit tests of the camera pages are in tests/units/test_cameras.py."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone


def _camera(x):
    """A camera of ward A's counter (made once per test)."""
    if getattr(x, "camera", None) is None:
        from cqtt.units.services import camera_save

        x.camera = camera_save(
            counter=x.w.counter, name="Camera quầy 1", recorder="NVR kênh 1", retention_days=30
        )
    return x.camera


def _footage(x):
    """A footage request at ward A's counter (made once per test)."""
    if getattr(x, "footage", None) is None:
        from cqtt.units.services import footage_request_open

        _camera(x)
        now = timezone.now()
        x.footage = footage_request_open(
            counter=x.w.counter,
            starts_at=now - dt.timedelta(minutes=30),
            ends_at=now,
            reason="Đánh giá chưa hài lòng",
            source="manual",
            source_ref="",
            actor=None,
        )
    return x.footage


def register(public_pages: dict, public_api: dict, staff_pages: dict, staff_api: dict) -> None:
    """Add these's URL names with their builders, in the shapes test_wrong_unit.py's tables use."""
    public_pages.update(
        {
            "portal:unit": lambda x: reverse("portal:unit", args=["25747"]),
            "portal:unit_find": lambda x: reverse("portal:unit_find") + "?q=thu+dau+mot",
        }
    )
    public_api.update(
        {"api:public-unit-directory": lambda x: reverse("api:public-unit-directory", args=["25747"])}
    )
    staff_pages.update(
        {
            "units:cameras": ("get", lambda x: reverse("units:cameras") + "?unit=25747"),
            "units:camera": ("get", lambda x: reverse("units:camera", args=[_camera(x).pk])),
            "units:footage": ("get", lambda x: reverse("units:footage") + "?unit=25747"),
            "units:footage_close": ("post", lambda x: reverse("units:footage_close", args=[_footage(x).pk])),
        }
    )
