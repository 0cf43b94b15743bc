from django.db import migrations, models


def fill(apps, schema_editor):
    Unit = apps.get_model("units", "Unit")
    for unit in Unit.objects.all().only("pk", "code", "digital_id").iterator():
        Unit.objects.filter(pk=unit.pk).update(dossier_prefix=unit.digital_id or unit.code)


class Migration(migrations.Migration):
    dependencies = [("units", "0002_unit_digital_id")]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="dossier_prefix",
            field=models.CharField(default="", editable=False, max_length=35, verbose_name="tiền tố mã hồ sơ"),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="unit",
            name="dossier_prefix",
            field=models.CharField(editable=False, max_length=35, unique=True, verbose_name="tiền tố mã hồ sơ"),
        ),
    ]
