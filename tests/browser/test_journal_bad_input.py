"""Nothing typed is lost: bad input, an expired session, two people saving at
once; and what people type is shown as text, never run.

Elements are found by name and id, not by visible words (translations are
still being written); error messages are checked for being there and next to
their field, not for their wording.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions.models import Agreement, Meeting, MeetingStatus, ReminderItem
from tests.factories import PASSWORD, MeetingFactory
from tests.helpers.agreement import AGREEMENT_TEXT
from tests.helpers.browser import agreement_url, axe_check, login, notes_url, wait_for_draft

pytestmark = pytest.mark.browser

# Every text of the agreement but its purpose, which each test types itself.
TYPED = {name: text for name, text in AGREEMENT_TEXT.items() if name != "purpose_and_goals"}
LONG_TEXT = "Mål " * 2500 + "slut"  # 10004 characters: over the 10000 allowed
SCRIPT = "<script>alert(1)</script>"


def save(page):
    """Press the form's own save button (not "add a row") and wait for the answer."""
    with page.expect_navigation():
        page.click("form[data-draft] button[type=submit]:not([name])")


def field_error(page, name):
    """The error shown with field `name`: the field is marked invalid and the
    message sits in the field's own wrapper, tied to it for screen readers."""
    field = page.locator(f"[name='{name}']").first
    assert "is-invalid" in (field.get_attribute("class") or ""), f"{name} is not marked invalid"
    wrapper = page.locator(f"#div_id_{name}")
    message = wrapper.locator(".invalid-feedback").inner_text().strip()
    assert message, f"no message next to {name}"
    return message


def assert_agreement_text_kept(page, purpose):
    assert page.input_value("textarea[name=purpose_and_goals]") == purpose
    for name, text in TYPED.items():
        assert page.input_value(f"textarea[name={name}]") == text, name
    assert page.is_checked("input[name=confidentiality][value=open]")


def type_agreement(page, purpose):
    page.fill("textarea[name=purpose_and_goals]", purpose)
    for name, text in TYPED.items():
        page.fill(f"textarea[name={name}]", text)
    page.check("input[name=confidentiality][value=open]")


def test_too_long_text_is_refused_and_kept(live_server, page, mentorship):
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(agreement_url(mentorship))
    # The browser itself stops typing at the limit ...
    assert page.get_attribute("textarea[name=purpose_and_goals]", "maxlength") == "10000"
    page.fill("textarea[name=purpose_and_goals]", LONG_TEXT)
    assert len(page.input_value("textarea[name=purpose_and_goals]")) == 10000
    # ... and a browser that does not (or a pasted draft) meets the server's check.
    page.eval_on_selector("textarea[name=purpose_and_goals]", "el => el.removeAttribute('maxlength')")
    type_agreement(page, LONG_TEXT)
    save(page)

    assert page.url.endswith(agreement_url(mentorship))
    assert page.locator(".alert-danger[role=alert]").count() == 1  # the summary on top
    assert field_error(page, "purpose_and_goals")
    assert_agreement_text_kept(page, LONG_TEXT)
    assert not Agreement.objects.filter(mentorship=mentorship, version__gt=0).exists()
    axe_check(page)


@pytest.mark.parametrize(
    ("day", "start", "end", "field"),
    [
        pytest.param(lambda today: today - dt.timedelta(days=1), "18:00", "19:30", "next-date", id="in-the-past"),
        pytest.param(lambda today: today + dt.timedelta(days=10), "18:00", "17:00", "next-end_time", id="end-first"),
        pytest.param(lambda today: dt.date(2027, 3, 28), "02:30", "03:30", "next-start_time", id="dst-gap"),
        pytest.param(lambda today: today + dt.timedelta(days=400), "18:00", "19:00", "next-date", id="too-far"),
    ],
)
def test_bad_booking_is_refused_and_kept(live_server, page, mentorship, day, start, end, field):
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(agreement_url(mentorship))
    purpose = "Att bli tryggare som ordförande."
    type_agreement(page, purpose)
    booked_day = day(timezone.localdate())
    page.fill("input[name=next-date]", booked_day.isoformat())
    page.fill("input[name=next-start_time]", start)
    page.fill("input[name=next-end_time]", end)
    page.fill("input[name=next-location]", "https://video.example.org/rum-7")
    save(page)

    assert page.url.endswith(agreement_url(mentorship))
    assert field_error(page, field)
    assert_agreement_text_kept(page, purpose)
    assert page.input_value("input[name=next-date]") == booked_day.isoformat()
    assert page.input_value("input[name=next-start_time]") == start
    assert page.input_value("input[name=next-end_time]") == end
    assert page.input_value("input[name=next-location]") == "https://video.example.org/rum-7"
    # All or nothing: neither the agreement nor a meeting is saved.
    assert not Agreement.objects.filter(mentorship=mentorship, version__gt=0).exists()
    assert not Meeting.objects.filter(mentorship=mentorship).exists()
    axe_check(page)


