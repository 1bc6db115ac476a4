"""The whole journal as a new pair walks it, in headless Chromium.

Elements are found by name, id, href and role attributes, not by visible
words: the Swedish and English texts are still being written.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from programs.models import FocusArea, ProgramKind
from sessions.models import Agreement, Meeting, MeetingStatus, ReminderItem
from sessions.services import meeting_book
from tests.factories import PASSWORD, MeetingFactory
from tests.helpers.agreement import AGREEMENT_TEXT
from tests.helpers.browser import PHONE, axe_check, login

pytestmark = pytest.mark.browser

VIDEO_LINK = "https://video.example.org/maja-erik"


def mentorship_url(mentorship):
    return f"/mentorskap/{mentorship.public_id}/"


def local(when):
    return timezone.localtime(when)


def submit(page, form="form[data-draft]"):
    """Press the form's own save button (not "add a row") and wait for the answer."""
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]:not([name])")


def fill_booking(page, day, start, end, location):
    page.fill("input[name=next-date]", day.isoformat())
    page.fill("input[name=next-start_time]", start)
    page.fill("input[name=next-end_time]", end)
    page.fill("input[name=next-location]", location)


def confirmed_text(page, name, when):
    """What the confirmations list says, in the page's language."""
    with translation.override(page.get_attribute("html", "lang")):
        return name, date_format(local(when), "j F Y H:i")


