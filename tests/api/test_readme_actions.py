"""README's table of API actions lists exactly the actions the API routes (`ACTIONS` → `ACTION_VIEWS`)."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from cqtt.dossiers.apis import ACTION_VIEWS, ACTIONS


def _readme_row() -> str:
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    return next(
        line for line in readme.splitlines() if line.startswith("| `POST /api/v1/dossiers/<code>/<action>/`")
    )


def test_readme_lists_every_routed_action_and_no_other():
    row = _readme_row()
    routed_part, _sep, page_only_part = row.partition("The staff pages also offer")
    listed = set(re.findall(r"`([a-z-]+)`", routed_part))
    assert listed == set(ACTIONS) == set(ACTION_VIEWS)
    for action in listed:
        assert reverse(f"api:dossier-{action}", args=["X"]).endswith(f"/{action}/")
    page_only = set(re.findall(r"`([a-z-]+)`", page_only_part))
    assert page_only == {"request-intake-supplement", "return-same-day"}
    assert not page_only & set(ACTIONS)
