"""The eight focus areas of the paper template, in its words and order."""

from django.db import migrations

TEMPLATE_FOCUS_AREAS = [
    ("associations", "Strategiskt arbete"),
    ("associations", "Omstrukturering/Omorganisering pga. nya förutsättningar"),
    ("associations", "Uppstart av en ny verksamhet"),
    ("associations", "Samverkan"),
    ("individuals", "Utveckling i befintlig roll"),
    ("individuals", "Utveckling till en ny roll"),
    ("individuals", "Nya förutsättningar ex. familjesituation"),
    ("individuals", "Hållbart och långvarigt ledarskap"),
]


def seed(apps, schema_editor):
    FocusArea = apps.get_model("programs", "FocusArea")
    for position, (kind, name) in enumerate(TEMPLATE_FOCUS_AREAS, start=1):
        FocusArea.objects.get_or_create(name=name, defaults={"kind": kind, "position": position})


def unseed(apps, schema_editor):
    FocusArea = apps.get_model("programs", "FocusArea")
    FocusArea.objects.filter(name__in=[name for _kind, name in TEMPLATE_FOCUS_AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
