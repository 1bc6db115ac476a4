import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# ASCII only: \d would also accept other scripts' digits, e.g. full-width ones.
ORGANISATION_NUMBER_RE = re.compile(r"^([0-9]{6})-?([0-9]{4})$")


def luhn_ok(digits):
    """The Luhn check used by Swedish organisation and personal numbers."""
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def normalise_organisation_number(value):
    """Return the number as NNNNNN-NNNN, or raise ValidationError."""
    match = ORGANISATION_NUMBER_RE.match((value or "").strip())
    if not match or not luhn_ok(match.group(1) + match.group(2)):
        raise ValidationError(
            _("Enter a valid Swedish organisation number, e.g. 802012-3454."),
            code="invalid_organisation_number",
        )
    return f"{match.group(1)}-{match.group(2)}"


def validate_organisation_number(value):
    normalise_organisation_number(value)


def open_pair_end_date_passed(ends_on, *, today):
    """Why `ends_on` cannot be an open pair's end date, or None. The hourly
    scan ends such a pair (services.mentorships_end_when_due): saving it as
    open would be undone silently within the hour. The pair form, the list's
    "change the end date" action and its service all ask here."""
    if ends_on and ends_on < today:
        return _("The end date has passed: change it to keep the pair going, or end the pair.")
    return None


# An end date further ahead is a typing error (2062 for 2026): programs here
# run for months, a pair for a year or two.
END_DATE_YEARS_AHEAD = 5


def last_end_date(today):
    return date(today.year + END_DATE_YEARS_AHEAD, 12, 31)


def end_date_too_far(ends_on, *, today):
    """Why `ends_on` is too far ahead for a pair's end date, or None: the pair
    form and the list's "change the end date" action both ask here."""
    if ends_on and ends_on > last_end_date(today):
        return _("Choose an end date no later than %(date)s.") % {"date": date_format(last_end_date(today))}
    return None


def end_date_after_program(ends_on, program):
    """Why `ends_on` cannot be the end date of a pair in `program`, or None:
    the program's own end comes first (the hourly scan ends its pairs then),
    so a later date on the pair would promise time it does not have."""
    if ends_on and program is not None and program.ends_on and ends_on > program.ends_on:
        return _("The program ends on %(date)s: a pair's end date cannot be later.") % {
            "date": date_format(program.ends_on)
        }
    return None
