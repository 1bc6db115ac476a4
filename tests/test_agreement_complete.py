"""An agreement may be saved as a draft, but "Vi är överens" needs what the
template asks the pair to agree on (Syfte & mål and the level of
confidentiality), and only a complete agreement makes Tillfälle 1 held."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.forms import AgreementForm
from sessions.models import Agreement, MeetingStatus
from sessions.services import AgreementIncomplete, agreement_confirm
from tests.factories import AgreementFactory, MeetingFactory
from tests.helpers.agreement import AGREEMENT_FIELDS, agreement_post
from tests.helpers.journal import future

pytestmark = pytest.mark.django_db

EMPTY = dict.fromkeys(AGREEMENT_FIELDS, "") | {"confidentiality": "private"}


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_an_empty_agreement_is_a_draft_that_does_not_make_meeting_1_held(client_for, mentee, mentorship):
    client = client_for(mentee)
    response = agreement_post(client, mentorship, **{**EMPTY, "roles": "Bara roller än så länge"})
    assert response.status_code == 302
    agreement = Agreement.objects.get(mentorship=mentorship)
    assert (agreement.version, agreement.roles) == (1, "Bara roller än så länge")
    assert not mentorship.meetings.exists()
    page = client.get(response["Location"])
    [message] = messages_of(page)
    assert "utkast" in message and "Syfte & Mål" in message


def test_completing_the_draft_makes_meeting_1_held(client_for, mentee, mentorship):
    agreement_post(client_for(mentee), mentorship, **EMPTY)
    agreement_post(client_for(mentee), mentorship, version=1)
    [first] = mentorship.meetings.all()
    assert (first.number, first.status) == (1, MeetingStatus.HELD)


def test_a_booked_meeting_1_stays_booked_after_an_incomplete_save(client_for, mentee, mentorship):
    earlier = timezone.now() - dt.timedelta(hours=2)
    first = MeetingFactory(mentorship=mentorship, number=1, starts_at=earlier)
    agreement_post(client_for(mentee), mentorship, **EMPTY)
    first.refresh_from_db()
    assert first.status == MeetingStatus.BOOKED


def test_whitespace_is_not_a_purpose(client_for, mentee, mentorship):
    agreement_post(client_for(mentee), mentorship, purpose_and_goals="   \r\n  ")
    agreement = Agreement.objects.get(mentorship=mentorship)
    assert agreement.missing_for_confirmation == ["purpose_and_goals"]
    assert not mentorship.meetings.exists()


@pytest.mark.parametrize("who", ["mentee", "mentor"])
def test_confirming_an_incomplete_agreement_is_refused_in_swedish(request, client_for, mentee, mentorship, who):
    agreement_post(client_for(mentee), mentorship, **{**EMPTY, "roles": "Mina roller"})
    client = client_for(request.getfixturevalue(who))
    response = client.post(reverse("agreement_confirm", args=[mentorship.public_id]), {"version": 1}, follow=True)
    agreement = Agreement.objects.get(mentorship=mentorship)
    assert agreement.mentee_confirmed_at is None and agreement.mentor_confirmed_at is None
    assert any("kan inte bekräftas" in m and "Syfte & Mål" in m for m in messages_of(response))
    assert agreement.roles == "Mina roller"  # what was typed is kept
    assert not mentorship.meetings.exists()


def test_the_page_says_what_is_missing_instead_of_offering_we_agree(client_for, mentee, mentor, mentorship):
    agreement_post(client_for(mentee), mentorship, **EMPTY)
    confirm_url = reverse("agreement_confirm", args=[mentorship.public_id])
    for party in (mentee, mentor):
        html = client_for(party).get(reverse("mentorship_detail", args=[mentorship.public_id])).content.decode()
        assert f'action="{confirm_url}"' not in html
        assert 'id="agreement-incomplete"' in html and "Syfte &amp; Mål" in html
    # The mentee is asked to fill it in, not to confirm it.
    home = client_for(mentee).get(reverse("home")).content.decode()
    assert f'href="{reverse("agreement_edit", args=[mentorship.public_id])}"' in home


def test_an_incomplete_agreement_cannot_book_meeting_2_and_keeps_the_text(client_for, mentee, mentorship):
    day, start = future()
    response = agreement_post(
        client_for(mentee),
        mentorship,
        **{**EMPTY, "roles": "Text som ska finnas kvar", "next-date": day, "next-start_time": start},
    )
    assert response.status_code == 200
    assert "Syfte & Mål" in " ".join(response.context["booking"].non_field_errors())
    assert "Text som ska finnas kvar" in response.content.decode()
    assert not Agreement.objects.filter(mentorship=mentorship, version__gt=0).exists()
    assert not mentorship.meetings.exists()


def test_the_service_refuses_to_confirm_an_incomplete_agreement(mentorship):
    agreement = AgreementFactory(mentorship=mentorship, purpose_and_goals="")
    with pytest.raises(AgreementIncomplete):
        agreement_confirm(agreement=agreement, user=mentorship.mentor, version=agreement.version)
    agreement.refresh_from_db()
    assert agreement.mentor_confirmed_at is None


def test_an_unknown_level_is_missing(mentorship):
    agreement = AgreementFactory(mentorship=mentorship, confidentiality="")
    assert agreement.missing_for_confirmation == ["confidentiality"]


def test_the_form_accepts_a_draft_but_still_needs_a_valid_level(mentorship):
    draft = AgreementForm({**EMPTY, "version": 0}, instance=Agreement(mentorship=mentorship), mentorship=mentorship)
    assert draft.is_valid(), draft.errors
    no_level = AgreementForm(
        {**EMPTY, "confidentiality": "", "version": 0}, instance=Agreement(mentorship=mentorship), mentorship=mentorship
    )
    assert "confidentiality" in no_level.errors
