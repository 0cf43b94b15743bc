from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "cqtt.procedures"
    label = "procedures"
    verbose_name = _("Thủ tục hành chính")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .models import Fee, Procedure, ProcessStep, RequiredDocument
        from .services import part_changed, units_changed

        # a version's parts and units are cached under its `updated_at` (selectors._parts, the dossier
        # services' process plans): any change to them, from the services, the admin or elsewhere, moves it
        for model in (RequiredDocument, Fee, ProcessStep):
            post_save.connect(
                part_changed, sender=model, dispatch_uid=f"procedure-part-saved-{model.__name__}"
            )
            post_delete.connect(
                part_changed, sender=model, dispatch_uid=f"procedure-part-gone-{model.__name__}"
            )
        m2m_changed.connect(units_changed, sender=Procedure.units.through, dispatch_uid="procedure-units")
