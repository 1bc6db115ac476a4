"""Importing pairs from a CSV file in the admin: preview, then all or nothing."""

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from programs.models import FocusArea, Mentorship, Organisation, PairImportUpload, ProgramKind
from programs.pair_import import parse_pairs

from .factories import MentorshipFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


IMPORT_URL = reverse("admin:programs_mentorship_import")
HEADER = "program,mentor_email,mentor_name,mentee_email,mentee_name,mentor_organisation,mentee_organisation,focus_areas"


@pytest.fixture
def associations(coordinator):
    program = ProgramFactory(name="Föreningar 2026", kind=ProgramKind.ASSOCIATIONS)
    program.coordinators.add(coordinator)
    return program


def csv_file(*rows, header=HEADER, name="par.csv", encoding="utf-8"):
    text = "\n".join([header, *rows]) + "\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def upload(client, file):
    response = client.post(IMPORT_URL, {"file": file})
    assert response.status_code == 200
    return response


def errors_of(response):
    """[(line, message)] as the page shows them."""
    result = response.context["result"]
    assert result is not None
    return list(result.errors)


def confirm(client, response):
    return client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]})


GOOD_ROWS = [
    "Ledarskap 2026,mentor1@example.org,Anna Andersson,mentee1@example.org,Bo Berg,,,Utveckling i befintlig roll",
    "ledarskap 2026,Mentor2@Example.org,Cecilia Carlsson,mentee2@example.org,David Dahl,,,"
    '"Utveckling till en ny roll;Hållbart och långvarigt ledarskap"',
    "Föreningar 2026,kontakt@framat.example.org,Eva Ek,kontakt@gnistan.example.org,Filip Fors,"
    "Idrottsföreningen Framåt,Kulturföreningen Gnistan,Samverkan",
]


def test_good_file_preview_then_confirm_creates_all(client_for, coordinator, program, associations):
    client = client_for(coordinator)
    assert client.get(IMPORT_URL).status_code == 200

    preview = upload(client, csv_file(*GOOD_ROWS))
    assert errors_of(preview) == []
    html = preview.content.decode()
    assert 'id="import-preview"' in html
    # The file names the focus area in Swedish; the English preview shows it in English.
    for text in ("Anna Andersson", "mentee2@example.org", "Kulturföreningen Gnistan", "Sustainable and lasting"):
        assert text in html
    # The preview saves nothing.
    assert not Mentorship.objects.exists()
    assert not User.objects.filter(email__endswith="example.org").exclude(pk=coordinator.pk).exists()

    response = confirm(client, preview)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:programs_mentorship_changelist")
    assert "3" in str(next(iter(get_messages(response.wsgi_request))))

    assert Mentorship.objects.count() == 3
    first = Mentorship.objects.get(mentee__email="mentee1@example.org")
    assert first.program == program
    assert first.mentor.name == "Anna Andersson"
    assert [fa.name for fa in first.focus_areas.all()] == ["Utveckling i befintlig roll"]
    second = Mentorship.objects.get(mentee__email="mentee2@example.org")
    assert second.mentor.email == "mentor2@example.org"
    assert second.focus_areas.count() == 2
    third = Mentorship.objects.get(program=associations)
    assert third.mentor_organisation.name == "Idrottsföreningen Framåt"
    assert third.mentee_organisation.name == "Kulturföreningen Gnistan"
    # New people are created without a password and invited.
    assert not third.mentee.has_usable_password()
    assert third.mentee.invitations.count() == 1


def test_existing_people_are_reused(client_for, coordinator, program, mentor):
    client = client_for(coordinator)
    preview = upload(client, csv_file("Ledarskap 2026,MENTOR@example.org,Annat Namn,ny@example.org,Ny Person,,,"))
    confirm(client, preview)
    pair = Mentorship.objects.get()
    assert pair.mentor == mentor
    mentor.refresh_from_db()
    assert mentor.name == "Erik Mentor"  # never overwritten by an import
    assert User.objects.filter(email="ny@example.org").exists()


