"""The task worker (django-tasks-db) picks up work enqueued in the same transaction as a change."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks import task

from cqtt.core.models import AuditEvent


@task(backend="db")
def record_ping_task(marker: str) -> str:
    AuditEvent.objects.create(
        occurred_at="2026-11-21T08:00:00+07:00", action="test.ping", object_type="test", object_id=marker
    )
    return marker


@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_a_task_enqueued_on_commit():
    with transaction.atomic():
        transaction.on_commit(lambda: record_ping_task.enqueue("abc"))
    assert not AuditEvent.objects.filter(action="test.ping").exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--backend", "db", verbosity=0)
    assert AuditEvent.objects.filter(action="test.ping", object_id="abc").exists()
