# A Zalo OA id or a Facebook page id belongs to one unit (the webhooks route its messages to that unit's inbox).

from django.db import migrations, models


def clear_duplicates(apps, schema_editor):
    """Before the constraints: an id set at several units stays with the first of them (lowest id: the unit the
    webhooks routed its messages to until now) and is cleared at the others, for their administrator to set
    again."""
    FeedbackSettings = apps.get_model("feedback", "FeedbackSettings")
    for field in ("zalo_oa_id", "facebook_page_id"):
        seen = set()
        for pk, value in FeedbackSettings.objects.exclude(**{field: ""}).order_by("pk").values_list("pk", field):
            if value in seen:
                FeedbackSettings.objects.filter(pk=pk).update(**{field: ""})
            seen.add(value)


class Migration(migrations.Migration):

    dependencies = [
        ("feedback", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(clear_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="feedbacksettings",
            constraint=models.UniqueConstraint(
                condition=models.Q(("zalo_oa_id", ""), _negated=True),
                fields=("zalo_oa_id",),
                name="feedback_zalo_oa_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="feedbacksettings",
            constraint=models.UniqueConstraint(
                condition=models.Q(("facebook_page_id", ""), _negated=True),
                fields=("facebook_page_id",),
                name="feedback_facebook_page_once",
            ),
        ),
    ]
