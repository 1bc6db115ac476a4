from django.urls import path

from . import views

urlpatterns = [
    path("notiser/", views.notification_preferences, name="notification_preferences"),
    path("notiser/<str:token>/", views.notification_preferences_signed, name="notification_preferences_signed"),
]
