"""Security headers, CSP without inline script, production settings and
`check --deploy`."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from accounts.services import invitation_create

from .helpers.settings import PRODUCTION_ENV, run_with_production_env

BASE_DIR = Path(__file__).resolve().parent.parent


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_csp_allows_only_our_own_scripts_and_styles(client, db):
    response = client.get(reverse("account_login"))
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_frame_referrer_and_sniffing_headers(client, db):
    response = client.get(reverse("account_login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


class ScriptAndStyleFinder(HTMLParser):
    """Collects what a CSP of 'self' would block: inline scripts, inline
    event handlers, style attributes and style elements."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") not in ("application/json",):
            self.problems.append(f"inline <script> {attrs}")
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in attrs:
            self.problems.append(f"style attribute on <{tag}>")
        self.problems += [f"{name} handler on <{tag}>" for name in attrs if name.startswith("on")]
        href = attrs.get("href") or ""
        if href.strip().lower().startswith("javascript:"):
            self.problems.append(f"javascript: link on <{tag}>")


def inline_code(html):
    finder = ScriptAndStyleFinder()
    finder.feed(html)
    return finder.problems


@pytest.fixture
def verified_mentee(mentee):
    EmailAddress.objects.create(user=mentee, email=mentee.email, verified=True, primary=True)
    return mentee


