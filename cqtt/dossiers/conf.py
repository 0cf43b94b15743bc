"""What a deployment may change in the dossier lifecycle (`settings.DOSSIERS`), with the defaults: read by the
services and by anything that builds dossiers the way the services do (the synthetic generator)."""

from datetime import date

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULTS = {
    "TIMELINESS_COMPARE": "date",  # "date" or "datetime" (`rules.classify`)
    "CODE_GENERATOR": "cqtt.dossiers.rules.dossier_code",
    "SUPPLEMENT_WARNING_DAYS": 3,
}


def dossier_setting(key: str):
    return getattr(settings, "DOSSIERS", {}).get(key, DEFAULTS[key])


def dossier_code_for(unit_identifier: str, day: date, seq: int) -> str:
    """The code of the `seq`-th dossier a unit (its `dossier_prefix`) receives on `day`, by the configured
    generator (`rules.dossier_code` unless `DOSSIERS["CODE_GENERATOR"]` names another)."""
    return import_string(dossier_setting("CODE_GENERATOR"))(unit_identifier, day, seq)