def test_whole_journal_path(live_server, new_page, mentorship):
    mentee, mentor = mentorship.mentee, mentorship.mentor
    leadership, _ = FocusArea.objects.get_or_create(name="Ledarskap", defaults={"kind": ProgramKind.INDIVIDUALS})
    finance, _ = FocusArea.objects.get_or_create(name="Ekonomi", defaults={"kind": ProgramKind.INDIVIDUALS})
    mentorship.program.focus_areas.add(leadership, finance)
    page_url = mentorship_url(mentorship)

    # --- The mentee logs in and is asked to fill in the agreement ----------
    maja = new_page()
    maja.goto("/")
    assert "/konto/login/" in maja.url
    axe_check(maja)
    login(maja, mentee.email, PASSWORD)
    assert maja.url.endswith("/")
    axe_check(maja)
    todo = maja.locator(f"a.btn-primary[href='{page_url}overenskommelse/']")
    todo.click()
    maja.wait_for_url(f"**{page_url}overenskommelse/")

    # --- The agreement, every section, and meeting 2 booked in the same form
    axe_check(maja)
    for name, text in AGREEMENT_TEXT.items():
        maja.fill(f"textarea[name={name}]", text)
    maja.check("input[name=confidentiality][value=agreement]")
    maja.check(f"input[name=focus_areas][value='{leadership.pk}']")
    meeting_2_day = timezone.localdate() + dt.timedelta(days=10)
    fill_booking(maja, meeting_2_day, "18:00", "19:30", VIDEO_LINK)
    submit(maja)
    assert maja.url.endswith(page_url), maja.url

    agreement = Agreement.objects.get(mentorship=mentorship)
    assert agreement.version == 1
    assert agreement.confidentiality == "agreement"
    assert list(mentorship.focus_areas.all()) == [leadership]
    meeting_2 = Meeting.objects.get(mentorship=mentorship, number=2)
    assert (local(meeting_2.starts_at).date(), local(meeting_2.starts_at).time()) == (meeting_2_day, dt.time(18, 0))
    assert local(meeting_2.ends_at).time() == dt.time(19, 30)
    assert meeting_2.location == VIDEO_LINK

    axe_check(maja)
    assert maja.locator("#meeting-1").count() == 1
    assert maja.locator(f"#meeting-2 a[href='/tillfalle/{meeting_2.public_id}/']").count() == 1
    assert AGREEMENT_TEXT["purpose_and_goals"] in maja.inner_text("#agreement")
    assert maja.locator(f"#next-heading ~ p a[href='{VIDEO_LINK}']").count() == 1

    # --- The mentor logs in, in a browser of their own, and confirms --------
    erik = new_page()
    login(erik, mentor.email, PASSWORD)
    axe_check(erik)
    erik.click(f"a.btn-primary[href='{page_url}#agreement']")
    erik.wait_for_url(f"**{page_url}*")
    axe_check(erik)
    assert AGREEMENT_TEXT["roles"] in erik.inner_text("#agreement")
    # The mentor reads, may not write.
    assert erik.locator(f"a[href='{page_url}overenskommelse/']").count() == 0
    assert erik.locator("#meeting-2 a[href$='/anteckningar/']").count() == 0
    with erik.expect_navigation():
        erik.click(f"form[action='{page_url}overenskommelse/bekrafta/'] button[type=submit]")
    agreement.refresh_from_db()
    assert agreement.mentor_confirmed_at is not None and agreement.mentee_confirmed_at is None
    name, when = confirmed_text(erik, mentor.display_name, agreement.mentor_confirmed_at)
    confirmations = erik.inner_text("#confirmations")
    assert name in confirmations and when in confirmations, confirmations
    assert erik.locator(f"form[action='{page_url}overenskommelse/bekrafta/']").count() == 0
    axe_check(erik)

    # --- ... and comments on meeting 2 -------------------------------------
    erik.click(f"#meeting-2 a[href='/tillfalle/{meeting_2.public_id}/']")
    erik.wait_for_url(f"**/tillfalle/{meeting_2.public_id}/")
    axe_check(erik)
    comment = "Läs gärna stadgarna inför nästa gång, särskilt paragraf 7."
    erik.fill("textarea[name=text]", comment)
    with erik.expect_navigation():
        erik.click(f"form[action='/tillfalle/{meeting_2.public_id}/kommentar/'] button[type=submit]")
    assert comment in erik.inner_text("#comments-heading ~ .card")
    assert meeting_2.comments.get().author == mentor

    # --- The mentee sees who confirmed and when, and confirms too ------------
    maja.goto(page_url)
    name, when = confirmed_text(maja, mentor.display_name, agreement.mentor_confirmed_at)
    assert name in maja.inner_text("#confirmations") and when in maja.inner_text("#confirmations")
    with maja.expect_navigation():
        maja.click(f"form[action='{page_url}overenskommelse/bekrafta/'] button[type=submit]")
    agreement.refresh_from_db()
    assert agreement.is_confirmed

    # --- Time passes: meeting 2 is held ---------------------------------------
    held_at = (timezone.localtime() - dt.timedelta(days=2)).replace(hour=18, minute=0, second=0, microsecond=0)
    Meeting.objects.filter(pk=meeting_2.pk).update(starts_at=held_at, ends_at=held_at + dt.timedelta(minutes=90))
    maja.goto("/")
    # The start page's "write notes" opens the notes of the meeting that needs them.
    maja.click(f"a.btn-primary[href='/tillfalle/{meeting_2.public_id}/anteckningar/']")
    maja.wait_for_url(f"**/tillfalle/{meeting_2.public_id}/anteckningar/")

    # --- The notes of meeting 2: reflection, "kom ihåg", meeting 3 -----------
    axe_check(maja)
    # The previous meeting's summary is shown to reflect on; meeting 1 left no items to tick.
    assert AGREEMENT_TEXT["summary"] in maja.inner_text("form[data-draft]")
    assert maja.locator("input[name=done_items]").count() == 0
    reflection = "Ramarna känns bra. Jag har redan provat att sätta en tydligare dagordning."
    summary = "Vi pratade om hur jag leder ett möte där två ledamöter är oense."
    maja.fill("textarea[name=reflection]", reflection)
    maja.fill("textarea[name=summary]", summary)
    rows = maja.locator("[data-formset=items] .formset-row")
    assert rows.count() == 2
    maja.click("[data-add-row=items]")  # JavaScript adds the row: no round trip
    assert rows.count() == 3
    assert maja.input_value("#id_items-TOTAL_FORMS") == "3"
    assert maja.evaluate("document.activeElement.name") == "items-2-text"
    assert maja.url.endswith(f"/tillfalle/{meeting_2.public_id}/anteckningar/")
    remember = ["Skriv dagordningen en vecka före mötet", "Läs stadgarna, paragraf 7", "Fråga kassören om budgeten"]
    for index, text in enumerate(remember):
        maja.fill(f"input[name=items-{index}-text]", text)
    meeting_3_day = timezone.localdate() + dt.timedelta(days=30)
    fill_booking(maja, meeting_3_day, "18:00", "19:30", "Café Storgatan 4")
    submit(maja)
    assert maja.url.endswith(page_url), maja.url

    meeting_2.refresh_from_db()
    assert meeting_2.status == MeetingStatus.HELD
    assert (meeting_2.reflection, meeting_2.summary) == (reflection, summary)
    assert [item.text for item in meeting_2.reminder_items.all()] == remember
    meeting_3 = Meeting.objects.get(mentorship=mentorship, number=3)
    assert local(meeting_3.starts_at).date() == meeting_3_day
    assert meeting_3.status == MeetingStatus.BOOKED
    assert maja.inner_text("#remember-list").split("\n") == remember

    # --- Both see the timeline, newest first, and the print view -------------
    for person in (maja, erik):
        person.goto(page_url)
        axe_check(person)
        ids = person.eval_on_selector_all(".timeline > li", "items => items.map(li => li.id)")
        assert ids == ["meeting-3", "meeting-2", "meeting-1"]
        assert "is-next" in person.get_attribute("#meeting-3", "class")
        assert summary in person.inner_text("#meeting-2")

        person.click(f"a[href='{page_url}utskrift/']")
        person.wait_for_url(f"**{page_url}utskrift/")
        axe_check(person)
        printed = person.inner_text("article.journal-print")
        for text in [*AGREEMENT_TEXT.values(), reflection, summary, *remember, comment, VIDEO_LINK]:
            assert text in printed, text
        # The print stylesheet hides the site's frame.
        person.emulate_media(media="print")
        assert not person.is_visible("header.site-header")
        person.emulate_media(media="screen")

    # --- The booking form and the meeting page, for the look ----------------
    erik.goto(f"{page_url}boka/")
    axe_check(erik)
    erik.goto(f"/tillfalle/{meeting_2.public_id}/")
    axe_check(erik)
    assert reflection in erik.inner_text("main")


