"""django-auditlog ships no Swedish. The words of it that the admin shows a
superuser (the actions, the entry's fields, the table of changes) are named
here, so that they are in our own catalogue: Django looks a text up in every
catalogue, ours first. Only named: nothing imports this module."""

from django.utils.translation import gettext_noop

AUDITLOG_TEXTS = [
    gettext_noop("create"),
    gettext_noop("update"),
    gettext_noop("delete"),
    gettext_noop("access"),
    gettext_noop("action"),
    gettext_noop("actor"),
    gettext_noop("actor email"),
    gettext_noop("timestamp"),
    gettext_noop("content type"),
    gettext_noop("object pk"),
    gettext_noop("object id"),
    gettext_noop("object representation"),
    gettext_noop("additional data"),
    gettext_noop("change message"),
    gettext_noop("Changes"),
    gettext_noop("Resource Type"),
    gettext_noop("Field"),
    gettext_noop("From"),
    gettext_noop("To"),
    gettext_noop("Relationship"),
    gettext_noop("Objects"),
    gettext_noop("Created {repr:s}"),
    gettext_noop("Updated {repr:s}"),
    gettext_noop("Deleted {repr:s}"),
    gettext_noop("Logged {repr:s}"),
]
