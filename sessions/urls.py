from django.urls import path

from .views import agreement, booking, ending, home, meeting, mentorship

urlpatterns = [
    path("", home.home, name="home"),
    path("mentorskap/<uuid:public_id>/", mentorship.mentorship_detail, name="mentorship_detail"),
    path("mentorskap/<uuid:public_id>/utskrift/", mentorship.journal_print, name="journal_print"),
    path("mentorskap/<uuid:public_id>/avsluta/", ending.mentorship_end_view, name="mentorship_end"),
    path("mentorskap/<uuid:public_id>/intyg/", ending.mentorship_certificate, name="mentorship_certificate"),
    path("mentorskap/<uuid:public_id>/overenskommelse/", agreement.agreement_edit, name="agreement_edit"),
    path("mentorskap/<uuid:public_id>/overenskommelse/utskrift/", mentorship.agreement_print, name="agreement_print"),
    path(
        "mentorskap/<uuid:public_id>/overenskommelse/bekrafta/",
        agreement.agreement_confirm_view,
        name="agreement_confirm",
    ),
    path(
        "mentorskap/<uuid:public_id>/overenskommelse/versioner/",
        agreement.agreement_versions,
        name="agreement_versions",
    ),
    path(
        "mentorskap/<uuid:public_id>/overenskommelse/versioner/<int:version>/",
        agreement.agreement_version_detail,
        name="agreement_version_detail",
    ),
    path("mentorskap/<uuid:public_id>/boka/", booking.meeting_book_view, name="meeting_book"),
    path("tillfalle/<uuid:public_id>/", meeting.meeting_detail, name="meeting_detail"),
    path("tillfalle/<uuid:public_id>/anteckningar/", meeting.meeting_notes, name="meeting_notes"),
    path("tillfalle/<uuid:public_id>/kommentar/", meeting.comment_add_view, name="comment_add"),
    path("tillfalle/<uuid:public_id>/flytta/", booking.meeting_move_view, name="meeting_move"),
    path("tillfalle/<uuid:public_id>/stall-in/", booking.meeting_cancel_view, name="meeting_cancel"),
]
