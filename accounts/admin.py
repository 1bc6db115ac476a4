from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from mentorskap.admin_access import SuperuserReadOnlyAdmin

from .models import Invitation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["name", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]


@admin.register(Invitation)
class InvitationAdmin(SuperuserReadOnlyAdmin, admin.ModelAdmin):
    """A read-only list for superusers: who was invited, when, and whether
    the link was used. The link itself (public_id) is never shown."""

    list_display = ["user", "mentorship", "created_at", "expires_at", "used_at"]
    list_filter = [("used_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__name"]
    list_select_related = ["user", "mentorship__program", "mentorship__mentee", "mentorship__mentor"]
    fields = ["user", "mentorship", "created_at", "expires_at", "used_at"]
    readonly_fields = fields
    date_hierarchy = "created_at"
