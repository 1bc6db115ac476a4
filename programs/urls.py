from django.urls import path

from . import views
from .views import exports, pair, report

urlpatterns = [
    path("", views.program_dashboard, name="program_dashboard"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
    path("<int:pk>/par.csv", exports.program_pairs_export, {"fmt": "csv"}, name="program_pairs_csv"),
    path("<int:pk>/par.xlsx", exports.program_pairs_export, {"fmt": "xlsx"}, name="program_pairs_xlsx"),
    path("<int:pk>/aterrapport/", report.program_report_view, name="program_report"),
    path("par/<uuid:public_id>/", pair.pair_follow_up, name="program_pair"),
    path("par/<uuid:public_id>/registerutdrag/", pair.pair_background_check, name="program_pair_background_check"),
    path("par/<uuid:public_id>/avsluta/", pair.pair_end, name="program_pair_end"),
]
