import pytest

from tests.dossiers.conftest import world  # noqa: F401 (the dossier tests' world)
from tests.notifications.conftest import gateway, notify_settings  # noqa: F401 (the local SMS gateway)


@pytest.fixture(autouse=True)
def _hotline(request):
    """Ward A has a hotline (a signed letter names it; a letter with a hole is not signed)."""
    if "world" in request.fixturenames:
        world = request.getfixturevalue("world")
        world.a.phone = "0274 3822 123"
        world.a.save(update_fields=["phone"])
