"""The admin forms as the browser posts them, for tests."""

from html.parser import HTMLParser

from django.urls import reverse

PROGRAM_SETTINGS = {
    "description": "",
    "ends_on": "",
    "reminder_days_before": 2,
    "reminder_hours_before": 2,
    "notes_nudge_after_days": 3,
    "booking_nudge_after_days": 14,
    "booking_nudge_max": 3,
    "stalled_after_weeks": 6,
    "agreement_due_weeks": 3,
    "survey_checkin": "on",
    "survey_checkin_after_days": 30,
    "survey_evaluation": "on",
    "survey_anonymous": "on",
}


def program_form(*, name, kind, starts_on, questions=(), **extra):
    """The add/change form of a program, with one inline row per new survey
    question in `questions` (dicts of position, text, answer_type)."""
    data = {
        "name": name,
        "kind": kind,
        "starts_on": starts_on.isoformat(),
        **PROGRAM_SETTINGS,
        "survey_questions-TOTAL_FORMS": len(questions),
        "survey_questions-INITIAL_FORMS": 0,
        "survey_questions-MIN_NUM_FORMS": 0,
        "survey_questions-MAX_NUM_FORMS": 5,
        "_save": "Save",
    }
    for index, row in enumerate(questions):
        data.update({f"survey_questions-{index}-{field}": value for field, value in row.items()})
    data.update(extra)
    return data


def pair_form(program, **extra):
    """The add form of a pair as the browser posts it: two new people."""
    data = {
        "mentor_email": "mentor.ny@example.org",
        "mentor_name": "",
        "mentee_email": "mentee.ny@example.org",
        "mentee_name": "",
        "program": program.pk,
        "status": "invited",
        "starts_on": "",
        "ends_on": "",
        "_save": "Save",
    }
    data.update(extra)
    return data


def pair_edit_form(mentorship, **extra):
    """The change form of a pair as the browser posts it: its people as they
    are, unless `extra` puts someone else in (then without a name, unless
    `extra` gives one)."""
    data = pair_form(mentorship.program, status=mentorship.status)
    for role in ("mentor", "mentee"):
        person = getattr(mentorship, role)
        data[f"{role}_email"] = person.email
        data[f"{role}_name"] = "" if f"{role}_email" in extra else person.name
    data.update(extra)
    return data


def admin_url(model, action="changelist", *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def change_url(obj):
    return admin_url(type(obj), "change", obj.pk)


class _FormReader(HTMLParser):
    """What a browser sends for one form: its enabled fields' values, as
    rendered (checked boxes, selected options, the text of text areas)."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self.select = self.textarea = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        if tag == "input":
            self._input(attrs)
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = attrs.get("name")
            self.add(self.textarea, "")

    def _input(self, attrs):
        kind, name = attrs.get("type", "text"), attrs.get("name")
        if not name or kind in ("submit", "button", "image", "reset", "file"):
            return  # the button pressed is added by the caller
        if kind in ("checkbox", "radio") and "checked" not in attrs:
            return
        self.add(name, attrs.get("value", "on" if kind in ("checkbox", "radio") else ""))

    def handle_data(self, data):
        if self.inside and self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            # A browser drops the newline Django writes after <textarea>.
            text = self.data[self.textarea][-1]
            self.data[self.textarea][-1] = text.removeprefix("\n")
            self.textarea = None


def rendered_form(html, form_id, button="_save"):
    """The form `form_id` of the page `html` as the browser posts it
    unchanged when `button` is pressed: {name: [values]}."""
    reader = _FormReader(form_id)
    reader.feed(html)
    reader.close()
    return {**reader.data, button: ["Save"]}
