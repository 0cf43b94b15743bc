from django.db import migrations, models

from cqtt.dossiers.rules import search_text

INDEX = "dossier_search_trgm"


def fill(apps, schema_editor):
    """Existing dossiers get their search text, a thousand rows at a time."""
    Dossier = apps.get_model("dossiers", "Dossier")
    rows = Dossier.objects.using(schema_editor.connection.alias).order_by("pk")
    last = 0
    while True:
        batch = list(
            rows.filter(pk__gt=last).only("code", "applicant_name", "applicant_id_number", "applicant_phone")[
                :1000
            ]
        )
        if not batch:
            return
        for d in batch:
            d.search_text = search_text(d.code, d.applicant_name, d.applicant_id_number, d.applicant_phone)
        Dossier.objects.using(schema_editor.connection.alias).bulk_update(batch, ["search_text"])
        last = batch[-1].pk


def trigram_index(apps, schema_editor):
    """PostgreSQL only (ADR 0012): a trigram GIN index serves `search_text LIKE '%…%'`. pg_trgm is a trusted
    extension, so the database's owner may create it. SQLite reads the unit's dossiers instead."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON dossiers_dossier USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0008_idempotency_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="search_text",
            field=models.CharField(
                blank=True, editable=False, max_length=400, verbose_name="nội dung tìm kiếm"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
