from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cqtt.accounts"
    label = "accounts"
    verbose_name = _("Cán bộ và phân quyền")

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from cqtt.units.models import Unit
        from cqtt.units.signals import units_bulk_changed

        from . import permissions as p
        from .models import RoleAssignment, User

        # cached permission scopes follow the data they were read from (invalidated per user, on commit)
        pre_save.connect(p.user_pre_save, sender=User, dispatch_uid="scope-User-pre")
        post_save.connect(p.user_post_save, sender=User, dispatch_uid="scope-User-save")
        post_delete.connect(p.user_post_delete, sender=User, dispatch_uid="scope-User-delete")
        post_save.connect(p.grant_changed, sender=RoleAssignment, dispatch_uid="scope-Role-save")
        post_delete.connect(p.grant_changed, sender=RoleAssignment, dispatch_uid="scope-Role-delete")
        pre_save.connect(p.unit_pre_save, sender=Unit, dispatch_uid="scope-Unit-pre")
        post_save.connect(p.unit_post_save, sender=Unit, dispatch_uid="scope-Unit-save")
        post_delete.connect(p.unit_post_delete, sender=Unit, dispatch_uid="scope-Unit-delete")
        units_bulk_changed.connect(p.units_bulk_changed, dispatch_uid="scope-Unit-bulk")
