import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import ErasureRequestForm
from .selectors import pending_erasure, person_roles, personal_data_export
from .services import erasure_request


def privacy_notice(request):
    return render(
        request,
        "privacy/notice.html",
        {
            "association_name": settings.MENTORSKAP_ASSOCIATION_NAME,
            "association_email": settings.MENTORSKAP_ASSOCIATION_EMAIL,
        },
    )


@login_required
def my_data(request):
    pending = pending_erasure(request.user)
    return render(request, "privacy/my_data.html", {"pending": pending, **person_roles(request.user)})


@login_required
def my_data_json(request):
    data = personal_data_export(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="mina-data-{timezone.localdate():%Y-%m-%d}.json"'
    return response


@login_required
def my_data_page(request):
    data = personal_data_export(request.user)
    return render(request, "privacy/export.html", {"data": data, **person_roles(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def erasure_request_view(request):
    if pending_erasure(request.user) is not None:
        # One open request: a second form would say "sent" and send nothing
        # (erasure_request keeps the first), its message lost.
        messages.info(
            request,
            _("You have already asked for your data to be erased. The request stays open until it is carried out."),
        )
        return redirect("my_data")
    form = ErasureRequestForm(request.POST or None)
    roles = person_roles(request.user)
    if request.method == "POST" and form.is_valid():
        erasure_request(user=request.user, message=form.cleaned_data["message"])
        # The coordinators told are those of the person's pairs (erasure_request):
        # someone in no pair is answered by a superuser alone.
        if roles["in_pairs"]:
            messages.success(request, _("Your request has been sent. A coordinator will get back to you."))
        else:
            messages.success(request, _("Your request has been sent. A superuser will get back to you."))
        return redirect("my_data")
    return render(request, "privacy/erasure_request.html", {"form": form, **roles})
