from django.core.management.base import BaseCommand

from programs.figures import figures_reset


class Command(BaseCommand):
    help = (
        "Forget every program's cached figures (counts, chart, funder report), so the next view computes them "
        "from the database. Needed only after a write past the services, such as SQL by hand."
    )

    def handle(self, *args, **options):
        count = figures_reset()
        self.stdout.write(f"{count} programs: figures will be computed afresh.")
