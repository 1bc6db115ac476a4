"""The admin names pairs and meetings by their public id, as every other page
does: integer keys stay internal (GUIDE, "Small decisions already made"), so
an address in the admin says nothing about how many pairs there are and
cannot be counted through.

Django's admin builds its object URLs from `obj.pk` in many places (change
list, history, delete, the redirect after saving, log entries). Rather than
chase each, the object routes of these admins take a converter that turns
the public id into the key on the way in and the key into the public id on
the way out; an integer in the address matches no route and is a 404.
"""

import uuid

from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.urls import path, register_converter

from mentorskap.links import url_for_each

NO_SUCH_ID = uuid.UUID(int=0)
UNKNOWN_KEY = "0"  # keys start at 1
# Public ids the change list has just linked to, and their keys: the admin
# resolves every row's link again (to keep the list's filters in it), and
# without this each row cost a query (100 rows, 100 queries). The pair never
# changes (both ids are fixed for the row's life); a deleted row's key finds
# nothing, so its id is answered as an unknown one. Bounded, per process.
KNOWN_IDS_MAX = 20_000
_known_keys: dict[tuple[str, str], str] = {}


def _remember(model, public_id, pk):
    if len(_known_keys) >= KNOWN_IDS_MAX:
        _known_keys.clear()
    _known_keys[(model._meta.label, str(public_id))] = str(pk)


def _as_uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


class PublicIdConverter:
    regex = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    model = None  # set by a subclass

    def to_python(self, value):
        known = _known_keys.get((self.model._meta.label, value))
        if known is not None:
            return known
        pk = self.model._default_manager.filter(public_id=value).values_list("pk", flat=True).first()
        # An unknown id goes on as a key no row has, so the admin answers
        # exactly as for an object the person may not see (404, or 403 for
        # a change to what is read-only): the answer tells nothing.
        return str(pk) if pk is not None else UNKNOWN_KEY

    def to_url(self, value):
        if _as_uuid(value) is not None:
            return str(value)
        if str(value) == UNKNOWN_KEY:
            return str(NO_SUCH_ID)  # an unknown id on its way round (the admin's bare-URL redirect)
        # One query: only for links built from a key (one object's history,
        # delete page, the redirect after saving); lists link by public id.
        public_id = self.model._default_manager.filter(pk=value).values_list("public_id", flat=True).first()
        if public_id is None:
            # A deleted pair's log entry: no link, as Django does for a
            # deleted object (get_admin_url catches NoReverseMatch).
            raise ValueError("no such object")
        return str(public_id)


def public_id_converter(model):
    """Register (once) and name the converter for `model`'s admin routes."""
    name = f"{model._meta.model_name}_public_id"
    register_converter(type(f"{model.__name__}PublicIdConverter", (PublicIdConverter,), {"model": model}), name)
    return name


class PublicIdAdminMixin:
    """For a ModelAdmin whose model has a `public_id`."""

    def get_urls(self):
        converter = public_id_converter(self.model)
        return [self._with_public_id(pattern, converter) for pattern in super().get_urls()]

    @staticmethod
    def _with_public_id(pattern, converter):
        route = str(pattern.pattern)
        if not route.startswith("<path:object_id>"):
            return pattern
        return path(route.replace("<path:object_id>", f"<{converter}:object_id>"), pattern.callback, name=pattern.name)

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        site_name = self.admin_site.name

        class PublicIdChangeList(changelist):
            _change_url = None

            def url_for_result(self, result):
                _remember(self.model, result.public_id, result.pk)
                # Reversed once a list, every row's id put in its place.
                if self._change_url is None:
                    self._change_url = url_for_each(admin_urlname(self.opts, "change"), current_app=site_name)
                return self._change_url(result.public_id)

        return PublicIdChangeList
