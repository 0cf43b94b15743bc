from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_criteria_after_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, **kwargs) -> None:
    """After `migrate` (and a test database's flush): the built-in criteria sets, when missing."""
    if using != DEFAULT_DB_ALIAS:
        return
    from .criteria_defaults import load_default_criteria

    load_default_criteria()


class EvaluationConfig(AppConfig):
    name = "cqtt.evaluation"
    label = "evaluation"
    verbose_name = _("Đánh giá mô hình và chỉ số phục vụ")

    def ready(self) -> None:
        post_migrate.connect(
            load_criteria_after_migrate, sender=self, dispatch_uid="evaluation-default-criteria"
        )

        from cqtt.core import outbox

        from .read_model import CONSUMERS

        for kind, consumer in CONSUMERS.items():
            outbox.subscribe(kind, consumer)
