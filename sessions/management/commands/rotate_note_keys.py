"""Re-encrypt every encrypted value with the first key of MENTORSKAP_NOTE_KEYS.

To change the key:

1. make a new key and put it first, the old one after it:
   MENTORSKAP_NOTE_KEYS=<new>,<old>; restart web and workers (they now
   encrypt with the new key and still read the old one);
2. `python manage.py rotate_note_keys` re-encrypts what the old key holds;
3. once it reports nothing left under another key, drop the old key.

Every model of every app with an encrypted field is covered (found through
the app registry, so this command imports no app). In batches, each its own
transaction; values already under the first key are left alone, so a second
run changes nothing and an interrupted run can simply run again. Text that
was never encrypted (written by an older version while the data migration
ran) is encrypted too. Exits with an error, and names the rows, when a
value cannot be read with any key given: keep the old key until then.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from mentorskap.encrypted_rows import BATCH_SIZE, models_with_encrypted_fields, rewrite, rotate_stored


class Command(BaseCommand):
    help = "Re-encrypt all encrypted notes with the first key of MENTORSKAP_NOTE_KEYS (in batches, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="rows per transaction")

    def handle(self, *args, batch_size=BATCH_SIZE, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        reports = []
        for model, names in models_with_encrypted_fields(apps.get_models()):
            for report in rewrite(model, names, rotate_stored, batch_size=batch_size):
                self.stdout.write(str(report))
                reports.append(report)
        changed = sum(report.changed for report in reports)
        unreadable = sum(len(report.unreadable) for report in reports)
        if unreadable:
            raise CommandError(
                f"{unreadable} values could not be read with the keys in MENTORSKAP_NOTE_KEYS (listed above): "
                "they were left as they are. Keep the key they were encrypted with in the list and run again."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{changed} values re-encrypted; every encrypted value is now under the first key. "
                "The other keys may be removed from MENTORSKAP_NOTE_KEYS."
            )
        )
