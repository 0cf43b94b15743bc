from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "cqtt.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from rest_framework.authtoken.models import Token

        from cqtt.accounts.permissions import scope_changed

        # a new or revoked token takes effect at once for the token checks cached in each process
        post_save.connect(scope_changed, sender=Token, dispatch_uid="scope-Token-save")
        post_delete.connect(scope_changed, sender=Token, dispatch_uid="scope-Token-delete")
