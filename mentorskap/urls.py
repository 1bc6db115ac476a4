from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from accounts.profile import set_language

# The admin's login is allauth's, with its rate limits and two-factor step.
admin.site.login = secure_admin_login(admin.site.login)
# Coordinators work here every week: it is our product's admin, not Django's.
admin.site.site_header = _("Mentorskap – administration")
admin.site.site_title = _("Mentorskap administration")
admin.site.index_title = _("Programs, pairs and meetings")
# An empty value is an en dash, as on our own pages and in ranges ("1–5"):
# Django's hyphen beside our dashes read as two conventions on one list.
admin.site.empty_value_display = "–"


def favicon(request):
    # Pages name their icon; the admin's do not, and browsers then ask here.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("konto/", include("allauth.urls")),
    path("konto/", include("accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("program/", include("programs.urls")),
    path("uppfoljning/", include("surveys.urls")),
    path("", include("privacy.urls")),
    path("", include("outbox.urls")),
    path("", include("sessions.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
