from django import template

from programs import permissions

register = template.Library()


@register.filter
def is_party_of(user, mentorship):
    """{% if user|is_party_of:mentorship %}: one of the pair's two people,
    by the same rule as every view."""
    return permissions.is_party(user, mentorship)
