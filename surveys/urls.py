from django.urls import path

from . import views

urlpatterns = [
    path("svar/<str:token>/", views.survey_answer, name="survey_answer"),
    path("program/<int:pk>/", views.program_surveys, name="program_surveys"),
]
