from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cqtt.accounts"
    label = "accounts"
    verbose_name = _("Cán bộ và phân quyền")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cqtt.units.models import Unit

        from .models import RoleAssignment, User
        from .permissions import scope_changed

        for model in (RoleAssignment, Unit, User):
            post_save.connect(scope_changed, sender=model, dispatch_uid=f"scope-{model.__name__}-save")
            post_delete.connect(scope_changed, sender=model, dispatch_uid=f"scope-{model.__name__}-delete")
