from django.core.management.base import BaseCommand

from privacy.services import retention_apply


class Command(BaseCommand):
    help = "Anonymise the pairs of programs past their retention time (--dry-run lists what would go)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run, **options):
        plans = retention_apply(dry_run=dry_run)
        for plan in plans:
            self.stdout.write(
                f"{plan.program.name} (since {plan.on}): {len(plan.pairs)} pairs, "
                f"{len(plan.people)} people erased, {plan.mail} e-mails deleted"
            )
        if not plans:
            self.stdout.write("Nothing to anonymise.")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