def test_semicolon_separated_file_from_excel(client_for, coordinator, program):
    """Swedish Excel saves CSV with semicolons and in Windows-1252."""
    header = HEADER.replace(",", ";")
    rows = [
        "Ledarskap 2026;asa@example.org;Åsa Öberg;mentee1@example.org;Örjan Ärlig;;;Utveckling i befintlig roll",
        "Ledarskap 2026;mentor2@example.org;Per Persson;mentee2@example.org;Pia Pålsson;;;",
    ]
    client = client_for(coordinator)
    preview = upload(client, csv_file(*rows, header=header, encoding="cp1252"))
    assert errors_of(preview) == []
    confirm(client, preview)
    assert Mentorship.objects.count() == 2
    assert User.objects.get(email="asa@example.org").name == "Åsa Öberg"
    assert User.objects.get(email="mentee1@example.org").name == "Örjan Ärlig"


def test_semicolon_file_with_short_rows_and_commas_in_names(client_for, coordinator, program):
    header = "program;mentor_email;mentor_name;mentee_email;mentee_name;focus_areas"
    rows = [
        "Ledarskap 2026;a@example.org;Andersson, Anna;b@example.org;Berg, Bo",
        "Ledarskap 2026;c@example.org;Carlsson, Cia;d@example.org;Dahl, Dan;Utveckling till en ny roll",
    ]
    preview = upload(client_for(coordinator), csv_file(*rows, header=header))
    assert errors_of(preview) == []
    assert [row.mentor_name for row in preview.context["result"].rows] == ["Andersson, Anna", "Carlsson, Cia"]


def test_quotes_inside_a_quoted_value(client_for, coordinator, program):
    row = 'Ledarskap 2026,a@example.org,"Anna ""Annie"" Andersson",b@example.org,Bo,,,'
    preview = upload(client_for(coordinator), csv_file(row))
    assert errors_of(preview) == []
    assert preview.context["result"].rows[0].mentor_name == 'Anna "Annie" Andersson'


def test_line_numbers_count_blank_lines_and_line_breaks_in_values(client_for, coordinator, program):
    rows = [
        GOOD_ROWS[0],  # line 2
        "",  # line 3
        'Ledarskap 2026,m@example.org,"Två',  # line 4, a value over two lines
        'rader",e@example.org,E,,,',  # line 5
        "Okänt,x@example.org,X,y@example.org,Y,,,",  # line 6
    ]
    errors = errors_of(upload(client_for(coordinator), csv_file(*rows)))
    assert [line for line, _message in errors] == [6]


def test_too_many_rows(client_for, coordinator, program, monkeypatch):
    monkeypatch.setattr("programs.pair_import.MAX_ROWS", 2)
    rows = [f"Ledarskap 2026,m{i}@example.org,M,e{i}@example.org,E,,," for i in range(3)]
    errors = errors_of(upload(client_for(coordinator), csv_file(*rows)))
    assert errors == [(4, "The file has more than 2 rows. Import at most 2 pairs at a time: split the file.")]


def test_comma_file_with_semicolon_separated_focus_areas_in_every_row(client_for, coordinator, program):
    """Unquoted focus areas separated by semicolons must not fool the delimiter detection."""
    rows = [
        f"Ledarskap 2026,mentor{i}@example.org,Mentor {i},mentee{i}@example.org,Mentee {i},,,"
        "Utveckling i befintlig roll;Utveckling till en ny roll"
        for i in range(3)
    ]
    client = client_for(coordinator)
    preview = upload(client, csv_file(*rows))
    assert errors_of(preview) == []
    confirm(client, preview)
    assert Mentorship.objects.count() == 3
    assert all(pair.focus_areas.count() == 2 for pair in Mentorship.objects.all())


