"""Account events that higher layers (the audit log) listen to. Django's own auth signals cover
login, failed login and logout; these cover what Django does not know about."""

from django.dispatch import Signal

# sender=User class; kwargs: request, user
second_factor_failed = Signal()
second_factor_enrolled = Signal()
password_changed = Signal()
# the session ran out after inactivity (laget.accounts.freshness)
session_timed_out = Signal()
# the password and code given again before an export, or the password wrong
reauthenticated = Signal()
reauthentication_failed = Signal()
# sender=User class; kwargs: request, user (None when unknown), detail (no personal data)
sso_login_refused = Signal()
