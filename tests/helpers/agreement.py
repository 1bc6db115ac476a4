"""The agreement as a pair writes it: the text of every section, once for
all the tests (form posts, the browser, rows made directly)."""

from django.urls import reverse

# The text of each of the agreement's text fields.
AGREEMENT_TEXT = {
    "purpose_and_goals": "Att växa som ordförande och leda styrelsemöten med lugn.",
    "roles": "Maja driver och förbereder; Erik lyssnar, frågar och delar erfarenhet.",
    "communication": "E-post i första hand, svar inom en vecka. Inga samtal efter 21.",
    "areas": "Ledarskap och föreningens ekonomi, inte personliga frågor om jobbet.",
    "confidentiality_notes": "Koordinatorn får läsa överenskommelsen men inte anteckningarna.",
    "meeting_arrangements": "En gång i månaden, en och en halv timme, växelvis på video och på café.",
    "costs": "Var och en betalar sitt eget fika.",
    "summary": "Vi lärde känna varandra och kom överens om ramarna.",
}

# The agreement form as the browser posts it, valid (without "version").
AGREEMENT_FIELDS = {**AGREEMENT_TEXT, "confidentiality": "private"}


def agreement_post(client, mentorship, version=0, **overrides):
    data = {**AGREEMENT_FIELDS, "version": version, **overrides}
    return client.post(reverse("agreement_edit", args=[mentorship.public_id]), data)
