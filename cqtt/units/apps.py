from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "cqtt.units"
    label = "units"
    verbose_name = _("Đơn vị hành chính")

    def ready(self) -> None:
        from cqtt.core import outbox

        # a low rating about an officer at a counter: record the footage window (once per rating)
        outbox.subscribe("rating.rated", "cqtt.units.reactions.on_rating_rated")
