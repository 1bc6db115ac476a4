"""People over HTTP, against a server in another process: log in with the
login form and post forms with their CSRF token, as a browser does (for the
production setup's tests; the test client cannot reach another process)."""

import time

import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher

PASSWORD = "mentorskap-prod-test"


def production_hash(password=PASSWORD):
    """A hash the production settings accept (the tests hash with MD5, which
    production does not know). Made once: the same hash serves every person."""
    return PBKDF2PasswordHasher().encode(password, PBKDF2PasswordHasher().salt())


class Person:
    def __init__(self, base_url, email, password=PASSWORD):
        self.base_url, self.email, self.password = base_url, email, password
        self.session = requests.Session()

    def get(self, path):
        return self._retry(lambda: self.session.get(self.base_url + path, allow_redirects=False, timeout=60))

    def post(self, path, data):
        """A form post with the CSRF token; sent again when the connection
        broke (a web worker killed mid-request): the forms used here are
        safe to send twice (booking the same time again returns that meeting)."""

        def send():
            self.session.get(self.base_url + path, allow_redirects=False, timeout=60)
            token = self.session.cookies.get("csrftoken")
            return self.session.post(
                self.base_url + path,
                data={**data, "csrfmiddlewaretoken": token},
                headers={"Referer": self.base_url + path},
                allow_redirects=False,
                timeout=60,
            )

        return self._retry(send)

    def log_in(self):
        response = self.post("/konto/login/", {"login": self.email, "password": self.password})
        assert response.status_code == 302, (response.status_code, response.text[-2000:])
        return self

    def _retry(self, send, attempts=5):
        for attempt in range(attempts):
            try:
                return send()
            except requests.ConnectionError:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.5)
        raise AssertionError("unreachable")
