"""Deleting pairs in the admin: a mistyped pair goes, a pair with a journal is ended instead."""

from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Mentorship
from ..pair_parts import is_pair_part
from ..selectors import journal_started, journal_started_ids


def _deleted_label(obj):
    """A pair and its parts by name (see programs.pair_parts); anything else
    only by its kind, so no note text shows."""
    kind = capfirst(obj._meta.verbose_name)
    return f"{kind}: {obj}" if isinstance(obj, Mentorship) or is_pair_part(type(obj)) else kind


class PairDeleteAdminMixin:
    def has_delete_permission(self, request, obj=None):
        # A pair whose journal has started is ended (its status), not deleted:
        # the notes are the two people's. Only a superuser erases one, when
        # asked to. Before that, deleting is how a mistyped pair is undone.
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or request.user.is_superuser or not journal_started(obj)

    def get_deleted_objects(self, objs, request):
        """What deleting the pairs takes with it, and whether this person may
        (the delete page and the "delete selected" action both ask here)."""
        if not objs:
            return [], {}, set(), []
        collector = NestedObjects(using=router.db_for_write(self.model), origin=objs)
        collector.collect(objs)
        perms_needed = set()
        if not request.user.is_superuser and journal_started_ids(objs):
            perms_needed.add(_("pairs whose journal has started (end them instead)"))
        for model, instances in collector.model_objs.items():
            if model is self.model or is_pair_part(model) or not self.admin_site.is_registered(model):
                continue
            model_admin = self.admin_site.get_model_admin(model)
            if not all(model_admin.has_delete_permission(request, instance) for instance in instances):
                perms_needed.add(model._meta.verbose_name)
        model_count = {model._meta.verbose_name_plural: len(found) for model, found in collector.model_objs.items()}
        protected = [_deleted_label(obj) for obj in collector.protected]
        return collector.nested(_deleted_label), model_count, perms_needed, protected

    def delete_model(self, request, obj):
        with transaction.atomic(using=router.db_for_write(self.model)):
            self._refuse_deleting_journals(request, [obj])
            pks = [obj.pk]
            super().delete_model(request, obj)
            _history_forget_names(pks)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(self.model)):
            self._refuse_deleting_journals(request, queryset)
            pks = [pair.pk for pair in queryset]
            super().delete_queryset(request, queryset)
            _history_forget_names(pks)

    def _refuse_deleting_journals(self, request, pairs):
        """Asked again as the pairs are deleted, holding their rows: the mentee
        may have saved the agreement since the page was shown (saving it for
        the first time and booking a meeting hold the pair's row too)."""
        if request.user.is_superuser:
            return
        ids = [pair.pk for pair in pairs]
        list(Mentorship.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        if journal_started_ids(pairs):
            raise PermissionDenied


def _history_forget_names(pks):
    """A deleted pair leaves no names behind: the admin's history named it
    "mentee ↔ mentor (program)" in every entry, the deletion's included
    (written just before). Who did what, and when, stays."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Mentorship), object_id__in=[str(pk) for pk in pks]
    )
    entries.update(object_repr=gettext("deleted pair"), change_message="")
