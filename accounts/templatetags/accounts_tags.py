from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def signup_open():
    """Whether people may sign up themselves (off: they are invited)."""
    return settings.MENTORSKAP_OPEN_SIGNUP


@register.simple_tag
def contact_us():
    """Whom to contact, for "contact …" on the password pages: the contact of
    the settings (a mailto link when there is an address), or else the
    coordinator, who invited the person and can send a new link."""
    name, email = settings.MENTORSKAP_CONTACT_NAME, settings.MENTORSKAP_CONTACT_EMAIL
    if email:
        link = format_html('<a href="mailto:{}">{}</a>', email, email)
        return format_html("{} ({})", name, link) if name else link
    return format_html("{}", name or _("your program's coordinator"))
