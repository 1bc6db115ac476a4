"""The access table of the accounts-and-access issue, for every journal URL.

Nothing a person may not see is a 404; an action on a pair they can see but
may not take is a 403; anonymous people are sent to log in.
"""

import pytest
from django.urls import reverse

from sessions.models import Confidentiality
from tests.factories import AgreementFactory, MeetingFactory
from tests.helpers.agreement import AGREEMENT_FIELDS

pytestmark = pytest.mark.django_db

READ_PAGES = ["mentorship_detail", "journal_print", "agreement_print", "meeting_detail"]
MENTEE_PAGES = ["agreement_edit", "meeting_notes"]
BOOKING_PAGES = ["meeting_book", "meeting_move", "meeting_cancel"]
ALL_GET = READ_PAGES + MENTEE_PAGES + BOOKING_PAGES + ["agreement_versions"]


@pytest.fixture
def journal(mentorship):
    agreement = AgreementFactory(mentorship=mentorship, summary="Hemlig sammanfattning av träff 1")
    meeting = MeetingFactory(mentorship=mentorship, number=2, summary="Hemlig anteckning om styrelsen")
    return {"mentorship": mentorship, "agreement": agreement, "meeting": meeting}


def url(name, journal):
    if name in ("meeting_detail", "meeting_notes", "meeting_move", "meeting_cancel", "comment_add"):
        return reverse(name, args=[journal["meeting"].public_id])
    return reverse(name, args=[journal["mentorship"].public_id])


def status_of(client, name, journal):
    return client.get(url(name, journal)).status_code


@pytest.mark.parametrize("name", ALL_GET)
def test_mentee_may_open_every_page(client_for, mentee, journal, name):
    assert status_of(client_for(mentee), name, journal) == 200


@pytest.mark.parametrize("name", READ_PAGES + BOOKING_PAGES + ["agreement_versions"])
def test_mentor_may_read_and_book(client_for, mentor, journal, name):
    assert status_of(client_for(mentor), name, journal) == 200


@pytest.mark.parametrize("name", MENTEE_PAGES)
def test_mentor_may_not_write_the_mentees_text(client_for, mentor, journal, name):
    assert status_of(client_for(mentor), name, journal) == 403


@pytest.mark.parametrize("role", ["outsider", "other_coordinator"])
@pytest.mark.parametrize("name", ALL_GET)
def test_strangers_get_404(request, client_for, journal, role, name):
    user = request.getfixturevalue(role)
    assert status_of(client_for(user), name, journal) == 404


@pytest.mark.parametrize("name", ALL_GET)
def test_anonymous_is_sent_to_log_in(client, journal, name):
    response = client.get(url(name, journal))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ALL_GET)
def test_party_of_another_pair_gets_404(client_for, other_mentorship, journal, name):
    assert status_of(client_for(other_mentorship.mentee), name, journal) == 404
    assert status_of(client_for(other_mentorship.mentor), name, journal) == 404


def test_coordinator_sees_metadata_but_not_private_notes(client_for, coordinator, journal):
    client = client_for(coordinator)
    page = client.get(url("mentorship_detail", journal))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hemlig" not in html
    assert journal["mentorship"].mentee.display_name in html
    assert client.get(url("meeting_detail", journal)).status_code == 200
    assert "Hemlig" not in client.get(url("meeting_detail", journal)).content.decode()
    assert client.get(url("agreement_versions", journal)).status_code == 404
    for name in MENTEE_PAGES + BOOKING_PAGES:
        assert status_of(client, name, journal) == 403


def test_coordinator_reads_what_the_pair_shares(client_for, coordinator, journal):
    agreement = journal["agreement"]
    agreement.confidentiality = agreement.shared_confidentiality = Confidentiality.AGREEMENT  # both confirmed it
    agreement.save()
    client = client_for(coordinator)
    html = client.get(url("mentorship_detail", journal)).content.decode()
    assert agreement.purpose_and_goals in html
    assert "Hemlig anteckning" not in html
    assert "Hemlig sammanfattning av träff 1" not in html  # meeting 1's notes stay with the notes
    agreement.confidentiality = agreement.shared_confidentiality = Confidentiality.OPEN
    agreement.save()
    html = client.get(url("meeting_detail", journal)).content.decode()
    assert "Hemlig anteckning om styrelsen" in html


def test_posts_follow_the_same_rules(client_for, mentee, mentor, coordinator, outsider, journal):
    confirm = url("agreement_confirm", journal)
    comment = url("comment_add", journal)
    data = {"version": journal["agreement"].version}
    assert client_for(outsider).post(confirm, data).status_code == 404
    assert client_for(outsider).post(comment, {"text": "hej"}).status_code == 404
    assert client_for(coordinator).post(confirm, data).status_code == 403
    assert client_for(coordinator).post(comment, {"text": "hej"}).status_code == 403
    assert client_for(mentor).post(confirm, data).status_code == 302
    assert client_for(mentor).post(comment, {"text": "Bra jobbat!"}).status_code == 302
    assert journal["meeting"].comments.get().text == "Bra jobbat!"


def test_state_changing_gets_are_refused(client_for, mentor, journal):
    client = client_for(mentor)
    assert client.get(url("agreement_confirm", journal)).status_code == 405
    assert client.get(url("comment_add", journal)).status_code == 405


