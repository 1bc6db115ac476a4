"""The coordinator's pair admin at its edges: what the program page may not
do to pairs, over-long input, and people replaced on an existing pair."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.mail_kinds import AccountMail
from accounts.models import Invitation, User
from outbox.models import MailStatus, OutgoingMail
from programs.mail_kinds import ProgramMail
from programs.models import FocusArea, Mentorship, Organisation, ProgramKind
from sessions.models import Agreement, Meeting

from .factories import AgreementFactory, MeetingFactory, MentorshipFactory, ProgramFactory, UserFactory
from .helpers import admin_forms
from .helpers.admin_forms import pair_edit_form, pair_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def stale_program_form(program, mentorship):
    """The program's change form with the pair rows it had before they left
    the page, one asking to delete the pair and one to end it unseen."""
    rows = {"TOTAL_FORMS": 1, "INITIAL_FORMS": 1, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000}
    row = {"id": mentorship.pk, "program": program.pk, "status": "ended", "ends_on": "", "DELETE": "on"}
    return admin_forms.program_form(
        name=program.name,
        kind=program.kind,
        starts_on=program.starts_on,
        **{f"mentorships-{key}": value for key, value in rows.items()},
        **{f"mentorships-0-{key}": value for key, value in row.items()},
    )


def test_the_program_page_cannot_delete_or_change_a_pair_and_its_notes(client_for, coordinator, program, mentorship):
    AgreementFactory(mentorship=mentorship)
    MeetingFactory(mentorship=mentorship, number=1)
    client = client_for(coordinator)
    page = client.get(reverse("admin:programs_program_change", args=[program.pk]))
    assert "mentorships-" not in page.content.decode()

    response = client.post(
        reverse("admin:programs_program_change", args=[program.pk]), stale_program_form(program, mentorship)
    )

    assert response.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.status == "active"
    assert Agreement.objects.filter(mentorship=mentorship).exists()
    assert Meeting.objects.filter(mentorship=mentorship).exists()


@pytest.mark.parametrize(
    "overrides",
    [
        # Valid by the e-mail validator (at most 320 characters) but longer
        # than the 254 the user table holds: PostgreSQL refused it with a 500.
        {"mentor_email": "a" * 250 + "@example.org"},
        {"mentee_name": "N" * 151},
    ],
)
def test_too_long_input_for_a_person_is_a_form_error(client_for, coordinator, program, overrides):
    response = client_for(coordinator).post(reverse("admin:programs_mentorship_add"), pair_form(program, **overrides))

    assert response.status_code == 200
    field = next(iter(overrides))
    assert field in response.context["adminform"].form.errors
    assert not Mentorship.objects.exists()
    assert not User.objects.filter(email__startswith="aaaa").exists()


def test_a_csv_file_with_a_nul_byte_is_refused_not_saved(client_for, coordinator, program):
    # It decodes as UTF-8 and validated; saving it was a 500 on PostgreSQL.
    content = (
        b"program,mentor_email,mentor_name,mentee_email,mentee_name\n"
        b"Ledarskap 2026,m@example.org,Bo\x00Berg,e@example.org,Eva\n"
    )
    client = client_for(coordinator)
    url = reverse("admin:programs_mentorship_import")
    response = client.post(url, {"file": SimpleUploadedFile("par.csv", content)})

    assert response.status_code == 200
    result = response.context["result"]
    assert not result.ok
    assert result.errors[0][0] == 1
    # A file with errors is not kept, so there is nothing to confirm.
    assert "token" not in response.context
    confirmed = client.post(url, {"confirm": "1", "token": ""})
    assert confirmed.status_code == 302
    assert not Mentorship.objects.exists()


def mail_to(email):
    return sorted(OutgoingMail.objects.filter(recipient__email=email).values_list("kind", flat=True))


def test_a_person_put_in_place_of_another_on_a_pair_is_invited(client_for, coordinator, mentorship):
    client = client_for(coordinator)
    url = reverse("admin:programs_mentorship_change", args=[mentorship.pk])

    response = client.post(url, pair_edit_form(mentorship, mentor_email="ersattare@example.org"))

    assert response.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.mentor.email == "ersattare@example.org"
    assert mail_to("ersattare@example.org") == [AccountMail.INVITATION]
    assert Invitation.objects.filter(user=mentorship.mentor, mentorship=mentorship).exists()
    # The mentee, who stays, is not told again.
    assert mail_to(mentorship.mentee.email) == []


def test_a_registered_person_put_on_a_pair_gets_a_notice(client_for, coordinator, mentorship):
    registered = UserFactory(email="registrerad@example.org")
    response = client_for(coordinator).post(
        reverse("admin:programs_mentorship_change", args=[mentorship.pk]),
        pair_edit_form(mentorship, mentee_email=registered.email),
    )

    assert response.status_code == 302
    assert mail_to(registered.email) == [ProgramMail.PAIR_NOTICE]
    assert mail_to(mentorship.mentor.email) == []


def test_editing_a_pair_without_changing_people_sends_nothing(client_for, coordinator, mentorship):
    response = client_for(coordinator).post(
        reverse("admin:programs_mentorship_change", args=[mentorship.pk]),
        pair_edit_form(mentorship, status="active"),
    )

    assert response.status_code == 302
    assert not OutgoingMail.objects.exists()


def test_a_pair_may_only_have_focus_areas_its_program_offers(client_for, coordinator, program, mentorship):
    offered, other = FocusArea.objects.all()[:2]
    program.focus_areas.set([offered])
    client = client_for(coordinator)
    url = reverse("admin:programs_mentorship_change", args=[mentorship.pk])

    refused = client.post(url, pair_edit_form(mentorship, focus_areas=[other.pk]))
    assert refused.status_code == 200
    assert "does not offer" in str(refused.context["adminform"].form.errors["focus_areas"])
    assert not mentorship.focus_areas.exists()

    accepted = client.post(url, pair_edit_form(mentorship, focus_areas=[offered.pk]))
    assert accepted.status_code == 302
    assert list(mentorship.focus_areas.all()) == [offered]


def test_a_bad_organisation_number_is_reported_once_beside_its_field(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("admin:programs_organisation_add"), {"name": "Förening", "organisation_number": "123"}
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["organisation_number"]
    assert len(errors["organisation_number"]) == 1


def test_a_coordinator_cannot_rename_an_association_another_program_uses(
    client_for, coordinator, mentorship, other_program
):
    theirs = Organisation.objects.create(name="Bara vår förening")
    shared = Organisation.objects.create(name="Delad förening")
    mentorship.mentor_organisation = theirs
    mentorship.save()
    MentorshipFactory(program=other_program, mentee_organisation=shared)
    client = client_for(coordinator)

    refused = client.post(
        reverse("admin:programs_organisation_change", args=[shared.pk]), {"name": "Omdöpt", "organisation_number": ""}
    )
    assert refused.status_code == 403
    assert client.get(reverse("admin:programs_organisation_change", args=[shared.pk])).status_code == 200  # read-only
    allowed = client.post(
        reverse("admin:programs_organisation_change", args=[theirs.pk]), {"name": "Omdöpt", "organisation_number": ""}
    )
    assert allowed.status_code == 302
    shared.refresh_from_db()
    theirs.refresh_from_db()
    assert (shared.name, theirs.name) == ("Delad förening", "Omdöpt")


def test_a_person_taken_off_a_pair_loses_the_link_and_the_unsent_mail(client_for, coordinator, program):
    client = client_for(coordinator)
    client.post(reverse("admin:programs_mentorship_add"), pair_form(program, mentor_email="felskrivet@exmaple.org"))
    pair = Mentorship.objects.get()
    mistyped = pair.mentor
    [link] = Invitation.objects.filter(user=mistyped)
    assert mail_to(mistyped.email) == [AccountMail.INVITATION]

    response = client.post(
        reverse("admin:programs_mentorship_change", args=[pair.pk]),
        pair_edit_form(pair, mentor_email="ratt@example.org"),
    )

    assert response.status_code == 302
    assert not Invitation.objects.filter(pk=link.pk).exists()
    assert client.get(reverse("invitation_accept", args=[link.public_id])).status_code == 404
    assert list(OutgoingMail.objects.filter(recipient=mistyped).values_list("status", flat=True)) == [
        MailStatus.CANCELLED
    ]
    assert mail_to("ratt@example.org") == [AccountMail.INVITATION]
    # The mentee, who stays, keeps their link and their mail.
    assert Invitation.objects.filter(user=pair.mentee, mentorship=pair).exists()
    assert OutgoingMail.objects.get(recipient=pair.mentee).status == MailStatus.PENDING


def test_swapping_mentor_and_mentee_withdraws_nothing(client_for, coordinator, program):
    client = client_for(coordinator)
    client.post(reverse("admin:programs_mentorship_add"), pair_form(program))
    pair = Mentorship.objects.get()

    response = client.post(
        reverse("admin:programs_mentorship_change", args=[pair.pk]),
        pair_edit_form(pair, mentor_email=pair.mentee.email, mentee_email=pair.mentor.email),
    )

    assert response.status_code == 302
    assert Invitation.objects.filter(mentorship=pair).count() == 4  # the first two, and one each for the new roles
    assert not OutgoingMail.objects.filter(status=MailStatus.CANCELLED).exists()


def test_a_coordinator_sets_an_associations_contact_persons_by_e_mail(client_for, coordinator):
    client = client_for(coordinator)
    add = reverse("admin:programs_organisation_add")
    response = client.post(add, {"name": "Gnistan", "organisation_number": "", "contact_emails": "inte-en-adress"})
    assert response.status_code == 200 and not Organisation.objects.exists()
    client.post(
        add,
        {"name": "Gnistan", "organisation_number": "", "contact_emails": "Ordf@Gnistan.se\nkassor@gnistan.se\n"},
    )
    organisation = Organisation.objects.get(name="Gnistan")
    assert sorted(c.email for c in organisation.contacts.all()) == ["kassor@gnistan.se", "ordf@gnistan.se"]
    change = reverse("admin:programs_organisation_change", args=[organisation.pk])
    assert "kassor@gnistan.se" in client.get(change).content.decode()


def test_an_area_the_pair_already_has_does_not_stop_other_changes(client_for, coordinator, program, mentorship):
    """The program stopped offering an area the pair chose: ending the pair
    must not require taking the area away from what they agreed."""
    kept, offered = FocusArea.objects.filter(kind=program.kind)[:2]
    mentorship.focus_areas.set([kept])
    program.focus_areas.set([offered])
    url = reverse("admin:programs_mentorship_change", args=[mentorship.pk])

    response = client_for(coordinator).post(url, pair_edit_form(mentorship, focus_areas=[kept.pk], status="ended"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    mentorship.refresh_from_db()
    assert mentorship.status == "ended" and list(mentorship.focus_areas.all()) == [kept]


def test_an_open_pair_cannot_be_saved_past_its_end_date(client_for, coordinator, program, mentorship):
    """The hourly scan would end it again; say so now instead."""
    url = reverse("admin:programs_mentorship_change", args=[mentorship.pk])
    client = client_for(coordinator)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()

    refused = client.post(url, pair_edit_form(mentorship, status="active", ends_on=yesterday))
    assert refused.status_code == 200 and "ends_on" in refused.context["adminform"].form.errors

    ended = client.post(url, pair_edit_form(mentorship, status="ended", ends_on=yesterday))
    assert ended.status_code == 302


def test_an_end_date_years_ahead_is_refused_as_the_list_action_refuses_it(client_for, coordinator, mentorship):
    """2062 for 2026 is a slip of the keyboard, on the pair as on the list."""
    url = reverse("admin:programs_mentorship_change", args=[mentorship.pk])
    client = client_for(coordinator)
    today = timezone.localdate()
    last = dt.date(today.year + 5, 12, 31)

    refused = client.post(url, pair_edit_form(mentorship, ends_on=(last + dt.timedelta(days=1)).isoformat()))
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["ends_on"] == [
        f"Choose an end date no later than {date_format(last)}."
    ]
    mentorship.refresh_from_db()
    assert mentorship.ends_on != last + dt.timedelta(days=1)

    assert client.post(url, pair_edit_form(mentorship, ends_on=last.isoformat())).status_code == 302


def test_an_end_date_after_the_programs_end_is_refused(client_for, coordinator, program, mentorship):
    program.ends_on = timezone.localdate() + dt.timedelta(days=30)
    program.save()
    url = reverse("admin:programs_mentorship_change", args=[mentorship.pk])
    later = (program.ends_on + dt.timedelta(days=1)).isoformat()
    refused = client_for(coordinator).post(url, pair_edit_form(mentorship, ends_on=later))
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors["ends_on"]
    assert errors == [f"The program ends on {date_format(program.ends_on)}: a pair's end date cannot be later."]
    ok = client_for(coordinator).post(url, pair_edit_form(mentorship, ends_on=program.ends_on.isoformat()))
    assert ok.status_code == 302


def test_a_pair_moved_to_another_program_takes_only_areas_that_program_offers(client_for, superuser, mentorship):
    individual = FocusArea.objects.filter(kind=ProgramKind.INDIVIDUALS).first()
    mentorship.focus_areas.set([individual])
    associations = ProgramFactory(kind=ProgramKind.ASSOCIATIONS)
    url = reverse("admin:programs_mentorship_change", args=[mentorship.pk])

    response = client_for(superuser).post(
        url, pair_edit_form(mentorship, program=associations.pk, focus_areas=[individual.pk])
    )

    assert response.status_code == 200 and "focus_areas" in response.context["adminform"].form.errors


def test_the_pair_form_asks_for_the_mentee_first(client_for, coordinator, mentorship):
    """As every other page names them: the mentee drives the mentorship."""
    html = client_for(coordinator).get(reverse("admin:programs_mentorship_change", args=[mentorship.pk])).text
    assert html.index('name="mentee_email"') < html.index('name="mentor_email"')
