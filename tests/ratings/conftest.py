import pytest

from cqtt.accounts.models import Role
from tests.dossiers.conftest import world  # noqa: F401 (the dossier tests' world)
from tests.factories import make_user


@pytest.fixture
def staff(request):
    """Ward A's administrator; the counter officer serves counter 1; ward B's administrator."""
    w = request.getfixturevalue("world")
    w.admin = make_user("quantri", unit=w.a, role=Role.UNIT_ADMIN, full_name="Đỗ Thu Trang")
    w.admin_b = make_user("quantri2", unit=w.b, role=Role.UNIT_ADMIN)
    w.counter.officers.add(w.counter_a)
    return w
