import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from privacy.services import personal_data_erase


class Command(BaseCommand):
    help = "Erase a person: name, address and own free text become placeholders, the login is closed."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="Really erase (there is no undo).")

    def handle(self, *args, email, yes, **options):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No person with the address {email}.")
        if not yes:
            raise CommandError("Nothing done: add --yes to erase (there is no undo).")
        report = personal_data_erase(user=user)
        self.stdout.write(json.dumps(report, indent=2) if report else "Nothing to change: already erased.")
