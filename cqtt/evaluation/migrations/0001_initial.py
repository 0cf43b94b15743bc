# The app's first migration: the models come in 0002_indices (read model, indices) and 0002_criteria
# (criteria sets, cycles, targets), merged by 0003.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []
    operations: list = []
