from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_defaults_after_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, **kwargs) -> None:
    """After `migrate` (and a test database's flush): the built-in forms, when missing (cqtt.surveys.defaults)."""
    if using != DEFAULT_DB_ALIAS:
        return
    from .defaults import load_default_forms

    load_default_forms()


class SurveysConfig(AppConfig):
    name = "cqtt.surveys"
    label = "surveys"
    verbose_name = _("Khảo sát ý kiến")

    def ready(self) -> None:
        post_migrate.connect(load_defaults_after_migrate, sender=self, dispatch_uid="surveys-default-forms")
