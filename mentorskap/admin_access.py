"""Admin pages that only superusers see and nobody changes there (the
invitations, the audit trail): one rule, used by every app that has one."""


def is_superuser(request) -> bool:
    return request.user.is_active and request.user.is_superuser


class SuperuserReadOnlyAdmin:
    """Mixin for a ModelAdmin: shown to active superusers only, read-only."""

    def has_module_permission(self, request):
        return is_superuser(request)

    def has_view_permission(self, request, obj=None):
        return is_superuser(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
