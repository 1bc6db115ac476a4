from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def hidden_input(field):
    """{{ field|hidden_input }}: the same <input type="hidden"> as Django's
    widget template writes, built here: the notes form has seven, and a widget
    template rendered for each was a tenth of the page's time."""
    attrs = [("type", "hidden"), ("name", field.html_name)]
    value = field.field.widget.format_value(field.value())
    if value is not None:
        attrs.append(("value", value))
    if field.auto_id:
        attrs.append(("id", field.auto_id))
    return format_html("<input{}>", format_html_join("", ' {}="{}"', attrs))


@register.filter
def hidden_inputs(form):
    """A form of hidden fields only (a formset's management form) as its
    inputs; with errors, as Django writes it, which names them."""
    if form.errors:
        return form.render()
    return format_html_join("", "{}", ((hidden_input(field),) for field in form))
