# Built without a lock on PostgreSQL (mentorskap.migration_ops).

from django.db import migrations, models

from mentorskap.migration_ops import AddIndexWithoutLock


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run in a transaction.
    atomic = False

    dependencies = [
        ("accounts", "0002_invitation"),
    ]

    operations = [
        AddIndexWithoutLock(
            model_name="user",
            index=models.Index(fields=["name", "email"], name="user_name_email"),
        ),
    ]
