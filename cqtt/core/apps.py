from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cqtt.core"
    label = "core"
    verbose_name = _("Nền tảng chung")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from .middleware import session_started
        from .pgtime import use_compiled_timestamp_loader

        connection_created.connect(use_compiled_timestamp_loader, dispatch_uid="cqtt-pg-timestamps")
        user_logged_in.connect(session_started, dispatch_uid="cqtt-session-started")
