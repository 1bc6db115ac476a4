"""{% pair_result_list cl %}: Django's {% result_list cl %} for the admin's
pair list, with the rows written by programs.admin.pair_rows."""

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode

from programs.admin.pair_rows import pair_rows

register = template.Library()


def pair_result_list(cl):
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": pair_rows(cl),
    }


@register.tag(name="pair_result_list")
def pair_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=pair_result_list, template_name="change_list_results.html", takes_context=False
    )
