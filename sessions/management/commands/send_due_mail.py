"""Send the outbox's due e-mails once: for those who run cron instead of beat.

    * * * * *  cd /srv/mentorskap && .venv/bin/python manage.py send_due_mail --nudges

Safe to run beside beat, or twice at once: each e-mail still goes out once.
"""

from django.core.management.base import BaseCommand

from outbox.dispatch import dispatch_due_mail
from outbox.heartbeat import heartbeat_record
from outbox.secrets import mail_secrets_clear
from sessions.nudges import nudges_scan


class Command(BaseCommand):
    help = "Send the e-mails that are due (reminders, invitations, nudges), each exactly once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--nudges",
            action="store_true",
            help="Also end pairs past their end date and scan for nudges and digests first.",
        )

    def handle(self, *args, nudges=False, **options):
        # Cron is the scheduler here: /readyz asks whether one was seen lately.
        heartbeat_record()
        if nudges:
            written = nudges_scan()
            self.stdout.write("scan: " + ", ".join(f"{k}={v}" for k, v in written.items()))
        counts = dispatch_due_mail()
        counts["secrets_cleared"] = mail_secrets_clear()
        summary = ", ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "nothing due"
        self.stdout.write(f"outbox: {summary}")
