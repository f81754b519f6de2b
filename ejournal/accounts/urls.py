from django.urls import path

from . import second_factor_views as sfv
from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("login/code/", sfv.second_factor, name="second_factor"),
    path("second-factor/", sfv.second_factor_setup, name="second_factor_setup"),
    path("second-factor/codes/", sfv.recovery_codes_new, name="recovery_codes_new"),
    path("second-factor/off/", sfv.second_factor_off, name="second_factor_off"),
    path("provider/", sfv.provider_start, name="provider_start"),
    path("provider/callback/", sfv.provider_callback, name="provider_callback"),
    path("sessions/", sfv.sessions, name="sessions"),
    path("sessions/end-others/", sfv.sessions_end_others, name="sessions_end_others"),
    path("password/", views.password_change, name="password_change"),
    path("password/done/", views.password_change_done, name="password_change_done"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password/reset/complete/", views.password_reset_complete, name="password_reset_complete"),
]
