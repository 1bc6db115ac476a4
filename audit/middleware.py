"""The request's user as the actor of every audit entry the request writes,
the admin's included."""

from auditlog.context import set_extra_data


class AuditActorMiddleware:
    """In place of auditlog's AuditlogMiddleware, for two reasons. Its own
    resolves `request.user` on every request (two queries on pages that need
    no user); this one hands auditlog the lazy `request.user`, which auditlog
    resolves only when the request writes an entry (its isinstance check
    does). And it stores no client address or port: who did what is the
    trail's purpose, where from is personal data it does not need."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with set_extra_data(context_data={"actor": request.user}):
            return self.get_response(request)
