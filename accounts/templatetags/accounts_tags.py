from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def signup_open():
    """Whether people may sign up themselves (off: they are invited)."""
    return settings.MENTORSKAP_OPEN_SIGNUP
