from tests.dossiers.conftest import world  # noqa: F401 (the two-ward world of the dossier tests, for site-wide pages)
