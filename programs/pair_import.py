"""CSV import of pairs: validate every row, preview, then save all or none."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.services import is_registered

from .models import FocusArea, Mentorship, Organisation, Program, ProgramKind
from .permissions import coordinated_program_ids
from .services import mentorship_announce, mentorship_create, person_get_or_create, programs_lock_for_new_pairs

COLUMNS = [
    "program",
    "mentor_email",
    "mentor_name",
    "mentee_email",
    "mentee_name",
    "mentor_organisation",
    "mentee_organisation",
    "focus_areas",
]
# The headers of the sample file and the admin's help, in Swedish as the
# coordinators write them; the English ones of the first version still work.
SWEDISH_COLUMNS = {
    "program": "program",
    "mentor_email": "mentor_e-post",
    "mentor_name": "mentor_namn",
    "mentee_email": "mentee_e-post",
    "mentee_name": "mentee_namn",
    "mentor_organisation": "mentor_förening",
    "mentee_organisation": "mentee_förening",
    "focus_areas": "fokusområden",
}
HEADER_ALIASES = {swedish: column for column, swedish in SWEDISH_COLUMNS.items()} | {
    "mentor_epost": "mentor_email",
    "mentee_epost": "mentee_email",
}
REQUIRED = ["program", "mentor_email", "mentee_email"]
MAX_ROWS = 2000
MAX_FIELD = 200


@dataclass
class PairRow:
    line: int
    program: Program
    mentor_email: str
    mentor_name: str
    mentee_email: str
    mentee_name: str
    mentor_organisation: str
    mentee_organisation: str
    focus_areas: list = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list
    errors: list  # (line, message)

    @property
    def ok(self):
        return not self.errors and bool(self.rows)


def _decode(data):
    # A NUL byte means a binary file; PostgreSQL also refuses it in text.
    if b"\x00" not in data:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise ValidationError(_("The file is not a readable text file. Save it as CSV (UTF-8)."))


SEPARATOR_LINE = re.compile(r'^"?sep=(.)"?$', re.IGNORECASE)


def _reader(text):
    """A DictReader for the text, and how many lines it skipped at the top."""
    # newline="": the csv module then ends rows at \n, \r\n and a lone \r
    # (old Mac and some exports), and keeps line breaks inside quoted values.
    stream = io.StringIO(text, newline="")
    lines = text.splitlines()
    skipped = 0
    # Excel may write "sep=;" as the first line: it names the separator.
    named = SEPARATOR_LINE.match(lines[0].strip()) if lines else None
    if named:
        stream.readline()
        skipped = 1
        delimiter = named.group(1)
    else:
        # The header row holds only column names, so the separator it uses is
        # the file's (Swedish Excel writes semicolons). Sniffing the rows
        # instead is fooled by short rows and guesses quoting rules wrongly.
        header = next((line for line in lines if line.strip()), "")
        delimiter = max((",", ";", "\t"), key=header.count)
    return csv.DictReader(stream, delimiter=delimiter), skipped


def parse_pairs(data, user):
    """Read and validate a CSV file's bytes; nothing is saved here."""
    try:
        text = _decode(data)
    except ValidationError as error:
        return ImportResult([], [(1, error.messages[0])])
    reader, skipped = _reader(text)
    try:
        return _parse_rows(reader, user, skipped)
    except csv.Error as error:
        # e.g. a field larger than the csv module's limit: report, do not crash.
        return ImportResult(
            [], [(reader.line_num + skipped, _("The file could not be read as CSV: %(error)s") % {"error": error})]
        )


def _parse_rows(reader, user, skipped):
    written = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    headers = [HEADER_ALIASES.get(h, h) for h in written]
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        # Named as the file names its columns, Swedish or English.
        swedish = any(HEADER_ALIASES.get(h, h) != h for h in written)
        names = [SWEDISH_COLUMNS[c] if swedish else c for c in missing]
        return ImportResult([], [(1 + skipped, _("Missing columns: %(columns)s") % {"columns": ", ".join(names)})])
    reader.fieldnames = headers
    programs = _programs_by_name(user)
    focus_areas = {fa.name.lower(): fa for fa in FocusArea.objects.all()}
    rows, errors, seen, per_program = [], [], set(), {}
    for count, raw in enumerate(reader, start=1):
        # The reader's own count, so blank lines and line breaks inside
        # quoted values do not shift the line numbers people see.
        line = reader.line_num + skipped
        if count > MAX_ROWS:
            too_many = _("The file has more than %(max)s rows. Import at most %(max)s pairs at a time: split the file.")
            errors.append((line, too_many % {"max": MAX_ROWS}))
            break
        values = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        if not any(values.values()):
            continue
        problem = _row_problem(values, programs, focus_areas, seen, per_program)
        if problem:
            errors.append((line, problem))
            continue
        rows.append(_row(line, values, programs, focus_areas))
    if not rows and not errors:
        errors.append((1, _("The file has no pairs.")))
    return ImportResult(rows, errors)


def _programs_by_name(user):
    qs = Program.objects.all()
    if not user.is_superuser:
        qs = qs.filter(id__in=coordinated_program_ids(user))
    return {p.name.lower(): p for p in qs.prefetch_related("focus_areas")}


def _max_length(column):
    # Names go into User.name: a longer one would fail on save (PostgreSQL).
    if column in ("mentor_name", "mentee_name"):
        return get_user_model()._meta.get_field("name").max_length
    return MAX_FIELD


def _offered_in(program, per_program):
    """The program's offered focus areas, read once per program and file."""
    key = ("offered", program.pk)
    if key not in per_program:
        per_program[key] = program.offered_focus_areas()
    return per_program[key]


