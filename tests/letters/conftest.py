from tests.dossiers.conftest import world  # noqa: F401 (the dossier tests' world)
from tests.notifications.conftest import gateway, notify_settings  # noqa: F401 (the local SMS gateway)
