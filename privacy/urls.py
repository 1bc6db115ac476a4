from django.urls import path

from . import views

urlpatterns = [
    path("integritet/", views.privacy_notice, name="privacy_notice"),
    path("mina-data/", views.my_data, name="my_data"),
    path("mina-data/json/", views.my_data_json, name="my_data_json"),
    path("mina-data/sida/", views.my_data_page, name="my_data_page"),
    path("mina-data/radera/", views.erasure_request_view, name="erasure_request"),
]