ANONYMOUS_PAGES = [
    "account_login",
    "account_request_login_code",
    "account_reset_password",
    "account_reset_password_done",
    "account_signup",
]
ACCOUNT_PAGES = [
    "home",
    "account_email",
    "account_change_password",
    "account_logout",
    "mfa_index",
    "mfa_activate_totp",
    "usersessions_list",
]


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_pages_have_no_inline_code(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


@pytest.mark.parametrize("name", ACCOUNT_PAGES)
def test_account_pages_have_no_inline_code(client, verified_mentee, name):
    client.force_login(verified_mentee)
    response = client.get(reverse(name), follow=True)
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


def test_invitation_pages_have_no_inline_code(client, mentorship, django_user_model):
    person = django_user_model.objects.create_user("ny@example.org")
    invitation = invitation_create(user=person, mentorship=mentorship)
    url = reverse("invitation_accept", args=[invitation.public_id])
    assert inline_code(client.get(url).content.decode()) == []
    invitation.used_at = invitation.created_at
    invitation.save()
    response = client.get(url)
    assert response.status_code == 410
    assert inline_code(response.content.decode()) == []


def test_our_templates_carry_no_inline_script():
    """Every template we write, rendered or not (e-mail templates aside)."""
    offenders = []
    for path in (BASE_DIR / "templates").rglob("*.html"):
        if "emails" in path.parts:
            continue
        text = path.read_text()
        for match in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in match.group(1) and "application/json" not in match.group(1):
                offenders.append(str(path.relative_to(BASE_DIR)))
        if re.search(r"\sstyle=\"|\son[a-z]+=\"", text):
            offenders.append(f"{path.relative_to(BASE_DIR)} (inline style or handler)")
    assert offenders == []


def test_logout_is_never_a_get(client, mentee):
    client.force_login(mentee)
    response = client.get(reverse("account_logout"))
    assert response.status_code == 200  # a confirmation page with a POST form
    assert client.get(reverse("account_email")).status_code == 200  # still logged in
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get(reverse("account_email")).status_code == 302


def test_forms_carry_a_csrf_token(client, verified_mentee):
    for name in ("account_login", "account_request_login_code", "account_reset_password"):
        assert "csrfmiddlewaretoken" in client.get(reverse(name)).content.decode(), name
    client.force_login(verified_mentee)
    for name in ("account_email", "account_change_password", "account_logout", "usersessions_list"):
        assert "csrfmiddlewaretoken" in client.get(reverse(name)).content.decode(), name


def test_a_post_without_csrf_token_is_refused(db):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("account_login"), {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403


# --- production settings, in a fresh process --------------------------------


def test_check_deploy_reports_nothing_with_production_settings():
    result = run_with_production_env("manage.py", "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr, result.stdout + result.stderr


def test_production_cookies_are_secure_and_http_only():
    script = (
        "import json, django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mentorskap.settings');"
        "django.setup(); from django.conf import settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'DEBUG', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY',"
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_AGE', 'SESSION_SAVE_EVERY_REQUEST',"
        "'ACCOUNT_LOGOUT_ON_GET', 'ACCOUNT_PREVENT_ENUMERATION', 'X_FRAME_OPTIONS')}))"
    )
    result = run_with_production_env("-c", script)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] >= 31536000
    # Inactivity expiry: two weeks from the last request, renewed every few
    # minutes (accounts.session_activity), not written on every request.
    assert values["SESSION_COOKIE_AGE"] == 14 * 24 * 3600 and not values["SESSION_SAVE_EVERY_REQUEST"]
    assert values["ACCOUNT_LOGOUT_ON_GET"] is False and values["ACCOUNT_PREVENT_ENUMERATION"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"


def test_production_refuses_to_start_without_a_secret_key():
    env_backup = PRODUCTION_ENV.pop("DJANGO_SECRET_KEY")
    try:
        result = run_with_production_env("manage.py", "check")
    finally:
        PRODUCTION_ENV["DJANGO_SECRET_KEY"] = env_backup
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_can_share_the_rate_limit_cache_between_processes():
    script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mentorskap.settings');"
        "django.setup(); from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    )
    result = run_with_production_env("-c", script)
    assert result.stdout.strip().endswith("mentorskap.redis_cache.RedisCache"), result.stderr


def test_production_refuses_to_start_with_a_per_process_cache():
    env_backup = PRODUCTION_ENV.pop("CACHE_URL")
    try:
        result = run_with_production_env("manage.py", "check", "--deploy")
    finally:
        PRODUCTION_ENV["CACHE_URL"] = env_backup
    assert result.returncode != 0
    assert "CACHE_URL must name a cache all web processes share" in result.stderr


# --- nothing a logged-in person sees is kept by the browser or a proxy --------


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("mentee", "/"),
        ("mentee", "/konto/profil/"),
        ("coordinator", "/program/"),
        ("mentee", "/notiser/"),
        ("mentee", "/konto/email/"),
        ("mentee", "/konto/2fa/"),
        ("coordinator", "/admin/"),
        ("mentee", "/mentorskap/00000000-0000-4000-8000-000000000000/"),  # a 404 too
    ],
)
def test_every_page_for_a_logged_in_person_says_no_store(client_for, request, mentorship, who, url):
    response = client_for(request.getfixturevalue(who)).get(url)
    assert response.status_code in (200, 404), url
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives, (url, response["Cache-Control"])


def test_the_journal_pages_keep_their_never_cache(client_for, mentee, mentorship):
    response = client_for(mentee).get(reverse("mentorship_detail", args=[mentorship.public_id]))
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_a_login_answers_no_store_once_the_person_is_logged_in(client, mentee):
    mentee.set_password("ett-langt-losenord-1")
    mentee.save()
    response = client.post(reverse("account_login"), {"login": mentee.email, "password": "ett-langt-losenord-1"})
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


SETLANG = """
import json, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorskap.settings")
django.setup()
from django.test import Client
response = Client().post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True,
                         headers={"host": "mentorskap.example.org"})
cookie = response.cookies["django_language"]
print(json.dumps({"status": response.status_code, "value": cookie.value, "secure": bool(cookie["secure"]),
                  "samesite": cookie["samesite"], "httponly": bool(cookie["httponly"])}))
"""


def test_the_language_cookie_is_secure_and_same_site_in_production():
    result = run_with_production_env("-c", SETLANG)
    assert result.returncode == 0, result.stderr
    cookie = json.loads(result.stdout.strip().splitlines()[-1])
    assert cookie == {"status": 302, "value": "en", "secure": True, "samesite": "Lax", "httponly": True}


def test_the_profile_sets_the_language_cookie_like_the_language_switch(client_for, mentee, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    client = client_for(mentee)
    client.post(reverse("profile"), {"name": "Maja", "language": "en"})
    from_profile = client.cookies["django_language"]
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    from_switch = client.cookies["django_language"]
    for flag in ("secure", "samesite", "httponly", "path"):
        assert from_profile[flag] == from_switch[flag], flag
    assert from_switch["secure"] and from_switch["samesite"] == "Lax"
