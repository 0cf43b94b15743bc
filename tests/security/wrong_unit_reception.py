"""The reception app's URLs in the wrong-unit tables of test_wrong_unit.py (each URL must be classified there)."""

from django.urls import reverse


def _visit(x):
    """A ward A visit whose person is the dossiers' applicant (made once per test)."""
    if getattr(x, "reception_visit", None) is None:
        from cqtt.reception import services

        x.reception_visit = services.visit_record(
            actor=x.w.counter_a,
            unit=x.w.a,
            data=services.VisitData(
                person_name="Phạm Văn Bình",
                address="12 Đường Bạch Đằng",
                id_number="079085001234",
                phone="0912345678",
                content="Đề nghị sửa đường hẻm bị ngập khi mưa.",
                kind="petition",
            ),
        )
    return x.reception_visit


def _session(x):
    if getattr(x, "reception_session", None) is None:
        import datetime as dt

        from django.utils import timezone

        from cqtt.reception import services

        x.reception_session = services.session_create(
            actor=x.w.leader,
            unit=x.w.a,
            leader=x.w.leader,
            starts_at=timezone.now() + dt.timedelta(days=30),
            place="Phòng tiếp công dân",
        )
    return x.reception_session


def register(public_pages: dict, public_api: dict, staff_pages: dict, staff_api: dict) -> None:
    """Add this app's URL names with their builders, in the shapes test_wrong_unit.py's tables use."""
    public_pages.update(
        {
            "reception:public_schedule": lambda x: reverse("reception:public_schedule") + "?unit=25747",
            "reception:public_print": lambda x: reverse("reception:public_print") + "?unit=25747",
        }
    )
    public_api.update(
        {"api:public-reception": lambda x: reverse("api:public-reception") + "?unit=25747"},
    )
    staff_pages.update(
        {
            "reception:schedule": ("get", lambda x: reverse("reception:schedule")),
            "reception:session": ("get", lambda x: reverse("reception:session", args=[_session(x).pk])),
            "reception:conclusion_print": (
                "get",
                lambda x: reverse("reception:conclusion_print", args=[_session(x).pk]),
            ),
            "reception:session_act": (
                "post",
                lambda x: reverse("reception:session_act", args=[_session(x).pk, "cancel"]),
            ),
            "reception:task_done": ("post", lambda x: reverse("reception:task_done", args=[1])),
            "reception:register": ("get", lambda x: reverse("reception:register")),
            "reception:register_print": ("get", lambda x: reverse("reception:register_print")),
            "reception:visit_new": ("get", lambda x: reverse("reception:visit_new")),
            "reception:visit": ("get", lambda x: reverse("reception:visit", args=[_visit(x).pk])),
            "reception:receipt_print": (
                "get",
                lambda x: reverse("reception:receipt_print", args=[_visit(x).pk]),
            ),
            "reception:refusal_print": (
                "get",
                lambda x: reverse("reception:refusal_print", args=[_visit(x).pk]),
            ),
            "reception:visit_act": (
                "post",
                lambda x: reverse("reception:visit_act", args=[_visit(x).pk, "to_feedback"]),
            ),
        }
    )
    staff_api.update(
        {
            "api:reception-sessions": [
                ("get", lambda x: reverse("api:reception-sessions") + "?unit=25747"),
                ("post", lambda x: reverse("api:reception-sessions")),
            ],
            "api:reception-visits": [
                ("get", lambda x: reverse("api:reception-visits") + "?unit=25747"),
                ("post", lambda x: reverse("api:reception-visits")),
            ],
        }
    )
