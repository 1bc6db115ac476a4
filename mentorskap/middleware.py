"""What every request and response gets, whichever app answers it."""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

NUL = "\x00"


class RequestTextMiddleware:
    """Refuses a request whose text no view could store, with a page in the
    person's language that says what happened, before any view sees it:

    - a NUL character in the path, a query parameter or a form field (its
      name or its value): PostgreSQL refuses NUL in any query, so a %00 in
      the admin's search or a pasted form field answered 500;
    - a form over Django's limits (DATA_UPLOAD_MAX_MEMORY_SIZE,
      DATA_UPLOAD_MAX_NUMBER_FIELDS): reading it raised in the CSRF check
      and the person got a bare "bad request" for a long text.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            has_nul = any(NUL in text for text in _texts(request))
        except RequestDataTooBig:
            return render(request, "413.html", status=413)
        except (TooManyFieldsSent, TooManyFilesSent):
            return render(request, "413.html", status=400)
        if has_nul:
            return render(request, "400_null_character.html", status=400)
        return self.get_response(request)


def _texts(request):
    yield request.path
    yield from _keys_and_values(request.GET)
    if request.method == "POST":
        yield from _keys_and_values(request.POST)


def _keys_and_values(query_dict):
    for key, values in query_dict.lists():
        yield key
        yield from values


class NoStoreForPeopleMiddleware:
    """Every answer to a logged-in person says Cache-Control: no-store.

    never_cache on a view is easy to forget (the home page, the profile and
    "Mina program" had none), and a page with a person's pairs or details
    must not stay in a shared computer's cache after they log out. Decided
    after the view, so the answer to a login says it too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