def test_look_on_a_phone(live_server, new_page, mentorship):
    """Screenshots to look at by eye (not compared), and no sideways scrolling."""
    agreement = Agreement.objects.create(mentorship=mentorship, version=1, **AGREEMENT_TEXT)
    Meeting.objects.create(mentorship=mentorship, number=1, status=MeetingStatus.HELD)
    past = timezone.now() - dt.timedelta(days=3)
    meeting_2 = MeetingFactory(mentorship=mentorship, number=2, starts_at=past, location=VIDEO_LINK)
    assert agreement.is_started
    phone = new_page(viewport=PHONE)
    login(phone, mentorship.mentee.email, PASSWORD)
    for path, shot in (
        (mentorship_url(mentorship), "/tmp/h4b-phone-mentorship.png"),
        (f"/tillfalle/{meeting_2.public_id}/anteckningar/", "/tmp/h4b-phone-notes.png"),
    ):
        phone.goto(path)
        axe_check(phone)
        phone.screenshot(path=shot, full_page=True)
        overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    desktop = new_page()
    login(desktop, mentorship.mentee.email, PASSWORD)
    desktop.goto(f"{mentorship_url(mentorship)}overenskommelse/")
    desktop.screenshot(path="/tmp/h4b-desktop-agreement.png", full_page=True)


def test_notes_on_a_future_meeting_are_preparation(live_server, page, mentorship):
    """Notes written before the meeting are saved, and the meeting stays booked."""
    Agreement.objects.create(mentorship=mentorship, version=1, **AGREEMENT_TEXT)
    Meeting.objects.create(mentorship=mentorship, number=1, status=MeetingStatus.HELD)
    starts = timezone.now() + dt.timedelta(days=5)
    meeting_2 = meeting_book(mentorship=mentorship, starts_at=starts, ends_at=starts + dt.timedelta(hours=1))
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(f"/tillfalle/{meeting_2.public_id}/anteckningar/")
    page.fill("textarea[name=summary]", "Frågor att ta upp: valberedningen.")
    submit(page)
    meeting_2.refresh_from_db()
    assert meeting_2.summary == "Frågor att ta upp: valberedningen."
    assert meeting_2.status == MeetingStatus.BOOKED


def test_ticking_off_last_meetings_items(live_server, page, mentorship):
    """Meeting 3's form offers meeting 2's "kom ihåg" items; ticking some marks them done."""
    Agreement.objects.create(mentorship=mentorship, version=1, **AGREEMENT_TEXT)
    Meeting.objects.create(mentorship=mentorship, number=1, status=MeetingStatus.HELD)
    earlier = timezone.now() - dt.timedelta(days=30)
    meeting_2 = MeetingFactory(mentorship=mentorship, number=2, starts_at=earlier, status=MeetingStatus.HELD)
    first, second = (
        ReminderItem.objects.create(meeting=meeting_2, text=t, position=i)
        for i, t in enumerate(("Läs stadgarna", "Ring kassören"))
    )
    meeting_3 = MeetingFactory(mentorship=mentorship, number=3, starts_at=timezone.now() - dt.timedelta(hours=3))
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(f"/tillfalle/{meeting_3.public_id}/anteckningar/")
    assert page.locator("input[name=done_items]").count() == 2
    page.check(f"input[name=done_items][value='{second.pk}']")
    page.fill("textarea[name=reflection]", "Stadgarna hann jag inte, men kassören är ringd.")
    submit(page)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.done, second.done) == (False, True)
    meeting_3.refresh_from_db()
    assert meeting_3.status == MeetingStatus.HELD
    page.goto(f"/tillfalle/{meeting_3.public_id}/")
    assert re.search(r"✓\s*Ring kassören", page.inner_text("main"))


def test_add_row_without_javascript(live_server, new_page, mentorship):
    """Without JavaScript "add a row" submits, and the form comes back with one
    more row and everything typed still there."""
    Agreement.objects.create(mentorship=mentorship, version=1, **AGREEMENT_TEXT)
    meeting_2 = MeetingFactory(mentorship=mentorship, number=2, starts_at=timezone.now() - dt.timedelta(days=1))
    page = new_page(java_script_enabled=False)
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(f"/tillfalle/{meeting_2.public_id}/anteckningar/")
    page.fill("textarea[name=summary]", "Utan JavaScript.")
    page.fill("input[name=items-0-text]", "Första")
    page.fill("input[name=items-1-text]", "Andra")
    with page.expect_navigation():
        page.click("button[name=add_item]")
    assert page.locator("[data-formset=items] .formset-row").count() == 3
    assert page.input_value("textarea[name=summary]") == "Utan JavaScript."
    assert page.input_value("input[name=items-1-text]") == "Andra"
    page.fill("input[name=items-2-text]", "Tredje")
    submit(page)
    assert [i.text for i in meeting_2.reminder_items.all()] == ["Första", "Andra", "Tredje"]
