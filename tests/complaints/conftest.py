import datetime as dt

import pytest

from cqtt.accounts.models import Role
from cqtt.complaints import services
from tests.dossiers.conftest import at, world  # noqa: F401 (wards A and B, staff of A)
from tests.factories import make_user

PERSON = {
    "full_name": "Phạm Thị Hồng",
    "id_number": "079185001234",
    "address": "Số 12 đường Bạch Đằng, khu phố 3",
    "phone": "0912345678",
}
CONTENT = (
    "Tôi là Phạm Thị Hồng, số điện thoại 0912345678, tố cáo ông Trần Văn Tư, cán bộ địa chính phường, đã nhận "
    "tiền của hộ dân để xác nhận sai nguồn gốc đất tại khu phố 3 trong tháng 10/2026."
)


NOW = "2026-12-02T10:00:00+07:00"  # a Wednesday


@pytest.fixture(autouse=True)
def _frozen(request):
    """Every test here runs at NOW unless it passes its own times (the browser tests run on the real clock)."""
    if request.node.get_closest_marker("browser"):
        yield
        return
    import time_machine

    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def leader2(world):  # noqa: F811
    """A second leader of ward A (a vice-chairman), not the handler."""
    return make_user("phochutich", unit=world.a, role=Role.LEADER, full_name="Đỗ Văn Phó")


@pytest.fixture
def supervisor(world):  # noqa: F811
    return make_user("thanhtra", unit=world.city, role=Role.PROVINCIAL_SUPERVISOR, full_name="Thanh Tra Tỉnh")


def receive(
    w, *, kind="denunciation", actor=None, when=None, received_on=None, person=None, content=CONTENT, **kw
):
    when = when or at(2026, 12, 1, 9, 0)
    return services.case_receive(
        actor=actor or w.leader,
        unit=kw.pop("unit", w.a),
        kind=kind,
        received_on=received_on or when.date(),
        channel=kw.pop("channel", "in_person"),
        person=PERSON if person is None else person,
        content=content,
        at=when,
        **kw,
    )


def day(y, m, d) -> dt.date:
    return dt.date(y, m, d)
