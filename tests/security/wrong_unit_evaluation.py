"""The evaluation app's URLs in the wrong-unit tables of test_wrong_unit.py (each URL must be classified there)."""

from django.urls import reverse


def register(public_pages: dict, public_api: dict, staff_pages: dict, staff_api: dict) -> None:
    """Add this app's URL names with their builders, in the shapes test_wrong_unit.py's tables use."""
    public_api.update(
        {
            "api:public-unit-scorecard": lambda x: (
                reverse("api:public-unit-scorecard", args=["25747"]) + "?period=2026-11"
            ),
        }
    )
    staff_pages.update(
        {
            "evaluation:home": ("get", lambda x: reverse("evaluation:home")),
            "evaluation:unit": ("get", lambda x: reverse("evaluation:unit", args=["25747"])),
            "evaluation:officers": ("get", lambda x: reverse("evaluation:officers", args=["25747"])),
            "evaluation:evidence": ("get", lambda x: reverse("evaluation:evidence", args=["25747", "1"])),
        }
    )
    staff_api.update(
        {
            "api:evaluation-indicators": [
                ("get", lambda x: reverse("api:evaluation-indicators") + "?unit=25747")
            ],
            "api:evaluation-ranking": [("get", lambda x: reverse("api:evaluation-ranking") + "?province=79")],
        }
    )
