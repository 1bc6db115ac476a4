"""Properties of the text that comes in from people and files (issue 8): the
one-line and log-safe sanitisers, organisation numbers, and the decoding of an
uploaded CSV file of pairs."""

import csv
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mentorskap.text import log_safe, one_line
from programs.pair_import import ImportResult, _decode, parse_pairs
from programs.validators import luhn_ok, normalise_organisation_number, validate_organisation_number

PROPERTIES = settings(max_examples=200, deadline=None)
# Line breaks, other control characters and Unicode's own separators mixed into ordinary text.
awkward_text = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from("\r\n\t\v\f\x00\x1b\x7f\x85\xa0\u2028\u2029\u200b\ufeff "),
    )
)


# --- one_line -------------------------------------------------------------------------------


@PROPERTIES
@given(awkward_text)
@example("Rum 3\r\nBcc: someone@example.org")
def test_one_line_is_one_line_of_printable_text_without_edge_spaces(value):
    line = one_line(value)
    assert "\r" not in line and "\n" not in line
    assert line.isprintable()
    assert line == line.strip()
    assert "  " not in line


@PROPERTIES
@given(awkward_text)
def test_one_line_is_idempotent_and_keeps_the_words(value):
    line = one_line(value)
    assert one_line(line) == line
    printable_words = "".join(ch if ch.isprintable() else " " for ch in value).split()
    assert line.split(" ") == printable_words or (line == "" and printable_words == [])


@PROPERTIES
@given(st.lists(st.text(st.characters(codec="utf-8").filter(str.isprintable).filter(lambda c: c != " "), min_size=1)))
def test_one_line_leaves_a_clean_line_alone(words):
    clean = " ".join(words)
    assert one_line(clean) == clean


@PROPERTIES
@given(st.integers() | st.none() | st.floats(allow_nan=False))
def test_one_line_takes_any_value(value):
    assert one_line(value) == str(value)


# --- log_safe -------------------------------------------------------------------------------

ESCAPE = re.compile(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|n|r|t)")


def unescape(line):
    """Read a log line back: each escape log_safe writes stands for one character."""
    named = {"n": "\n", "r": "\r", "t": "\t"}
    return ESCAPE.sub(lambda match: named.get(match.group(1)) or chr(int(match.group(1)[1:], 16)), line)


@PROPERTIES
@given(awkward_text)
@example("/accounts/login/\n2026-12-02 INFO login ok user=admin")
def test_log_safe_is_one_printable_line(value):
    line = log_safe(value)
    assert line.isprintable()
    assert "\n" not in line and "\r" not in line


@PROPERTIES
@given(awkward_text.filter(lambda text: "\\" not in text))
@example("a\nb")
@example("a b")
@example("\x851")
def test_log_safe_can_be_read_back_so_distinct_inputs_stay_distinct(value):
    # Without a backslash in what was typed, every escape is log_safe's own:
    # the line reads back to exactly what was typed, so two different inputs
    # (a line break and a space, say) never look the same in the log. A typed
    # backslash is kept as it is, so "\\n" typed and a real line break read
    # alike; either way no line of its own is added.
    assert unescape(log_safe(value)) == value


@PROPERTIES
@given(st.text(st.characters().filter(str.isprintable)))
def test_log_safe_leaves_printable_text_alone(value):
    assert log_safe(value) == value


# --- organisation numbers -------------------------------------------------------------------

nine_digits = st.text("0123456789", min_size=9, max_size=9)


def with_check_digit(digits):
    return next(digits + d for d in "0123456789" if luhn_ok(digits + d))


valid_numbers = nine_digits.map(with_check_digit)


@PROPERTIES
@given(nine_digits)
def test_exactly_one_check_digit_completes_nine_digits(digits):
    assert sum(luhn_ok(digits + d) for d in "0123456789") == 1