def test_header_with_spaces_and_capitals_and_blank_lines(client_for, coordinator, program):
    header = " Program , Mentor_Email ,Mentor_Name, Mentee_Email ,Mentee_Name"
    client = client_for(coordinator)
    preview = upload(client, csv_file("Ledarskap 2026,a@example.org,A,b@example.org,B", "", ",,,,", header=header))
    assert errors_of(preview) == []
    assert len(preview.context["result"].rows) == 1


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("Okänt program,m@example.org,M,e@example.org,E,,,", "Unknown program"),
        ("Ledarskap 2026,inte-en-adress,M,e@example.org,E,,,", "Invalid e-mail"),
        ("Ledarskap 2026,m@example.org,M,,E,,,", "Invalid e-mail"),
        ("Ledarskap 2026,m@example.org,M,e@exa mple.org,E,,,", "Invalid e-mail"),
        ("Ledarskap 2026,same@example.org,M,SAME@example.org,E,,,", "same person"),
        ("Ledarskap 2026,m@example.org,M,e@example.org,E,,,Fiske", "Unknown focus area"),
        ("Ledarskap 2026,m@example.org," + "M" * 151 + ",e@example.org,E,,,", "longer than"),
        ("Ledarskap 2026,m@example.org,M,e@example.org,E," + "F" * 201 + ",,", "longer than"),
    ],
)
def test_bad_row_is_reported_with_line_and_reason_and_nothing_saved(client_for, coordinator, program, row, reason):
    client = client_for(coordinator)
    response = upload(client, csv_file(GOOD_ROWS[0], row))
    errors = errors_of(response)
    assert len(errors) == 1
    line, message = errors[0]
    assert line == 3
    assert reason in message
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert 'id="import-preview"' not in html
    assert 'name="token"' not in html
    assert not Mentorship.objects.exists()
    assert not User.objects.filter(email="mentor1@example.org").exists()


def test_duplicate_pair_in_the_file(client_for, coordinator, program):
    rows = [GOOD_ROWS[0], GOOD_ROWS[0].replace("mentor1@", "MENTOR1@")]
    errors = errors_of(upload(client_for(coordinator), csv_file(*rows)))
    assert len(errors) == 1
    assert errors[0][0] == 3
    assert "already exists" in errors[0][1]


def test_duplicate_pair_already_in_the_database(client_for, coordinator, program, mentorship):
    row = "Ledarskap 2026,Mentor@Example.org,Erik,mentee@example.org,Maja,,,"
    errors = errors_of(upload(client_for(coordinator), csv_file(row)))
    assert errors == [(2, "The pair already exists in the program.")]


def test_the_same_pair_in_another_program_is_fine(client_for, coordinator, program, associations):
    rows = [
        "Ledarskap 2026,m@example.org,M,e@example.org,E,,,",
        "Föreningar 2026,m@example.org,M,e@example.org,E,,,",
    ]
    assert errors_of(upload(client_for(coordinator), csv_file(*rows))) == []


def test_several_bad_rows_among_good_ones_each_reported(client_for, coordinator, program):
    rows = [
        GOOD_ROWS[0],  # line 2
        "Okänt,m@example.org,M,e@example.org,E,,,",  # line 3
        GOOD_ROWS[1],  # line 4
        "Ledarskap 2026,x@example.org,X,x@example.org,X,,,",  # line 5
        "Ledarskap 2026,m5@example.org,M,e5@example.org,E,,,",  # line 6
        "Ledarskap 2026,@example.org,M,e6@example.org,E,,,",  # line 7
    ]
    client = client_for(coordinator)
    response = upload(client, csv_file(*rows))
    assert [line for line, _message in errors_of(response)] == [3, 5, 7]
    html = response.content.decode()
    for line in (3, 5, 7):
        assert re.search(rf"\b{line}\b", html)
    assert not Mentorship.objects.exists()
    assert User.objects.count() == 1  # only the coordinator


def test_missing_required_column(client_for, coordinator, program):
    header = "program,mentor_email,mentor_name,mentee_name"
    errors = errors_of(upload(client_for(coordinator), csv_file("Ledarskap 2026,m@example.org,M,E", header=header)))
    assert errors == [(1, "Missing columns: mentee_email")]


