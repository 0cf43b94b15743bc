"""The complaints app's URLs in the wrong-unit tables of test_wrong_unit.py (each URL must be classified there).
Its own by-role tests, with the denouncer's identity as the sharpest case, are in tests/complaints/test_scope.py."""

from django.urls import reverse
from django.utils import timezone


def case_of(x):
    """A ward A denunciation whose denouncer is the dossiers' applicant (made once per test)."""
    if getattr(x, "complaint_case", None) is None:
        from cqtt.complaints import services

        x.complaint_case = services.case_receive(
            actor=x.w.leader,
            unit=x.w.a,
            kind="denunciation",
            received_on=timezone.localdate(),
            channel="in_person",
            person={"full_name": "Phạm Văn Bình", "phone": "0912345678"},
            content="Phạm Văn Bình tố cáo cán bộ địa chính nhận tiền để xác nhận sai nguồn gốc đất.",
        )
    return x.complaint_case


def _event(x):
    case = case_of(x)
    return case.events.first().pk


def register(public_pages: dict, public_api: dict, staff_pages: dict, staff_api: dict) -> None:
    """Add this app's URL names with their builders, in the shapes test_wrong_unit.py's tables use."""
    code = lambda x: case_of(x).code  # noqa: E731
    staff_pages.update(
        {
            "complaints:list": ("get", lambda x: reverse("complaints:list")),
            "complaints:new": ("get", lambda x: reverse("complaints:new")),
            "complaints:settings": ("get", lambda x: reverse("complaints:settings")),
            "complaints:detail": ("get", lambda x: reverse("complaints:detail", args=[code(x)])),
            "complaints:reveal": ("post", lambda x: reverse("complaints:reveal", args=[code(x)])),
            "complaints:access_log": ("get", lambda x: reverse("complaints:access_log", args=[code(x)])),
            "complaints:notice": ("get", lambda x: reverse("complaints:notice", args=[code(x), _event(x)])),
            "complaints:act": ("post", lambda x: reverse("complaints:act", args=[code(x), "accept"])),
        }
    )
    from cqtt.complaints.rules import API_ACTIONS

    staff_api.update(
        {
            "api:complaints": [
                ("get", lambda x: reverse("api:complaints")),
                ("post", lambda x: reverse("api:complaints")),
            ],
            "api:complaint": [
                (
                    "get",
                    lambda x: (
                        reverse("api:complaint", args=[code(x)])
                        + "?reveal=1&reason=xem+th%E1%BB%AD+th%C3%B4i"
                    ),
                )
            ],
            "api:complaint-access-log": [
                ("get", lambda x: reverse("api:complaint-access-log", args=[code(x)]))
            ],
            **{
                f"api:complaint-{a}": [("post", lambda x, a=a: reverse(f"api:complaint-{a}", args=[code(x)]))]
                for a in API_ACTIONS
            },
        }
    )
