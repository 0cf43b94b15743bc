# the fixtures the moved tests were written against: the dossier world and the procedure catalogue's units
from tests.dossiers.conftest import world  # noqa: F401
from tests.procedures.conftest import commune, commune2, province  # noqa: F401
