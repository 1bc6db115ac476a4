"""The pair list's rows, written out for its columns rather than through
Django's items_for_result, which looks every cell's field and display up
again (50 rows of eight cells: half the list's time at 10,000 pairs).

The HTML is Django's own, cell for cell: tests/test_admin_pair_list_cost.py
holds the two to the same output. A list Django renders in another way (a
popup, editable rows) goes through Django's code."""

from django.contrib.admin.templatetags.admin_list import ResultList, _boolean_icon, items_for_result
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..models import Mentorship

# The pair list's columns (MentorshipAdmin.list_display), which the rows below write.
LIST_DISPLAY = [
    # Each with a bounced address under the name (MentorshipAdmin.mentee_person).
    "mentee_person",
    "mentor_person",
    "program",
    "status",
    "agreement_confirmed",
    "meetings_held",
    "next_meeting",
]
# As Django's change list has them, with the actions' checkbox first.
COLUMNS = ["action_checkbox", *LIST_DISPLAY]
_STATUS_WORDS = Mentorship._meta.get_field("status").flatchoices


# One row, cell for cell as Django writes it: written at once, a row is one
# format_html and one item for change_list_results.html to print, not eight.
_ROW = (
    '<td class="action-checkbox">{}</td>'
    '<th class="field-mentee_person"><a href="{}">{}</a></th>'
    '<td class="field-mentor_person">{}</td>'
    '<td class="field-program nowrap">{}</td>'
    '<td class="field-status">{}</td>'
    '<td class="field-agreement_confirmed">{}</td>'
    '<td class="field-meetings_held">{}</td>'
    '<td class="field-next_meeting{}">{}</td>'
)
_NOWRAP = mark_safe(" nowrap")


def pair_rows(cl):
    """Each row of the change list `cl` as Django's ResultList: here one
    item, the row's cells written out (Django's code gives one item a cell)."""
    if cl.is_popup or cl.formset or list(cl.list_display) != COLUMNS or cl.list_display_links != ["mentee_person"]:
        return [ResultList(None, items_for_result(cl, row, None)) for row in cl.result_list]
    cells = _Cells(cl)
    return [ResultList(None, [cells.row(pair)]) for pair in cl.result_list]


class _Cells:
    def __init__(self, cl):
        self.cl = cl
        self.admin = cl.model_admin
        self.empty = self.admin.get_empty_value_display()
        self.icons = {value: _boolean_icon(value) for value in (True, False)}
        self.status_words = dict(_STATUS_WORDS)
        self.filters_suffix = None

    def row(self, pair):
        admin = self.admin
        starts_at = admin.next_meeting(pair)
        return format_html(
            _ROW,
            admin.action_checkbox(pair),
            self.link(pair),
            admin.mentee_person(pair),
            admin.mentor_person(pair),
            pair.program,
            self.status_words.get(pair.status, self.empty),
            self.icons[admin.agreement_confirmed(pair)],
            formats.number_format(admin.meetings_held(pair)),
            "" if starts_at is None else _NOWRAP,
            self.empty if starts_at is None else formats.localize(timezone.template_localtime(starts_at)),
        )

    def link(self, pair):
        """The pair's page, with the list's filters to come back to: the
        filters are the same for every row, so they are written once."""
        url = self.cl.url_for_result(pair)
        if self.filters_suffix is None:
            linked = add_preserved_filters({"preserved_filters": self.cl.preserved_filters, "opts": self.cl.opts}, url)
            if not linked.startswith(url):
                return linked
            self.filters_suffix = linked[len(url) :]
        return url + self.filters_suffix