@PROPERTIES
@given(valid_numbers, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_the_luhn_check_catches_any_single_wrong_digit(number, position, change):
    wrong = number[:position] + str((int(number[position]) + change) % 10) + number[position + 1 :]
    assert not luhn_ok(wrong)


@PROPERTIES
@given(
    valid_numbers,
    st.booleans(),
    st.text(" \t\n", max_size=3),
    st.text(" \t\n", max_size=3),
)
@example("8020123454", True, "", "")
def test_a_valid_number_is_accepted_in_every_spelling(number, dash, before, after):
    spelled = before + (f"{number[:6]}-{number[6:]}" if dash else number) + after
    assert normalise_organisation_number(spelled) == f"{number[:6]}-{number[6:]}"
    validate_organisation_number(spelled)


@PROPERTIES
@given(st.text(max_size=20) | valid_numbers | st.none())
def test_normalising_refuses_cleanly_or_is_idempotent(value):
    try:
        normalised = normalise_organisation_number(value)
    except ValidationError as error:
        assert error.code == "invalid_organisation_number"
        return
    assert re.fullmatch(r"[0-9]{6}-[0-9]{4}", normalised)
    assert normalise_organisation_number(normalised) == normalised


@pytest.mark.parametrize("spelled", ["802012--3454", "８０２０１２-３４５４", "802012 3454", "80201-23454"])
def test_near_misses_are_refused(spelled):
    with pytest.raises(ValidationError):
        normalise_organisation_number(spelled)


# --- decoding an uploaded CSV file ----------------------------------------------------------

csv_text = st.text(st.characters(codec="cp1252").filter(lambda c: c != "\x00"))


@PROPERTIES
@given(st.binary(max_size=300))
@example(b"\xef\xbb\xbf")
@example(b"\x81\x8d\x8f")  # bytes cp1252 leaves undefined
@example(b"program\x00")
def test_decoding_any_bytes_gives_text_or_a_clean_message(data):
    try:
        text = _decode(data)
    except ValidationError as error:
        assert error.messages == [gettext("The file is not a readable text file. Save it as CSV (UTF-8).")]
        return
    assert isinstance(text, str) and "\x00" not in text


@PROPERTIES
@given(st.text(st.characters(codec="utf-8", exclude_characters="\x00")), st.booleans())
def test_utf8_text_round_trips_with_or_without_a_bom(text, bom):
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    # utf-8-sig takes away one BOM at the start, the file's own if it has one.
    assert _decode(data) == (text if bom else text.removeprefix("\ufeff"))


@PROPERTIES
@given(csv_text.filter(lambda text: not _is_utf8(text.encode("cp1252"))))
@example("program;mentor_email\nFörening Å;åsa@example.org")
def test_cp1252_text_that_is_not_utf8_round_trips(text):
    assert _decode(text.encode("cp1252")) == text


def _is_utf8(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.django_db
@settings(
    PROPERTIES,
    max_examples=100,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.binary(max_size=400) | csv_text.map(lambda text: ("program,mentor_email,mentee_email\n" + text).encode())
)
@example(data=b'program,mentor_email,mentee_email\n"' + b"x" * 140_000 + b'"')  # past the csv field limit
@example(data=b"program,mentor_email,mentee_email\r\nP,\r,\r\n")
def test_parsing_any_upload_gives_rows_or_messages_never_an_exception(data, coordinator):
    # parse_pairs saves nothing, so the examples share one test database.
    result = parse_pairs(data, coordinator)
    assert isinstance(result, ImportResult)
    assert result.rows or result.errors
    for line, message in result.errors:
        assert isinstance(line, int) and line >= 1
        assert isinstance(message, str) and message


# Names as people type them: letters of the Swedish alphabet and spaces, with
# a delimiter or a quote now and then, which the writer below quotes.
names = st.text(st.sampled_from("abcåäöÅÄÖé ;,\"'-"), max_size=30).map(str.strip)


@pytest.mark.django_db
@settings(PROPERTIES, max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.lists(st.tuples(names, names), min_size=1, max_size=5),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_a_well_formed_file_reads_back_row_for_row(people, delimiter, encoding, newline, coordinator, program):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(["program", "mentor_email", "mentor_name", "mentee_email", "mentee_name"])
    for n, (mentor_name, mentee_name) in enumerate(people):
        writer.writerow([program.name, f"mentor{n}@example.org", mentor_name, f"mentee{n}@example.org", mentee_name])
    result = parse_pairs(buffer.getvalue().encode(encoding), coordinator)
    assert result.errors == []
    assert [(row.mentor_name, row.mentee_name) for row in result.rows] == people
    assert [row.program for row in result.rows] == [program] * len(people)
