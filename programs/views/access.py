"""Who reaches a coordinator's page: programs.permissions decides, and
anything else is a 404 (logged), never a 403 that confirms it exists."""

from django.http import Http404

from accounts.security import log_refused_access

from ..models import Mentorship, Program
from ..permissions import coordinates


def program_or_404(request, pk) -> Program:
    program = Program.objects.filter(pk=pk).first()
    if program is None or not coordinates(request.user, program.pk):
        log_refused_access(request, f"program {pk}")
        raise Http404
    return program


def coordinated_pair_or_404(request, public_id) -> Mentorship:
    pair = (
        Mentorship.objects.select_related(
            "program", "mentor", "mentee", "mentor_organisation", "mentee_organisation", "agreement", "end_proposed_by"
        )
        .filter(public_id=public_id)
        .first()
    )
    if pair is None or not coordinates(request.user, pair.program_id):
        log_refused_access(request, f"mentorship {public_id}")
        raise Http404
    return pair
