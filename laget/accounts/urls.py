from django.urls import path

from laget.accounts import views

app_name = "accounts"

urlpatterns = [
    path("logg-inn/", views.login_view, name="login"),
    path("logg-inn/kode/", views.totp_view, name="totp"),
    path("logg-inn/tofaktor/", views.totp_enroll_view, name="totp_enroll"),
    path("logg-inn/sso/", views.sso_start_view, name="sso"),
    path("logg-inn/sso/tilbake/", views.sso_callback_view, name="sso_callback"),
    path("logg-ut/", views.logout_view, name="logout"),
    path("bekreft/", views.reauth_view, name="reauth"),
    path("passord/", views.password_change_view, name="password_change"),
    path("rolle/", views.role_switch_view, name="role_switch"),
    path("medarbeidere/", views.members_view, name="members"),
]
