import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from privacy.selectors import personal_data_export


class Command(BaseCommand):
    help = "Everything stored about a person, as JSON on standard output."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No person with the address {email}.")
        self.stdout.write(json.dumps(personal_data_export(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
