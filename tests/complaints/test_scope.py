"""Wrong unit and wrong role on every complaints page and endpoint, with the denouncer's identity as the sharpest
case: outsiders get 404 (or the 403 page where they have no unit at all), and no one but the designated handler
ever gets a response carrying the denouncer's name, phone or ID number."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cqtt.accounts.models import Role
from cqtt.complaints import services
from cqtt.complaints.models import IdentityAccess
from tests.complaints.conftest import PERSON, receive
from tests.factories import make_province, make_user

pytestmark = pytest.mark.django_db
REASON = "Cần liên hệ người gửi để xác minh thêm"
SECRETS = (PERSON["full_name"], PERSON["phone"], PERSON["id_number"], PERSON["address"])


@pytest.fixture
def case(world):
    c = receive(world)
    c = services.case_accept(actor=world.leader, case=c)
    return services.case_assign(actor=world.leader, case=c, assignee=world.specialist.username)


def _pages(case):
    event = case.events.get(action="accept").pk
    code = case.code
    return [
        ("get", reverse("complaints:detail", args=[code]), {}),
        ("post", reverse("complaints:reveal", args=[code]), {"reason": REASON}),
        ("get", reverse("complaints:access_log", args=[code]), {}),
        ("get", reverse("complaints:access_log", args=[code]) + "?print=1", {}),
        ("get", reverse("complaints:notice", args=[code, event]), {}),
        (
            "post",
            reverse("complaints:act", args=[code, "conclude"]),
            {"conclude-outcome": "Kết luận thử cho xong.", "conclude-decision_number": "1/KL"},
        ),
    ]


def _api(case):
    code = case.code
    return [
        ("get", reverse("api:complaint", args=[code]) + f"?reveal=1&reason={REASON}", {}),
        ("get", reverse("api:complaint-access-log", args=[code]), {}),
        *[
            (
                "post",
                reverse(f"api:complaint-{a}", args=[code]),
                {"reason": REASON, "outcome": REASON, "target_body": "UBND tỉnh"},
            )
            for a in services.rules.API_ACTIONS
        ],
    ]


def _outsiders(w):
    hanoi = make_province("01", "Thành phố Hà Nội")
    return {
        "counter_b": w.counter_b,
        "specialist_b": w.specialist_b,
        "leader_b": make_user("lanhdao_b", unit=w.b, role=Role.LEADER),
        "admin_b": make_user("quantri_b", unit=w.b, role=Role.UNIT_ADMIN),
        "admin_a": make_user("quantri_a", unit=w.a, role=Role.UNIT_ADMIN),
        "supervisor_01": make_user("giamsat01", unit=hanoi, role=Role.PROVINCIAL_SUPERVISOR),
    }


def test_outsiders_get_404_from_every_page_and_endpoint_of_a_ward_a_case(world, case):
    for name, user in _outsiders(world).items():
        web = Client()
        web.force_login(user)
        for method, url, data in _pages(case):
            r = getattr(web, method)(url, data)
            assert r.status_code == 404, (name, url, r.status_code)
        api = APIClient()
        api.force_authenticate(user)
        for method, url, data in _api(case):
            r = getattr(api, method)(url, data, format="json") if method == "post" else api.get(url)
            assert r.status_code == 404, (name, url, r.status_code)
        lists = web.get(reverse("complaints:list"))
        assert lists.status_code in (403, 200) and case.code not in lists.content.decode(), name
        assert api.get(reverse("api:complaints")).json().get("count", 0) == 0, name
    assert not IdentityAccess.objects.exists()
    assert services.Case.objects.get(pk=case.pk).status == "accepted"


def test_no_one_but_the_handler_gets_the_denouncer_in_any_response(world, case):
    leader2 = make_user("phochutich", unit=world.a, role=Role.LEADER)
    supervisor = make_user("thanhtra", unit=world.city, role=Role.PROVINCIAL_SUPERVISOR)
    insiders = {
        "verifier": world.specialist,
        "counter": world.counter_a,
        "leader2": leader2,
        "observer": world.observer,
        "supervisor": supervisor,
    }
    for name, user in insiders.items():
        web = Client()
        web.force_login(user)
        for method, url, data in _pages(case)[:5]:
            body = getattr(web, method)(url, data).content.decode()
            assert not any(s in body for s in SECRETS), (name, url)
        api = APIClient()
        api.force_authenticate(user)
        for _method, url, _data in _api(case)[:2]:
            body = api.get(url).content.decode()
            assert not any(s in body for s in SECRETS), (name, url)
        assert not any(s in api.get(reverse("api:complaints")).content.decode() for s in SECRETS)
    assert not IdentityAccess.objects.exists()
    web = Client()
    web.force_login(world.leader)
    assert (
        PERSON["full_name"]
        in web.post(reverse("complaints:reveal", args=[case.code]), {"reason": REASON}).content.decode()
    )
    assert IdentityAccess.objects.count() == 1


def test_the_observer_and_the_desk_cannot_decide(world, case):
    for user in (world.observer, world.counter_a):
        api = APIClient()
        api.force_authenticate(user)
        r = api.post(
            reverse("api:complaint-conclude", args=[case.code]),
            {"outcome": REASON, "decision_number": "1"},
            format="json",
        )
        assert r.status_code == 403
    assert services.Case.objects.get(pk=case.pk).status == "accepted"