def _pairs_in(program, per_program):
    """The program's pairs as (mentor e-mail, mentee e-mail), read once per
    program: a query per row would make a 2,000-row file 2,000 queries."""
    if program.pk not in per_program:  # the parse's cache of what it read per program
        pairs = Mentorship.objects.filter(program=program).annotate(
            mentor_key=Lower("mentor__email"), mentee_key=Lower("mentee__email")
        )
        per_program[program.pk] = set(pairs.values_list("mentor_key", "mentee_key"))
    return per_program[program.pk]


def _row_problem(values, programs, focus_areas, seen, per_program):
    """The reason a row cannot be imported, or None."""
    for column, value in values.items():
        if len(value) > _max_length(column):
            return _("The value in %(column)s is longer than %(max)s characters.") % {
                "column": column,
                "max": _max_length(column),
            }
    program = programs.get(values["program"].lower())
    if program is None:
        return _("Unknown program: %(name)s") % {"name": values["program"] or "–"}
    for column in ("mentor_email", "mentee_email"):
        try:
            validate_email(values[column])
        except ValidationError:
            return _("Invalid e-mail address: %(email)s") % {"email": values[column] or "–"}
    mentor, mentee = values["mentor_email"].lower(), values["mentee_email"].lower()
    if mentor == mentee:
        return _("The mentor and the mentee are the same person.")
    key = (program.pk, mentor, mentee)
    if key in seen or (mentor, mentee) in _pairs_in(program, per_program):
        return _("The pair already exists in the program.")
    seen.add(key)
    for name in _split(values["focus_areas"]):
        if name.lower() not in focus_areas:
            return _("Unknown focus area: %(name)s") % {"name": name}
        if program.focus_areas_not_offered([focus_areas[name.lower()]], offered=_offered_in(program, per_program)):
            return _("The program does not offer the focus area %(name)s.") % {"name": name}
    return None


def _split(value):
    return [part.strip() for part in value.replace("|", ";").split(";") if part.strip()]


def _row(line, values, programs, focus_areas):
    return PairRow(
        line=line,
        program=programs[values["program"].lower()],
        mentor_email=values["mentor_email"].lower(),
        mentor_name=values["mentor_name"],
        mentee_email=values["mentee_email"].lower(),
        mentee_name=values["mentee_name"],
        mentor_organisation=values["mentor_organisation"],
        mentee_organisation=values["mentee_organisation"],
        focus_areas=[focus_areas[n.lower()] for n in _split(values["focus_areas"])],
    )


@transaction.atomic
def import_pairs(result):
    """Save every row of a valid result, or none: one transaction."""
    if not result.ok:
        raise ValidationError(_("The file has errors; nothing was imported."))
    programs_lock_for_new_pairs({row.program.pk for row in result.rows})
    created = [_pair_create(row) for row in result.rows]
    _pairs_announce(created)
    return created


def _pairs_announce(pairs):
    """Tell the people of the new pairs, each new person once: a mentor with
    two mentees in the file gets one invitation (its link opens all their
    pairs), not one per row. People who are registered already get a notice
    per pair, since each names a different other party."""
    invited = set()
    for pair in pairs:
        people = [person for person in (pair.mentee, pair.mentor) if person.pk not in invited]
        invited.update(person.pk for person in people if not is_registered(person))
        if people:
            mentorship_announce(mentorship=pair, people=people)


def _pair_create(row):
    mentor, _created = person_get_or_create(email=row.mentor_email, name=row.mentor_name)
    mentee, _created = person_get_or_create(email=row.mentee_email, name=row.mentee_name)
    if Mentorship.objects.filter(program=row.program, mentor=mentor, mentee=mentee).exists():
        # Added by someone else between the preview and the confirmation.
        raise ValidationError(
            _("Line %(line)s: this pair was added to the program after the preview; nothing was imported.")
            % {"line": row.line}
        )
    return mentorship_create(
        notify=False,  # told once per person when all pairs are saved
        program=row.program,
        mentor=mentor,
        mentee=mentee,
        mentor_organisation=_organisation(row.mentor_organisation),
        mentee_organisation=_organisation(row.mentee_organisation),
        focus_areas=row.focus_areas,
    )


def _organisation(name):
    if not name:
        return None
    organisation, _created = Organisation.objects.get_or_create(name=name)
    return organisation


SAMPLE_PEOPLE = [
    ("anna.andersson@example.org", "Anna Andersson", "bo.berg@example.org", "Bo Berg"),
    ("anna.andersson@example.org", "Anna Andersson", "cecilia.carlsson@example.org", "Cecilia Carlsson"),
]
SAMPLE_ORGANISATIONS = ("Idrottsföreningen Framåt", "Kulturföreningen Gnistan")


def sample_rows(user):
    """The rows of a sample file that imports as it is for `user`: Swedish
    headers, a program they coordinate and focus areas it offers."""
    program = next(iter(_programs_by_name(user).values()), None)
    name = program.name if program else "Ledarskap 2026"
    areas = [area.name for area in program.offered_focus_areas()[:2]] if program else []
    between_associations = program is not None and program.kind == ProgramKind.ASSOCIATIONS
    organisations = SAMPLE_ORGANISATIONS if between_associations else ("", "")
    rows = [[SWEDISH_COLUMNS[column] for column in COLUMNS]]
    for number, (mentor_email, mentor_name, mentee_email, mentee_name) in enumerate(SAMPLE_PEOPLE, start=1):
        # The second row shows several focus areas in one cell.
        row_areas = ";".join(areas[:number])
        rows.append([name, mentor_email, mentor_name, mentee_email, mentee_name, *organisations, row_areas])
    return rows