def test_empty_file_and_header_only(client_for, coordinator, program):
    client = client_for(coordinator)
    assert errors_of(upload(client, csv_file()))[0][0] == 1
    empty = client.post(IMPORT_URL, {"file": SimpleUploadedFile("tom.csv", b"", content_type="text/csv")})
    assert empty.status_code == 200
    assert not Mentorship.objects.exists()


def test_binary_file_is_refused_with_a_message(client_for, coordinator, program):
    junk = SimpleUploadedFile("bild.csv", bytes(range(256)) * 8, content_type="text/csv")
    response = client_for(coordinator).post(IMPORT_URL, {"file": junk})
    assert response.status_code == 200
    assert errors_of(response)[0][0] == 1
    assert not Mentorship.objects.exists()


def test_huge_field_is_refused_with_a_message(client_for, coordinator, program):
    row = "Ledarskap 2026,m@example.org," + "M" * 200_000 + ",e@example.org,E,,,"
    response = client_for(coordinator).post(IMPORT_URL, {"file": csv_file(row)})
    assert response.status_code == 200
    assert errors_of(response)
    assert not Mentorship.objects.exists()


def test_html_in_a_name_is_escaped_in_the_preview_and_stored_as_text(client_for, coordinator, program):
    name = '<script>alert("x")</script><b>Bo</b>'
    row = f'Ledarskap 2026,m@example.org,"{name.replace(chr(34), chr(34) * 2)}",e@example.org,E,,,'
    client = client_for(coordinator)
    preview = upload(client, csv_file(row))
    assert errors_of(preview) == []
    html = preview.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    confirm(client, preview)
    assert User.objects.get(email="m@example.org").name == name


def test_html_in_an_unknown_program_name_is_escaped_in_the_error(client_for, coordinator, program):
    row = "<img src=x onerror=alert(1)>,m@example.org,M,e@example.org,E,,,"
    response = upload(client_for(coordinator), csv_file(row))
    html = response.content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_unknown_or_used_token_is_refused(client_for, coordinator, program):
    client = client_for(coordinator)
    preview = upload(client, csv_file(GOOD_ROWS[0]))
    token = preview.context["token"]
    for bad in (token[:-3] + "AAA", "", None):
        data = {"confirm": "1"} if bad is None else {"confirm": "1", "token": bad}
        response = client.post(IMPORT_URL, data)
        assert response.status_code == 302
        assert response["Location"] == IMPORT_URL
    assert not Mentorship.objects.exists()
    assert confirm(client, preview).status_code == 302
    assert Mentorship.objects.count() == 1
    # A token imports once: a second click (or the back button) adds nothing.
    response = confirm(client, preview)
    assert response["Location"] == IMPORT_URL
    assert Mentorship.objects.count() == 1


def test_an_expired_token_is_refused(client_for, coordinator, program):
    client = client_for(coordinator)
    preview = upload(client, csv_file(GOOD_ROWS[0]))
    PairImportUpload.objects.update(created_at=timezone.now() - dt.timedelta(hours=1, minutes=1))
    response = confirm(client, preview)
    assert response["Location"] == IMPORT_URL
    assert "expired" in str(next(iter(get_messages(response.wsgi_request))))
    assert not Mentorship.objects.exists()


def test_confirm_validates_again(client_for, coordinator, program):
    """A pair added between preview and confirm makes the whole import stop."""
    client = client_for(coordinator)
    preview = upload(client, csv_file(GOOD_ROWS[0], GOOD_ROWS[1]))
    MentorshipFactory(
        program=program,
        mentor=UserFactory(email="mentor2@example.org"),
        mentee=UserFactory(email="mentee2@example.org"),
    )
    response = confirm(client, preview)
    assert response.status_code == 200
    assert errors_of(response) == [(3, "The pair already exists in the program.")]
    assert Mentorship.objects.count() == 1


