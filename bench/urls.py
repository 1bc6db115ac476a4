"""The project's URLs plus two yardsticks, timed in the same run:

- /ping/ returns "ok" through the whole middleware stack (the trivial view);
- /ping/user/ also resolves request.user, which loads the session and the
  user: the floor under every page a logged-in person sees.

Served by `make bench` through bench.wsgi (production's settings with this
URL conf); the project itself never routes here.
"""

from django.http import HttpResponse
from django.urls import include, path


def ping(request):
    return HttpResponse("ok", content_type="text/plain")


def ping_user(request):
    return HttpResponse("ok" if request.user.is_authenticated else "anonymous", content_type="text/plain")


urlpatterns = [
    path("ping/", ping),
    path("ping/user/", ping_user),
    path("", include("mentorskap.urls")),
]
