"""Simulated people for `make load` (locust): each logs in with the login
form, then over and over reads their mentorship page, opens the notes of
one of their meetings and saves them with a new line carrying a marker of
its own. The markers saved (answered with the redirect a save gets) are
written to LOAD_MARKERS at the end, and the runner checks every one is in
the database.

Each person connects from an address of their own on the loopback range
(127.0.x.y): the login rate limit counts per client address, as it counts
each person behind a proxy, and here nobody's limit is raised.

Run by loadtest/__main__.py; LOAD_PEOPLE names the JSON file of people."""

import html
import itertools
import json
import os
import threading
import uuid
from html.parser import HTMLParser

from locust import HttpUser, between, events, task
from requests.adapters import HTTPAdapter

PEOPLE = json.loads(open(os.environ["LOAD_PEOPLE"]).read())  # noqa: SIM115, PTH123 - read once at start
PASSWORD = os.environ["LOAD_PASSWORD"]
WAIT_MIN = float(os.environ.get("LOAD_WAIT_MIN", "1"))
WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "3"))
SAVED = []  # (meeting public id, marker) of every save the server confirmed
_lock = threading.Lock()
_numbers = itertools.count()


class FormFields(HTMLParser):
    """The fields a browser would send from each form of a page: inputs
    (checked boxes only), textareas, selects' chosen options."""

    def __init__(self):
        super().__init__()
        self.forms, self.fields, self.textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.fields = []
            self.forms.append(self.fields)
        elif self.fields is None or "name" not in a:
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "checkbox", "radio", "file"):
            self.fields.append([a["name"], a.get("value") or ""])
        elif tag == "input" and "checked" in a:
            self.fields.append([a["name"], a.get("value") or "on"])
        elif tag == "textarea":
            self.textarea = [a["name"], ""]
            self.fields.append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.fields = None


def form_fields(page, field):
    """The fields of the page's form that has `field`."""
    parser = FormFields()
    parser.feed(page)
    form = next((f for f in parser.forms if any(name == field for name, _ in f)), [])
    # A textarea's first newline is not part of its value.
    return {name: html.unescape(value).removeprefix("\n") for name, value in form}


class SourceAddress(HTTPAdapter):
    """Connections from one loopback address: this person's own."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Person(HttpUser):
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self):
        number = next(_numbers)
        self.me = PEOPLE[number % len(PEOPLE)]
        # 127.0.1.1, 127.0.1.2, ...: never 127.0.0.1, where the server is.
        self.client.mount("http://", SourceAddress(f"127.0.{1 + number // 250}.{1 + number % 250}"))
        self.client.get("/konto/login/", name="login form")
        with self.client.post(
            "/konto/login/",
            data={
                "login": self.me["email"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken"),
            },
            allow_redirects=False,
            name="log in",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")

    @task
    def read_and_save(self):
        self.client.get(f"/mentorskap/{self.me['mentorship']}/", name="mentorship page")
        notes = f"/tillfalle/{self.me['meeting']}/anteckningar/"
        page = self.client.get(notes, name="notes form")
        if page.status_code != 200:
            return
        fields = form_fields(page.text, "summary")
        marker = f"load-{uuid.uuid4().hex}"
        fields["summary"] = (fields.get("summary", "").rstrip() + f"\nSparat under lasttestet: {marker}").strip()
        with self.client.post(notes, data=fields, allow_redirects=False, name="save notes", catch_response=True) as r:
            if r.status_code == 302:
                with _lock:
                    SAVED.append((self.me["meeting"], marker))
            else:
                r.failure(f"saving the notes answered {r.status_code}")


@events.test_stop.add_listener
def _write_markers(**kwargs):
    with open(os.environ["LOAD_MARKERS"], "w") as out:  # noqa: PTH123
        json.dump(SAVED, out)
