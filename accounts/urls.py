from django.urls import path

from . import profile, views

urlpatterns = [
    path("inbjudan/<uuid:public_id>/", views.invitation_accept_view, name="invitation_accept"),
    path("profil/", profile.profile, name="profile"),
]
