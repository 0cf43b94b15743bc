from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "cqtt.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from rest_framework.authtoken.models import Token

        from cqtt.accounts.permissions import grant_changed

        # a new or revoked token moves its user's generation on commit: every process's remembered check of it
        # is refused on the next request
        post_save.connect(grant_changed, sender=Token, dispatch_uid="scope-Token-save")
        post_delete.connect(grant_changed, sender=Token, dispatch_uid="scope-Token-delete")
