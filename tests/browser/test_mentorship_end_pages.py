"""Ending a mentorship in the browser (issue 11): the mentee proposes to end,
the mentor confirms, both answer the evaluation through the link in their
e-mail and print the certificate; the coordinator's ending form. Every new
page passes the axe check, desktop and phone, and the certificate in print
too."""

import pytest
from playwright.sync_api import expect

from outbox.models import OutgoingMail
from surveys.models import Answer, Invitation, SurveyKind
from surveys.services import surveys_scan
from tests.factories import PASSWORD, AgreementFactory
from tests.helpers.browser import PHONE, axe_check, login
from tests.helpers.surveys import link_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_party_proposes_the_other_confirms_both_print(new_page, mentorship, viewport):
    AgreementFactory(mentorship=mentorship)
    mentee_page, mentor_page = new_page(viewport), new_page(viewport)
    login(mentee_page, mentorship.mentee.email, PASSWORD)
    mentee_page.goto(f"/mentorskap/{mentorship.public_id}/")
    mentee_page.get_by_role("link", name="Avsluta mentorskapet").click()
    axe_check(mentee_page)
    mentee_page.get_by_label("Målen är nådda").check()
    mentee_page.get_by_label("Några ord (frivilligt)").fill("Tack för ett fint år!")
    mentee_page.get_by_role("button", name="Föreslå att avsluta mentorskapet").click()
    expect(mentee_page.get_by_text("Ditt förslag är skickat.")).to_be_visible()
    axe_check(mentee_page)

    login(mentor_page, mentorship.mentor.email, PASSWORD)
    mentor_page.goto(f"/mentorskap/{mentorship.public_id}/")
    mentor_page.get_by_role("link", name="Svara på förslaget").click()
    expect(mentor_page.get_by_text("Tack för ett fint år!")).to_be_visible()
    axe_check(mentor_page)
    mentor_page.get_by_role("button", name="Bekräfta avslutet").click()
    expect(mentor_page.get_by_text("Tack för er tid tillsammans!")).to_be_visible()

    # The ended pair is asked for the evaluation (the hourly scan); each answers through their own link.
    surveys_scan()
    rows = {
        row.recipient_id: row for row in OutgoingMail.objects.filter(kind="survey_invitation", mentorship=mentorship)
    }
    assert set(rows) == {mentorship.mentee_id, mentorship.mentor_id}
    for page, person, best in (
        (mentee_page, mentorship.mentee, "Att jag vågade leda"),
        (mentor_page, mentorship.mentor, "Att se henne växa"),
    ):
        page.goto(link_in(rows[person.pk]))
        axe_check(page)
        page.check("input[name='value'][value='5']")
        page.check("input[name='frequency'][value='monthly']")
        page.fill("textarea[name='best']", best)
        page.check("input[name='recommend'][value='10']")
        page.click("#survey-form button[type='submit']")
        page.wait_for_selector("#survey-saved")
    assert Invitation.objects.filter(survey__kind=SurveyKind.EVALUATION, answered=True).count() == 2
    assert sorted(Answer.objects.values_list("best", flat=True)) == ["Att jag vågade leda", "Att se henne växa"]

    for page in (mentee_page, mentor_page):
        page.goto(f"/mentorskap/{mentorship.public_id}/")
        page.get_by_role("link", name="Skriv ut intyget om deltagande").click()
        expect(page.get_by_role("heading", name="Intyg om deltagande")).to_be_visible()
        expect(page.get_by_text(mentorship.mentee.display_name).first).to_be_visible()
        axe_check(page)
        page.emulate_media(media="print")
        axe_check(page)
        assert page.pdf() if viewport is None else True  # Chromium prints it as a PDF


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_coordinator_ends_a_pair_as_discontinued(new_page, mentorship, coordinator, viewport):
    page = new_page(viewport)
    login(page, coordinator.email, PASSWORD)
    page.goto(f"/program/par/{mentorship.public_id}/")
    axe_check(page)
    page.get_by_label("Avbrutet").check()
    page.get_by_role("button", name="Avsluta paret").click()
    expect(page.get_by_text("Kryssa i rutan för att bekräfta att paret ska avslutas i dag.")).to_be_visible()
    axe_check(page)
    page.get_by_label("Jag förstår att paret avslutas i dag och att båda får ett e-postmeddelande.").check()
    page.get_by_role("button", name="Avsluta paret").click()
    expect(page.get_by_text("Paret är avslutat.")).to_be_visible()
    axe_check(page)
