"""Drafts kept in the browser: "Avbryt" throws the draft away, and a restored
draft says which fields it restored and offers to discard it."""

import pytest

from sessions.models import MeetingStatus
from tests.factories import PASSWORD, AgreementFactory, MeetingFactory
from tests.helpers.browser import agreement_url, axe_check, login, notes_url, wait_for_draft

pytestmark = pytest.mark.browser

DRAFTS = "Object.keys(localStorage).filter(k => k.startsWith('mentorskap-draft:')).length"


def cancel(page):
    with page.expect_navigation():
        page.click("form[data-draft] a[data-cancel-draft]")


def test_cancel_throws_the_draft_away(live_server, page, mentorship):
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(agreement_url(mentorship))
    page.fill("textarea[name=purpose_and_goals]", "Text jag ångrar.")
    wait_for_draft(page, "Text jag ångrar.")
    cancel(page)
    assert page.evaluate(DRAFTS) == 0
    page.goto(agreement_url(mentorship))
    assert page.input_value("textarea[name=purpose_and_goals]") == ""
    assert not page.is_visible("form[data-draft] .draft-notice")


def test_cancel_right_after_typing_leaves_no_draft(live_server, page, mentorship):
    """The draft is saved a moment after the last key: cancelling within that
    moment must not let the waiting save write it back."""
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(agreement_url(mentorship))
    page.fill("textarea[name=roles]", "Första raden")
    wait_for_draft(page, "Första raden")
    left = page.evaluate(
        """() => new Promise(resolve => {
            const field = document.querySelector("textarea[name=roles]");
            field.value += " och en till";
            field.dispatchEvent(new Event("input", {bubbles: true}));  // a save now waits on its timer
            const link = document.querySelector("a[data-cancel-draft]");
            link.addEventListener("click", event => event.preventDefault());  // stay to watch the timer
            link.click();
            setTimeout(() => resolve(
                Object.keys(localStorage).filter(k => k.startsWith("mentorskap-draft:")).length
            ), 1000);
        })"""
    )
    assert left == 0


def test_a_restored_draft_names_its_fields_and_can_be_discarded(live_server, page, mentorship):
    AgreementFactory(mentorship=mentorship, purpose_and_goals="Sparat syfte.", roles="")
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(agreement_url(mentorship))
    page.fill("textarea[name=purpose_and_goals]", "Osparat syfte.")
    page.fill("textarea[name=roles]", "Osparade roller.")
    page.check("input[name=confidentiality][value=open]")
    wait_for_draft(page, "Osparade roller.")

    page.goto(agreement_url(mentorship))  # e.g. the tab was closed and opened again
    notice = page.locator("form[data-draft] .draft-notice")
    notice.wait_for(state="visible")
    assert notice.inner_text().startswith("Återställde osparad text i: Syfte & Mål, Roller, Nivå av konfidens.")
    assert page.input_value("textarea[name=roles]") == "Osparade roller."
    axe_check(page)

    page.click("form[data-draft] .draft-notice button[data-discard-draft]")
    assert page.input_value("textarea[name=purpose_and_goals]") == "Sparat syfte."
    assert page.input_value("textarea[name=roles]") == ""
    assert page.is_checked("input[name=confidentiality][value=private]")
    assert page.evaluate(DRAFTS) == 0
    assert "Utkastet är slängt." in notice.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('draft-notice')")
    axe_check(page)

    page.reload()
    assert not page.is_visible("form[data-draft] .draft-notice")
    assert page.input_value("textarea[name=purpose_and_goals]") == "Sparat syfte."


def test_the_notes_form_names_restored_items_by_their_list(live_server, page, mentorship):
    AgreementFactory(mentorship=mentorship)
    meeting = MeetingFactory(mentorship=mentorship, number=2, status=MeetingStatus.HELD)
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(notes_url(meeting))
    page.fill("textarea[name=summary]", "Osparade anteckningar.")
    page.fill("input[name=items-0-text]", "Osparad punkt")
    wait_for_draft(page, "Osparad punkt")
    assert page.evaluate(DRAFTS) == 1

    page.goto(notes_url(meeting))
    notice = page.locator("form[data-draft] .draft-notice")
    notice.wait_for(state="visible")
    text = notice.inner_text()
    assert "Sammanfattande anteckningar" in text and "Kom ihåg till kommande tillfälle" in text, text
    axe_check(page)
    cancel(page)
    assert page.evaluate(DRAFTS) == 0


def test_the_notice_is_in_english_for_an_english_reader(live_server, page, mentorship):
    login(page, mentorship.mentee.email, PASSWORD)
    page.goto(agreement_url(mentorship))
    with page.expect_navigation():
        page.click("form.language-form button[name=language][value=en]")
    page.fill("textarea[name=purpose_and_goals]", "Unsaved purpose.")
    wait_for_draft(page, "Unsaved purpose.")
    page.reload()
    notice = page.locator("form[data-draft] .draft-notice")
    notice.wait_for(state="visible")
    assert page.get_attribute("html", "lang") == "en"
    assert notice.inner_text().startswith("Restored unsaved text in: Purpose & goals.")
    assert "Discard the draft" in notice.inner_text()
