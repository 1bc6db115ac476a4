"""{% program_links program %}: the links other apps add to the program page
(programs.contributions), so the page names no app above programs."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from programs.contributions import program_links

register = template.Library()


@register.simple_tag
def program_page_links(program):
    links = [(reverse(name, args=[program.pk]), label) for label, name in program_links()]
    return format_html_join("", ' · <a href="{}">{}</a>', links) if links else format_html("")
