"""Ask the pairs that are due a check-in survey or an evaluation, and remind
those who have not answered: for those who run cron instead of beat, before
send_due_mail (which sends what this writes).

    0 * * * *  cd /srv/mentorskap && .venv/bin/python manage.py scan_surveys

Safe to run beside beat, or twice at once: each person is asked once.
"""

from django.core.management.base import BaseCommand

from surveys.services import surveys_scan


class Command(BaseCommand):
    help = "Write the follow-up surveys and reminders that are due (sent by send_due_mail or beat)."

    def handle(self, *args, **options):
        written = surveys_scan()
        self.stdout.write("surveys: " + ", ".join(f"{k}={v}" for k, v in written.items()))
