"""Login in two steps (password, then a one-time code), logout, password change, role switch.

The session is only logged in after the second step; between the steps it holds nothing but the
id of the user who gave a correct password, for a few minutes. Single sign-on (`sso`) replaces
the password step; it replaces the code step too only when the provider vouches for two factors.
"""

import datetime as dt
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from laget.accounts import freshness, services, signals, sso
from laget.accounts.access import Actor, actor_required
from laget.accounts.forms import LagetPasswordChangeForm, LoginForm, ReauthForm, TokenForm
from laget.accounts.middleware import ACTIVE_MEMBERSHIP_SESSION_KEY
from laget.accounts.models import Role, User
from laget.accounts.selectors import (
    agency_member_list,
    membership_list_active,
    requires_second_factor,
    totp_device_confirmed,
)
from laget.core import clock
from laget.core.ratelimit import rate_limited_view

PENDING_KEY = "laget_pending_login"
PENDING_TTL = dt.timedelta(minutes=5)
SSO_NEXT_KEY = "laget_sso_next"


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return None
    started = dt.datetime.fromisoformat(pending["at"])
    if clock.now() - started > PENDING_TTL:
        request.session.pop(PENDING_KEY, None)
        return None
    return User.objects.filter(pk=pending["user_id"], is_active=True).first()


