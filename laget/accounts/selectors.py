"""Reads about users, agencies and memberships."""

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from laget.accounts.models import ROLES_WITH_PERSONAL_DATA, Agency, Membership, User


def membership_list_active(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.active().filter(user=user)
        .select_related("agency", "agency__district")
    )


def requires_second_factor(*, user: User) -> bool:
    """Every user whose roles may show personal data logs in with two factors; staff and
    superusers (the admin site) always do."""
    if user.is_staff or user.is_superuser:
        return True
    return membership_list_active(user=user).filter(role__in=ROLES_WITH_PERSONAL_DATA).exists()


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def agency_member_list(*, agency: Agency) -> QuerySet[Membership]:
    """Current memberships of an agency (for its leader's overview)."""
    return (
        Membership.objects.active().filter(agency=agency).select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
