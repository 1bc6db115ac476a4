"""The pair list's filters by program and by focus area, offering what
Django's RelatedOnlyFieldListFilter offers (the programs in the person's
scope that have pairs, the focus areas those pairs chose) without reading
every pair on each view: the choices are kept with each program's figures
(programs.selectors.pair_filter_choices)."""

from django.contrib import admin
from django.utils import timezone

from ..models import Program
from ..permissions import coordinated_program_ids
from ..selectors import pair_filter_choices


def _scope_choices(request):
    """(programs with pairs, focus areas chosen) in the person's scope, once a request."""
    if not hasattr(request, "_pair_filter_choices"):
        user = request.user
        ids = list(Program.objects.values_list("pk", flat=True)) if user.is_superuser else coordinated_program_ids(user)
        request._pair_filter_choices = pair_filter_choices(list(ids), now=timezone.now())
    return request._pair_filter_choices


class _ScopedChoicesFilter(admin.RelatedOnlyFieldListFilter):
    which = 0  # the index into _scope_choices

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        pks = _scope_choices(request)[self.which]
        return field.get_choices(include_blank=False, limit_choices_to={"pk__in": pks}, ordering=ordering)


class PairProgramFilter(_ScopedChoicesFilter):
    which = 0


class PairFocusAreaFilter(_ScopedChoicesFilter):
    which = 1
