from django.urls import path

from . import views

urlpatterns = [
    path("", views.program_dashboard, name="program_dashboard"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
]
