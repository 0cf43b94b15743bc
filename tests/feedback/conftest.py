import pytest

from cqtt.accounts.models import Role
from cqtt.feedback import services
from cqtt.feedback.models import Channel
from tests.dossiers.conftest import at, world  # noqa: F401 (the dossier tests' world: wards A and B, staff of A)
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _public_base(settings):
    settings.NOTIFY = {**settings.NOTIFY, "PUBLIC_BASE_URL": "https://motcua.example.vn"}


@pytest.fixture
def admin_a(world):  # noqa: F811 (the fixture imported above)
    """Ward A's unit administrator (the world has none)."""
    return make_user("quantri", unit=world.a, role=Role.UNIT_ADMIN, full_name="Võ Quản Trị")


def submit(
    w,
    *,
    unit=None,
    content="Đèn đường trước nhà số 12 Bạch Đằng bị hỏng đã hai tuần.",
    kind="report",
    phone="0912345678",
    email="",
    name="Phạm Văn Bình",
    when=None,
    channel=Channel.WEB,
    **kw,
):
    return services.feedback_submit(
        unit=unit or w.a,
        kind=kind,
        content=content,
        channel=channel,
        sender=services.SenderData(name=name, phone=phone, email=email),
        at=when or at(2026, 11, 24, 10, 0),
        **kw,
    )
