"""Account events into the audit log. Django's auth signals (and django-axes') are the framework's
own hooks for login, logout and failed attempts; the accounts app sends the rest."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from laget.accounts import signals as account_signals
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.services import audit_record
from laget.core.ratelimit import rate_limited


@receiver(user_logged_in, dispatch_uid="laget_audit_login")
def _login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=Action.LOGIN, actor=user, purpose=Purpose.INNLOGGING)


@receiver(user_logged_out, dispatch_uid="laget_audit_logout")
def _logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=Action.LOGOUT, actor=user, purpose=Purpose.INNLOGGING)


@receiver(user_login_failed, dispatch_uid="laget_audit_login_failed")
def _login_failed(sender: Any, credentials: Any, request: Any = None, **kwargs: Any) -> None:
    # The typed user name is not kept: people sometimes type a password or a number there.
    audit_record(
        action=Action.LOGIN_FAILED, actor=None, outcome=Outcome.DENIED,
        purpose=Purpose.INNLOGGING,
    )


@receiver(account_signals.sso_login_refused, dispatch_uid="laget_audit_sso_refused")
def _sso_login_refused(
    sender: Any, request: Any, user: Any = None, detail: str = "", **kwargs: Any
) -> None:
    audit_record(
        action=Action.LOGIN_FAILED, actor=user, outcome=Outcome.DENIED,
        purpose=Purpose.INNLOGGING, details={"method": "oidc", "reason": detail},
    )


@receiver(user_locked_out, dispatch_uid="laget_audit_locked_out")
def _locked_out(sender: Any, request: Any = None, **kwargs: Any) -> None:
    audit_record(
        action=Action.LOCKED_OUT, actor=None, outcome=Outcome.DENIED, purpose=Purpose.INNLOGGING
    )


@receiver(account_signals.second_factor_failed, dispatch_uid="laget_audit_2fa_failed")
def _second_factor_failed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(
        action=Action.SECOND_FACTOR_FAILED, actor=user, outcome=Outcome.DENIED,
        purpose=Purpose.INNLOGGING,
    )


@receiver(account_signals.second_factor_enrolled, dispatch_uid="laget_audit_2fa_enrolled")
def _second_factor_enrolled(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=Action.SECOND_FACTOR_ENROLLED, actor=user, purpose=Purpose.INNLOGGING)


@receiver(account_signals.password_changed, dispatch_uid="laget_audit_password")
def _password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=Action.PASSWORD_CHANGED, actor=user, purpose=Purpose.INNLOGGING)


@receiver(account_signals.session_timed_out, dispatch_uid="laget_audit_session_timeout")
def _session_timed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=Action.SESSION_TIMEOUT, actor=user, purpose=Purpose.INNLOGGING)


@receiver(account_signals.reauthenticated, dispatch_uid="laget_audit_reauth")
def _reauthenticated(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=Action.REAUTH, actor=user, purpose=Purpose.INNLOGGING)


@receiver(account_signals.reauthentication_failed, dispatch_uid="laget_audit_reauth_failed")
def _reauthentication_failed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=Action.REAUTH_FAILED, actor=user, outcome=Outcome.DENIED,
                 purpose=Purpose.INNLOGGING)


@receiver(rate_limited, dispatch_uid="laget_audit_rate_limited")
def _rate_limited(sender: Any, group: str, request: Any = None, **kwargs: Any) -> None:
    # Once per window and subject; the address is in the event's request context already.
    user = getattr(request, "user", None)
    audit_record(action=Action.RATE_LIMITED,
                 actor=user if user is not None and user.is_authenticated else None,
                 outcome=Outcome.DENIED, purpose=Purpose.INNLOGGING,
                 details={"group": group, "path": request.path if request else ""})
