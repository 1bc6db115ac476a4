"""The follow-up survey in headless Chromium (issue 11): a pair gets the
check-in e-mail (read from the outbox as the dispatcher renders it), answers
through its link without logging in, changes the answer; the coordinator
reads the results. The axe check on every new page, desktop and phone."""

import datetime as dt

import pytest
from django.utils import timezone

from outbox.models import OutgoingMail
from surveys.links import link_token
from surveys.models import Answer, Invitation
from tests.factories import PASSWORD, MentorshipFactory
from tests.helpers.browser import PHONE, axe_check, login
from tests.helpers.surveys import checkin_asked, link_in

pytestmark = pytest.mark.browser


def _answer(page, link, *, value, best):
    page.goto(link)
    page.check(f"input[name='value'][value='{value}']")
    page.check("input[name='frequency'][value='monthly']")
    page.fill("textarea[name='best']", best)
    page.check("input[name='recommend'][value='9']")
    page.click("#survey-form button[type='submit']")
    page.wait_for_selector("#survey-saved")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_pair_answers_the_check_in_and_the_coordinator_reads_it(
    live_server, new_page, coordinator, program, mentorship, viewport
):
    pairs = [mentorship, MentorshipFactory(program=program), MentorshipFactory(program=program)]
    for pair in pairs:
        checkin_asked(pair)
    rows = list(OutgoingMail.objects.filter(kind="survey_invitation").order_by("pk"))
    mentee_row = next(row for row in rows if row.recipient_id == mentorship.mentee_id)
    link = live_server.url + link_in(mentee_row)
    page = new_page(viewport)

    page.goto(link)
    axe_check(page)
    _answer(page, link, value=4, best="Samtalen om styrelsearbetet")
    axe_check(page)
    _answer(page, link, value=5, best="Samtalen, och att jag vågade mer")
    assert list(Answer.objects.values_list("value", "best")) == [(5, "Samtalen, och att jag vågade mer")]

    # Two more people answer, so the free text is shown to the coordinator.
    others = [row for row in rows if row.recipient_id != mentorship.mentee_id][:2]
    for row in others:
        _answer(page, live_server.url + link_in(row), value=3, best="Bra stöd")

    # The same person's other link, and a closed survey, refuse and say so.
    invitation = Invitation.objects.get(person=mentorship.mentee)
    page.goto(f"{live_server.url}/uppfoljning/svar/{link_token(invitation.pk)}/")
    assert "Du har redan svarat" in page.content()
    axe_check(page)
    Invitation.objects.filter(pk=invitation.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    page.goto(link)
    assert "Enkäten är avslutad" in page.content()
    axe_check(page)

    login(page, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/program/{program.pk}/")
    page.click(f"main a[href='/uppfoljning/program/{program.pk}/']")
    page.wait_for_url(f"**/uppfoljning/program/{program.pk}/")
    axe_check(page)
    text = page.locator("main").inner_text()
    assert "3 av 6 tillfrågade har svarat" in text
    assert "Samtalen, och att jag vågade mer" in text
    assert mentorship.mentee.name not in text  # anonymous