def test_an_ended_mentorship_is_read_only(client_for, mentee, mentor, journal):
    mentorship = journal["mentorship"]
    mentorship.status = "ended"
    mentorship.save()
    for user in (mentee, mentor):
        client = client_for(user)
        assert status_of(client, "mentorship_detail", journal) == 200
        for name in MENTEE_PAGES + BOOKING_PAGES:
            assert status_of(client, name, journal) == 403
        assert client.post(url("comment_add", journal), {"text": "x"}).status_code == 403


def test_unknown_ids_are_404(client_for, mentee):
    client = client_for(mentee)
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.get(reverse("mentorship_detail", args=[missing])).status_code == 404
    assert client.get(reverse("meeting_detail", args=[missing])).status_code == 404
    assert client.get("/mentorskap/1/").status_code == 404


def test_journal_pages_are_never_cached(client_for, mentee, journal):
    response = client_for(mentee).get(url("mentorship_detail", journal))
    assert "no-store" in response["Cache-Control"]


def test_refused_access_is_logged_without_note_text(client_for, outsider, journal, caplog):
    with caplog.at_level("WARNING", logger="mentorskap.security"):
        client_for(outsider).get(url("meeting_detail", journal))
    assert any("refused" in r.getMessage() and str(outsider.pk) in r.getMessage() for r in caplog.records)
    assert not any("Hemlig" in r.getMessage() for r in caplog.records)


def _saved_agreement(client_for, mentee, journal, confidentiality, confirmed_by=()):
    """The mentee saves through the form, so a version row is written; then
    each of `confirmed_by` says "Vi är överens"."""
    mentorship = journal["mentorship"]
    data = {**AGREEMENT_FIELDS, "summary": "Hemlig sammanfattning v2", "confidentiality": confidentiality}
    data["version"] = journal["agreement"].version
    response = client_for(mentee).post(reverse("agreement_edit", args=[mentorship.public_id]), data)
    assert response.status_code == 302
    version = journal["agreement"].version + 1
    for party in confirmed_by:
        confirm = client_for(party).post(
            reverse("agreement_confirm", args=[mentorship.public_id]), {"version": version}
        )
        assert confirm.status_code == 302
    journal["agreement"].refresh_from_db()
    return version


def test_agreement_versions_hide_meeting_1_notes_from_a_coordinator_at_level_agreement(
    client_for, mentee, mentor, coordinator, journal
):
    version = _saved_agreement(client_for, mentee, journal, Confidentiality.AGREEMENT, confirmed_by=(mentee, mentor))
    client = client_for(coordinator)
    page = client.get(reverse("agreement_version_detail", args=[journal["mentorship"].public_id, version]))
    assert page.status_code == 200
    html = page.content.decode()
    assert AGREEMENT_FIELDS["purpose_and_goals"] in html
    assert "Hemlig sammanfattning" not in html


def test_agreement_versions_show_meeting_1_notes_when_the_pair_opened_them(
    client_for, mentee, mentor, coordinator, journal
):
    version = _saved_agreement(client_for, mentee, journal, Confidentiality.OPEN, confirmed_by=(mentee, mentor))
    page = client_for(coordinator).get(
        reverse("agreement_version_detail", args=[journal["mentorship"].public_id, version])
    )
    assert "Hemlig sammanfattning v2" in page.content.decode()


def test_a_version_saved_as_private_stays_private_after_the_pair_opens_the_agreement(
    client_for, mentee, mentor, coordinator, journal
):
    private = _saved_agreement(client_for, mentee, journal, Confidentiality.PRIVATE)
    opened = _saved_agreement(client_for, mentee, journal, Confidentiality.AGREEMENT, confirmed_by=(mentee, mentor))
    client = client_for(coordinator)
    url_ = reverse("agreement_version_detail", args=[journal["mentorship"].public_id, private])
    assert client.get(url_).status_code == 404
    listing = client.get(reverse("agreement_versions", args=[journal["mentorship"].public_id]))
    assert listing.status_code == 200
    assert url_ not in listing.content.decode()
    assert (
        reverse("agreement_version_detail", args=[journal["mentorship"].public_id, opened]) in listing.content.decode()
    )


def test_print_tells_a_coordinator_the_agreement_is_private_not_missing(client_for, coordinator, journal, settings):
    settings.LANGUAGE_CODE = "en"
    html = client_for(coordinator).get(url("journal_print", journal)).content.decode()
    assert "has not been written yet" not in html
    assert "between themselves" in html


def test_the_mentor_can_comment_on_meeting_1_from_the_timeline(client_for, mentor, coordinator, journal):
    """'The mentor can add a comment to any meeting': Tillfälle 1 too."""
    first = MeetingFactory(mentorship=journal["mentorship"], number=1, status="held", starts_at=None, ends_at=None)
    client = client_for(mentor)
    timeline = client.get(url("mentorship_detail", journal)).content.decode()
    detail = reverse("meeting_detail", args=[first.public_id])
    assert f'href="{detail}"' in timeline
    page = client.get(detail).content.decode()
    assert "Hemlig sammanfattning av träff 1" in page
    assert client.post(reverse("comment_add", args=[first.public_id]), {"text": "Bra start!"}).status_code == 302
    assert first.comments.get().text == "Bra start!"
    journal["agreement"].confidentiality = Confidentiality.AGREEMENT
    journal["agreement"].save()
    assert "Hemlig" not in client_for(coordinator).get(detail).content.decode()
