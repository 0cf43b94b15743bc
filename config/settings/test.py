import os

from .base import *  # noqa: F403
from .base import DATABASES, WORKDAYS

DEBUG = False
SECRET_KEY = "test-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run at once in tests; the "db" alias exercises the real worker backend.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "db": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
AXES_ENABLED = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not os.environ.get("DATABASE_URL"):
    DATABASES["default"]["TEST"] = {"NAME": None}  # in-memory
# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# tests roll back overrides between tests: always recheck the override table
WORKDAYS = {**WORKDAYS, "RECHECK_SECONDS": 0}

# consumers of the outbox run at once on commit (immediate task backend); tests/core/test_outbox.py drives the relay
OUTBOX_DELIVERY = "task"
