"""Writes for users and memberships, and the steps of the two-factor login."""

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from laget.accounts.models import Agency, Membership, Role, User
from laget.core import clock


@transaction.atomic
def user_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    password: str | None = None,
    validate: bool = True,
) -> User:
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password is None:
        user.set_unusable_password()
    else:
        if validate:
            validate_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def membership_add(
    *, user: User, agency: Agency, role: Role | str, title: str = "",
    valid_from: dt.date | None = None,
) -> Membership:
    membership = Membership(
        user=user, agency=agency, role=role, title=title, valid_from=valid_from or clock.today()
    )
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, on: dt.date | None = None) -> Membership:
    """A leaver loses access from the end date on (the same day by default)."""
    membership.valid_to = max(on or clock.today(), membership.valid_from)
    membership.updated_at = clock.now()
    membership.save(update_fields=["valid_to", "updated_at"])
    return membership


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator being set up (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Laget", confirmed=False)
    return device


@transaction.atomic
def totp_device_set(*, user: User, key_hex: str, confirmed: bool = True) -> TOTPDevice:
    """Give a user a known TOTP key (demo users; restoring an authenticator)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="Laget", key=key_hex, confirmed=confirmed)


def totp_current_token(*, device: TOTPDevice) -> str:
    """The code the authenticator shows now (the demo hint and tests use it)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = clock.now().timestamp()
    return f"{totp.token():0{device.digits}d}"
