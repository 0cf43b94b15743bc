"""The staff home links only pages the user may open: for every role, each link in the page's main part answers
200, and the pages of the citizen-voice apps a role may not open are not linked."""

import re

import pytest
from django.test import Client

from cqtt.accounts.models import Role
from tests.dossiers.conftest import world  # noqa: F401 (the dossier tests' world)
from tests.factories import make_user

HREF = re.compile(r'href="(/[^"#]*)"')


def _links(client) -> list[str]:
    html = client.get("/tai-khoan/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return sorted(set(HREF.findall(main)))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["counter_a", "specialist", "leader", "observer", "admin", "supervisor"])
def test_every_link_on_the_staff_home_opens(world, who):  # noqa: F811
    world.admin = make_user("quantri", unit=world.a, role=Role.UNIT_ADMIN)
    world.supervisor = make_user("tinh", unit=world.city, role=Role.PROVINCIAL_SUPERVISOR)
    user = getattr(world, who)
    client = Client()
    client.force_login(user)
    links = _links(client)
    assert links, who
    for href in links:
        assert client.get(href).status_code == 200, (who, href)
    if who in ("counter_a", "specialist", "observer"):
        assert "/thong-bao/mau/" not in links
    if who == "observer":
        assert "/thong-bao/" not in links and "/thu/" not in links
    if who in ("counter_a", "specialist"):
        assert "/danh-gia/" not in links
