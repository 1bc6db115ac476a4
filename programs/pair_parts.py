"""What goes with a pair when it is deleted, declared by the apps that keep
it: the invitations (accounts), the e-mail (outbox) and the journal (sessions,
which sits above this app and declares its models from its AppConfig.ready).

Their own admins let nobody delete them one by one; with the pair they go,
and whether the pair may go is decided by the pair's admin. They are named on
the delete page by their str(); anything else is named only by its kind,
because "kom ihåg" items and comments would show their note text.
"""

from django.db import models

_parts: set[type[models.Model]] = set()


def pair_parts_register(*parts: type[models.Model]) -> None:
    _parts.update(parts)


def is_pair_part(model: type[models.Model]) -> bool:
    return model in _parts
