from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "cqtt.evaluation"
    label = "evaluation"
    verbose_name = _("Đánh giá mô hình và chỉ số phục vụ")

    def ready(self) -> None:
        from cqtt.core import outbox

        from .read_model import CONSUMERS

        for kind, consumer in CONSUMERS.items():
            outbox.subscribe(kind, consumer)
