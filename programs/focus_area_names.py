"""The eight seeded focus areas, so that makemessages finds their names.

They are data (programs/migrations/0002_seed_focus_areas.py), stored in the
template's Swedish and shown with {% translate fa.name %}; the msgids are
therefore Swedish, and the English catalogue translates them. A focus area a
coordinator adds later is shown as typed.
"""

from django.utils.translation import gettext_noop

TEMPLATE_FOCUS_AREA_NAMES = [
    gettext_noop("Strategiskt arbete"),
    gettext_noop("Omstrukturering/Omorganisering pga. nya förutsättningar"),
    gettext_noop("Uppstart av en ny verksamhet"),
    gettext_noop("Samverkan"),
    gettext_noop("Utveckling i befintlig roll"),
    gettext_noop("Utveckling till en ny roll"),
    gettext_noop("Nya förutsättningar ex. familjesituation"),
    gettext_noop("Hållbart och långvarigt ledarskap"),
]