def _complete_login(request: HttpRequest, user: User, device: object | None) -> HttpResponse:
    next_url = request.session.get(PENDING_KEY, {}).get("next", "")
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@rate_limited_view("login")
def login_view(request: HttpRequest) -> HttpResponseBase:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user: User = form.get_user()
        request.session.cycle_key()
        request.session[PENDING_KEY] = {
            "user_id": user.pk, "at": clock.now().isoformat(), "next": _safe_next(request),
        }
        if totp_device_confirmed(user=user) is not None:
            return redirect("accounts:totp")
        if requires_second_factor(user=user):
            return redirect("accounts:totp_enroll")
        return _complete_login(request, user, None)
    return render(request, "accounts/login.html", {
        "form": form, "next": _safe_next(request), "sso_enabled": sso.sso_enabled(),
    })


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
@rate_limited_view("login")
def totp_view(request: HttpRequest) -> HttpResponseBase:
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Innloggingen tok for lang tid. Logg inn på nytt."))
        return redirect("accounts:login")
    device = totp_device_confirmed(user=user)
    if device is None:
        return redirect("accounts:totp_enroll")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            return _complete_login(request, user, device)
        signals.second_factor_failed.send(User, request=request, user=user)
        if not allowed:
            form.add_error("token", _("For mange feil forsøk. Vent litt og prøv igjen."))
        else:
            form.add_error("token", _("Koden er feil eller utløpt."))
    context = {"form": form, "demo_token": None}
    if settings.LAGET_DEMO:
        context["demo_token"] = services.totp_current_token(device=device)
    return render(request, "accounts/totp.html", context)


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
def totp_enroll_view(request: HttpRequest) -> HttpResponseBase:
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    if totp_device_confirmed(user=user) is not None:
        return redirect("accounts:totp")
    device = services.totp_device_pending(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            signals.second_factor_enrolled.send(User, request=request, user=user)
            return _complete_login(request, user, device)
        signals.second_factor_failed.send(User, request=request, user=user)
        form.add_error("token", _("Koden er feil eller utløpt."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR-kode"))
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "accounts/totp_enroll.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret},
    )


def _pending_start(request: HttpRequest, user: User, next_url: str) -> None:
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user_id": user.pk, "at": clock.now().isoformat(), "next": next_url,
    }


@sensitive_post_parameters("password", "token")
@csrf_protect
@never_cache
@login_required
@rate_limited_view("login")
def reauth_view(request: HttpRequest) -> HttpResponseBase:
    """Prove it is still you before an export (`freshness.recent_auth_required`): the password
    and the code, or for a single sign-on user without a password here, the provider again."""
    user: User = request.user  # type: ignore[assignment]
    next_url = _safe_next(request) or reverse(settings.LOGIN_REDIRECT_URL)
    if freshness.authenticated_recently(request):
        return redirect(next_url)
    if not user.has_usable_password():
        if not sso.sso_enabled():
            raise Http404
        logout(request)
        return redirect(reverse("accounts:sso") + "?" + urlencode({"next": next_url}))
    device = totp_device_confirmed(user=user)
    form = ReauthForm(request.POST or None, user=user, with_token=device is not None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data.get("token")
        allowed = True
        if device is not None:
            allowed, _details = device.verify_is_allowed()
        if device is None or (allowed and device.verify_token(token)):
            freshness.mark_authenticated(request)
            signals.reauthenticated.send(User, request=request, user=user)
            return redirect(next_url)
        signals.second_factor_failed.send(User, request=request, user=user)
        form.add_error("token", _("For mange feil forsøk. Vent litt og prøv igjen.")
                       if not allowed else _("Koden er feil eller utløpt."))
    elif request.method == "POST" and form.has_error("password"):
        signals.reauthentication_failed.send(User, request=request, user=user)
    context = {"form": form, "next": next_url, "demo_token": None,
               "minutes": settings.LAGET_REAUTH_SECONDS // 60}
    if settings.LAGET_DEMO and device is not None:
        context["demo_token"] = services.totp_current_token(device=device)
    return render(request, "accounts/reauth.html", context)


@never_cache
def sso_start_view(request: HttpRequest) -> HttpResponseBase:
    """To the provider's login (a plain link: the login page's CSP allows no cross-site form)."""
    if not sso.sso_enabled():
        raise Http404
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    request.session[SSO_NEXT_KEY] = _safe_next(request)
    redirect_uri = request.build_absolute_uri(reverse("accounts:sso_callback"))
    try:
        return sso.sso_authorize_redirect(request=request, redirect_uri=redirect_uri)
    except sso.SsoRefused as refusal:
        return _sso_refused(request, refusal)


@never_cache
def sso_callback_view(request: HttpRequest) -> HttpResponseBase:
    """The provider's answer: verified claims -> a linked user with a role -> logged in, or on
    to Laget's code step when the provider did not vouch for a second factor."""
    if not sso.sso_enabled():
        raise Http404
    next_url = request.session.pop(SSO_NEXT_KEY, "")
    try:
        claims = sso.sso_claims_from_callback(request=request)
        identity = sso.sso_identity_resolve(claims=claims)
    except sso.SsoRefused as refusal:
        return _sso_refused(request, refusal)
    user = identity.user
    _pending_start(request, user, next_url)
    if sso.sso_counts_as_two_factor(claims=claims):
        return _complete_login(request, user, identity)
    if totp_device_confirmed(user=user) is not None:
        return redirect("accounts:totp")
    if requires_second_factor(user=user):
        return redirect("accounts:totp_enroll")
    return _complete_login(request, user, None)


def _sso_refused(request: HttpRequest, refusal: sso.SsoRefused) -> HttpResponse:
    signals.sso_login_refused.send(
        User, request=request, user=refusal.user, detail=refusal.detail
    )
    return render(request, "accounts/sso_refused.html", {"message": refusal.message}, status=403)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("Du er logget ut."))
    return redirect("accounts:login")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = LagetPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        signals.password_changed.send(User, request=request, user=user)
        messages.success(request, _("Passordet er endret."))
        return redirect("web:start")
    return render(request, "accounts/password_change.html", {"form": form})


@require_POST
def role_switch_view(request: HttpRequest) -> HttpResponseBase:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    wanted = request.POST.get("membership", "")
    ids = {str(m.pk) for m in membership_list_active(user=request.user)}  # type: ignore[arg-type]
    if wanted in ids:
        request.session[ACTIVE_MEMBERSHIP_SESSION_KEY] = wanted
    return redirect("web:start")


def locked_out_view(
    request: HttpRequest, response: object = None, credentials: object = None
) -> HttpResponse:
    return render(request, "accounts/locked_out.html", status=429)


@actor_required([Role.LEADER])
def members_view(request: HttpRequest, actor: Actor) -> HttpResponse:
    assert actor.agency is not None
    members = agency_member_list(agency=actor.agency)
    return render(request, "accounts/members.html", {"members": members, "agency": actor.agency})
