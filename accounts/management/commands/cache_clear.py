from django.core.cache import caches
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Empty the shared cache: the sessions' copies, the logged-in people's rows, the programs' figures and "
        "the login rate limits are read from the database or start afresh. Run it after restoring a backup, "
        "so nothing cached from the newer database outlives it."
    )

    def handle(self, *args, **options):
        for alias in caches:
            caches[alias].clear()
        self.stdout.write("The cache is empty: sessions, people and figures are read from the database again.")
