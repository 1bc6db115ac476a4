"""A trivial page, timed in the same run as a yardstick for this machine."""

from django.http import HttpResponse
from django.urls import path


def ping(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("ping/", ping)]
