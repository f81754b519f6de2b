from django.urls import path

from .views import public, register

app_name = "service"
urlpatterns = [
    path("", public.index, name="index"),
    path("register/", register.register, name="register"),
    path("register/bulk/", register.register_bulk, name="register_bulk"),
    path("register/<int:pk>/", register.application_detail, name="application"),
    path("register/<int:pk>/match/", register.application_match, name="application_match"),
    path("register/<int:pk>/verify/", register.application_verify, name="application_verify"),
    path("register/<int:pk>/grant/", register.application_grant, name="application_grant"),
    path("register/<int:pk>/refuse/", register.application_refuse, name="application_refuse"),
    path("register/guardians/<int:pk>/", register.guardian_detail, name="guardian"),
    path("register/consents/<int:pk>/withdraw/", register.consent_withdraw, name="consent_withdraw"),
    path("<slug:code>/", public.school_page, name="school_page"),
    path("<slug:code>/done/", public.done, name="done"),
    path("<slug:code>/status/", public.status, name="status"),
]
