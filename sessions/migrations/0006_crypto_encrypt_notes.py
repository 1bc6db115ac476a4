"""Encrypt the notes already stored (issue 12), in batches of 500 rows, each
its own transaction (atomic = False), so a large journal is never one long
transaction and a save meanwhile waits for one batch at most. Values already
encrypted are left as they are, so a run that was interrupted can simply run
again. Reversed, it decrypts them (with the keys configured now).

An older version still serving while this runs reads the encrypted rows as
tokens; what it writes meanwhile is plain text, which this version reads as
it is and `manage.py rotate_note_keys` encrypts. The safest order is: this
app's 0005 (the schema), then the new version, then this migration; running
`migrate` at once is safe too.
"""

from django.db import migrations

from mentorskap.encrypted_rows import migrate_decrypt, migrate_encrypt

NOTES = {
    "agreement": [
        "purpose_and_goals",
        "roles",
        "communication",
        "areas",
        "confidentiality_notes",
        "meeting_arrangements",
        "costs",
        "summary",
    ],
    "agreementversion": ["content"],
    "meeting": ["reflection", "summary"],
    "reminderitem": ["text"],
    "comment": ["text"],
}


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("mentoring_sessions", "0005_crypto_note_columns"),
    ]

    operations = [
        migrations.RunPython(
            migrate_encrypt("mentoring_sessions", NOTES), migrate_decrypt("mentoring_sessions", NOTES), elidable=False
        ),
    ]