def test_coordinator_cannot_import_into_another_program(client_for, coordinator, program, other_program):
    row = f"{other_program.name},m@example.org,M,e@example.org,E,,,"
    errors = errors_of(upload(client_for(coordinator), csv_file(row)))
    assert errors == [(2, f"Unknown program: {other_program.name}")]
    assert not Mentorship.objects.exists()


def test_superuser_imports_into_any_program(client_for, superuser, program, other_program):
    client = client_for(superuser)
    rows = [
        f"{program.name},m@example.org,M,e@example.org,E,,,",
        f"{other_program.name},m@example.org,M,e@example.org,E,,,",
    ]
    confirm(client, upload(client, csv_file(*rows)))
    assert Mentorship.objects.count() == 2


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_import_page_is_for_coordinators(client_for, request, program, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    response = client_for(user).post(IMPORT_URL, {"file": csv_file(GOOD_ROWS[0])})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not Mentorship.objects.exists()


def test_staff_without_programs_cannot_import(client_for, program):
    staff = UserFactory(email="personal@example.org", is_staff=True)
    response = client_for(staff).post(IMPORT_URL, {"file": csv_file(GOOD_ROWS[0])})
    assert response.status_code == 403


def test_organisations_are_reused_by_name(client_for, coordinator, associations):
    Organisation.objects.create(name="Idrottsföreningen Framåt")
    client = client_for(coordinator)
    confirm(client, upload(client, csv_file(GOOD_ROWS[2])))
    assert Organisation.objects.count() == 2


def test_changelist_links_to_the_import(client_for, coordinator, program):
    response = client_for(coordinator).get(reverse("admin:programs_mentorship_changelist"))
    assert IMPORT_URL in response.content.decode()


def test_someone_elses_token_is_refused(client, coordinator, other_coordinator, superuser, program):
    client.force_login(coordinator)
    preview = upload(client, csv_file(GOOD_ROWS[0]))
    token = preview.context["token"]
    for someone_else in (other_coordinator, superuser):
        client.force_login(someone_else)
        response = client.post(IMPORT_URL, {"confirm": "1", "token": token})
        assert response.status_code == 302
        assert response["Location"] == IMPORT_URL
    assert not Mentorship.objects.exists()
    # The file is still the uploader's to import.
    client.force_login(coordinator)
    assert confirm(client, preview).status_code == 302
    assert Mentorship.objects.count() == 1


def test_a_focus_area_the_program_does_not_offer_is_refused(db, superuser):
    program = ProgramFactory(name="Bara strategi")
    program.focus_areas.add(FocusArea.objects.get(name="Strategiskt arbete"))
    data = (
        b"program,mentor_email,mentee_email,focus_areas\n"
        b"Bara strategi,a@example.org,b@example.org,Strategiskt arbete\n"
        b"Bara strategi,c@example.org,d@example.org,Samverkan\n"
    )
    result = parse_pairs(data, superuser)
    assert [line for line, _message in result.errors] == [3]


def test_checking_for_existing_pairs_reads_each_program_once(db, superuser, mentorship, django_assert_num_queries):
    """A 2,000-row file must not become 2,000 queries: the number of queries
    is the same for 1 row and for 30."""
    name = mentorship.program.name
    # Focus areas too: the program names none, so it offers all of its kind.
    area = "Utveckling i befintlig roll"
    rows = [f"{name},mentor{n}@example.org,M,mentee{n}@example.org,E,,,{area}" for n in range(30)]
    # The pair that already exists, in another case, is still found.
    rows.append(f"{name},{mentorship.mentor.email.upper()},M,{mentorship.mentee.email},E,,,")
    data = "\n".join([HEADER, *rows]).encode()
    # The programs, their focus areas, all focus areas, the program's pairs,
    # the areas of the program's kind.
    with django_assert_num_queries(5):
        result = parse_pairs(data, superuser)
    assert len(result.rows) == 30
    assert [line for line, _message in result.errors] == [32]