def test_script_in_notes_is_shown_as_text(live_server, page, mentorship):
    Agreement.objects.create(mentorship=mentorship, version=1, purpose_and_goals=SCRIPT, summary=SCRIPT)
    Meeting.objects.create(mentorship=mentorship, number=1, status=MeetingStatus.HELD)
    meeting = MeetingFactory(mentorship=mentorship, number=2, starts_at=timezone.now() - dt.timedelta(days=1))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(notes_url(meeting))
    page.fill("textarea[name=reflection]", f"Före {SCRIPT} efter")
    page.fill("textarea[name=summary]", SCRIPT)
    page.fill("input[name=items-0-text]", SCRIPT)
    page.fill("input[name=next-location]", SCRIPT)  # a bad booking: the form comes back
    save(page)
    assert page.input_value("textarea[name=reflection]") == f"Före {SCRIPT} efter"
    page.fill("input[name=next-location]", "")
    save(page)
    meeting.refresh_from_db()
    assert meeting.summary == SCRIPT

    for path in (
        f"/mentorskap/{mentorship.public_id}/",
        f"/tillfalle/{meeting.public_id}/",
        notes_url(meeting),  # the agreement's summary is shown to reflect on
        f"/mentorskap/{mentorship.public_id}/utskrift/",
    ):
        page.goto(path)
        assert SCRIPT in page.inner_text("main"), path
        assert page.locator("main script").count() == 0, path
    page.goto(notes_url(meeting))
    assert page.input_value("textarea[name=summary]") == SCRIPT
    assert page.input_value("input[name=items-0-text]") == SCRIPT
    assert dialogs == []


def test_expired_session_keeps_the_typed_text(live_server, page, mentorship):
    """The session cookie goes (timed out); the form is sent; the person logs in
    again and is back on the same form with the text restored from the draft."""
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(agreement_url(mentorship))
    purpose = "Tjugo minuters skrivande som inte får försvinna."
    type_agreement(page, purpose)
    wait_for_draft(page, TYPED["summary"])
    session_cookies = [c["name"] for c in page.context.cookies() if c["name"] == "sessionid"]
    assert session_cookies, "no session cookie to expire"
    page.context.clear_cookies(name="sessionid")
    save(page)

    assert "/konto/login/" in page.url
    assert f"next={agreement_url(mentorship)}" in page.url.replace("%2F", "/")
    axe_check(page)
    login(page, mentorship.mentee.email, PASSWORD)
    assert page.url.endswith(agreement_url(mentorship)), page.url
    page.locator("form[data-draft] .draft-notice").wait_for(state="visible")
    assert_agreement_text_kept(page, purpose)
    # Saving now works, and the saved draft is dropped once the server has the text.
    save(page)
    assert Agreement.objects.get(mentorship=mentorship).purpose_and_goals == purpose
    page.goto(agreement_url(mentorship))
    assert not page.is_visible("form[data-draft] .draft-notice")


def test_expired_session_keeps_added_remember_rows(live_server, page, mentorship):
    """Rows added with JavaScript, ticked items and text all come back after
    logging in again."""
    Agreement.objects.create(mentorship=mentorship, version=1, purpose_and_goals="Mål")
    meeting_2 = MeetingFactory(mentorship=mentorship, number=2, starts_at=timezone.now() - dt.timedelta(days=30))
    item = ReminderItem.objects.create(meeting=meeting_2, text="Läs stadgarna")
    meeting_3 = MeetingFactory(mentorship=mentorship, number=3, starts_at=timezone.now() - dt.timedelta(days=1))
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(notes_url(meeting_3))
    page.check(f"input[name=done_items][value='{item.pk}']")
    page.fill("textarea[name=summary]", "Vi gick igenom budgeten.")
    page.click("[data-add-row=items]")
    remember = ["Ett", "Två", "Tre"]
    for index, text in enumerate(remember):
        page.fill(f"input[name=items-{index}-text]", text)
    wait_for_draft(page, "Tre")
    page.context.clear_cookies(name="sessionid")
    save(page)
    login(page, mentorship.mentee.email, PASSWORD)
    assert page.url.endswith(notes_url(meeting_3)), page.url
    page.locator("form[data-draft] .draft-notice").wait_for(state="visible")
    assert page.input_value("textarea[name=summary]") == "Vi gick igenom budgeten."
    assert [page.input_value(f"input[name=items-{i}-text]") for i in range(3)] == remember
    assert page.is_checked(f"input[name=done_items][value='{item.pk}']")
    save(page)
    assert [i.text for i in meeting_3.reminder_items.all()] == remember
    item.refresh_from_db()
    assert item.done


def test_all_cookies_gone_the_draft_still_comes_back(live_server, page, mentorship):
    """Cookies cleared altogether (the CSRF cookie too): the save is refused, but
    the person who goes back to the form finds their text."""
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(agreement_url(mentorship))
    purpose = "Text som bara finns i webbläsaren."
    type_agreement(page, purpose)
    wait_for_draft(page, TYPED["summary"])
    page.context.clear_cookies()
    save(page)
    assert not Agreement.objects.filter(mentorship=mentorship, version__gt=0).exists()

    page.goto(agreement_url(mentorship))
    assert "/konto/login/" in page.url
    login(page, mentorship.mentee.email, PASSWORD)
    assert page.url.endswith(agreement_url(mentorship)), page.url
    page.locator("form[data-draft] .draft-notice").wait_for(state="visible")
    assert_agreement_text_kept(page, purpose)


def test_two_people_saving_the_same_notes(live_server, new_page, mentorship):
    """The second save does not overwrite the first: it shows the other's text
    in the conflict box, keeps its own text in the form, and a resave merges."""
    Agreement.objects.create(mentorship=mentorship, version=1, purpose_and_goals="Mål")
    meeting = MeetingFactory(mentorship=mentorship, number=2, starts_at=timezone.now() - dt.timedelta(days=1))
    first, second = new_page(), new_page()
    for page in (first, second):
        login(page, mentorship.mentee.email, PASSWORD)
        page.goto(notes_url(meeting))

    first.fill("textarea[name=summary]", "Från datorn: vi pratade om budgeten.")
    first.fill("input[name=items-0-text]", "Ring kassören")
    save(first)
    meeting.refresh_from_db()
    assert meeting.version == 1 and meeting.status == MeetingStatus.HELD

    second.fill("textarea[name=summary]", "Från telefonen: vi pratade om valberedningen.")
    second.fill("textarea[name=reflection]", "Skrivet på telefonen.")
    save(second)
    conflict = second.locator("#conflict")
    expect(conflict).to_be_visible()
    assert "Från datorn: vi pratade om budgeten." in conflict.inner_text()
    assert second.input_value("textarea[name=summary]") == "Från telefonen: vi pratade om valberedningen."
    assert second.input_value("textarea[name=reflection]") == "Skrivet på telefonen."
    axe_check(second)
    meeting.refresh_from_db()
    assert meeting.summary == "Från datorn: vi pratade om budgeten."  # the first save is intact
    assert [i.text for i in meeting.reminder_items.all()] == ["Ring kassören"]

    merged = "Från datorn: vi pratade om budgeten.\nFrån telefonen: vi pratade om valberedningen."
    second.fill("textarea[name=summary]", merged)
    save(second)
    assert second.locator("#conflict").count() == 0
    meeting.refresh_from_db()
    # The browser sends line breaks as CRLF.
    assert meeting.summary.replace("\r\n", "\n") == merged
    assert (meeting.reflection, meeting.version) == ("Skrivet på telefonen.", 2)


def test_two_people_saving_the_same_agreement(live_server, new_page, mentorship):
    first, second = new_page(), new_page()
    for page in (first, second):
        login(page, mentorship.mentee.email, PASSWORD)
        page.goto(agreement_url(mentorship))
    first.fill("textarea[name=purpose_and_goals]", "Första versionen av målen.")
    save(first)
    second.fill("textarea[name=purpose_and_goals]", "Andra versionen av målen.")
    save(second)
    assert "Första versionen av målen." in second.inner_text("#conflict")
    assert second.input_value("textarea[name=purpose_and_goals]") == "Andra versionen av målen."
    agreement = Agreement.objects.get(mentorship=mentorship)
    assert (agreement.version, agreement.purpose_and_goals) == (1, "Första versionen av målen.")
    save(second)  # having seen the other's text, the person keeps theirs
    agreement.refresh_from_db()
    assert (agreement.version, agreement.purpose_and_goals) == (2, "Andra versionen av målen.")
    assert agreement.versions.count() == 2


def test_logging_out_forgets_unsaved_drafts(live_server, page, mentorship):
    """On a shared computer the next person must not find the notes."""
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(agreement_url(mentorship))
    type_agreement(page, "Utkast som inte ska ligga kvar.")
    wait_for_draft(page, TYPED["summary"])
    page.locator("form[data-forget-drafts] button[type=submit]").click()
    page.wait_for_url("**/konto/**")
    left = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('mentorskap-draft:')).length")
    assert left == 0


def test_a_draft_save_still_waiting_does_not_come_back_after_logging_out(live_server, page, mentorship):
    """The draft is saved a moment after the last key: a key pressed just
    before "Logga ut" must not write the draft back once it was forgotten."""
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(agreement_url(mentorship))
    type_agreement(page, "Utkast som inte ska ligga kvar.")
    wait_for_draft(page, TYPED["summary"])
    left = page.evaluate(
        """() => new Promise(resolve => {
            const field = document.querySelector("textarea[name=roles]");
            field.value += " och en sista rad";
            field.dispatchEvent(new Event("input", {bubbles: true}));  // a save now waits on its timer
            const logout = document.querySelector("form[data-forget-drafts]");
            logout.addEventListener("submit", event => event.preventDefault());  // stay to watch the timer
            logout.dispatchEvent(new Event("submit", {cancelable: true}));
            setTimeout(() => resolve(
                Object.keys(localStorage).filter(k => k.startsWith("mentorskap-draft:")).length
            ), 1000);
        })"""
    )
    assert left == 0
