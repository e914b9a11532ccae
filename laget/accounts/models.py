"""Users, the agencies they work for, and their roles there."""

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from laget.core import clock
from laget.core.models import BaseModel


class AgencyType(models.TextChoices):
    BYDEL = "bydel", _("Bydel")
    SKOLE = "skole", _("Skole")
    BARNEVERN = "barnevern", _("Barnevern")
    POLITI = "politi", _("Politi")
    NAV = "nav", _("NAV")
    KRIMINALOMSORG = "kriminalomsorg", _("Kriminalomsorgen")
    KONFLIKTRAAD = "konfliktraad", _("Konfliktrådet")
    HELSE = "helse", _("Helsetjeneste")
    FRITID = "fritid", _("Fritid og aktivitet")
    DOMSTOL = "domstol", _("Domstol")
    BY = "by", _("Byenhet")


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Saksbehandler")
    COORDINATOR = "coordinator", _("Koordinator")
    LEADER = "leader", _("Leder")
    ANALYST = "analyst", _("Analytiker")
    AUDITOR = "auditor", _("Revisor")
    ADMIN = "admin", _("Administrator")
    #: A police prosecutor (påtalejurist): a police user who makes charge decisions; acts in the
    #: youth fast track (laget.fasttrack), not in the SaLTo workflow.
    PROSECUTOR = "prosecutor", _("Påtalejurist")


#: Roles whose work may show them personal data; they must log in with a second factor.
ROLES_WITH_PERSONAL_DATA = frozenset(
    {Role.CASEWORKER, Role.COORDINATOR, Role.LEADER, Role.AUDITOR, Role.ADMIN, Role.PROSECUTOR}
)


class User(AbstractUser):
    """A member of staff. Citizens (the family portal) are not users of this kind."""

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Agency(BaseModel):
    """A public body or unit taking part in Laget: a bydel, a school, a police station, …"""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=AgencyType.choices)
    district = models.ForeignKey(
        "areas.District",
        verbose_name=_("bydel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        help_text=_("Bydelen virksomheten hører til; tom for byomfattende virksomheter."),
    )
    is_synthetic = models.BooleanField(_("syntetisk (demo)"), default=False)

    class Meta:
        verbose_name = _("virksomhet")
        verbose_name_plural = _("virksomheter")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self, on: dt.date | None = None) -> "MembershipQuerySet":
        day = on or clock.today()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)


class Membership(BaseModel):
    """A user's role in one agency, for a period. A leaver's membership gets an end date."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    title = models.CharField(_("stillingstittel"), max_length=120, blank=True)
    valid_from = models.DateField(_("fra"), default=clock.today)
    valid_to = models.DateField(
        _("til"), null=True, blank=True,
        help_text=_("Første dag uten tilgang. En som slutter, mister tilgangen samme dag."),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        ordering = ["agency__name", "role"]
        constraints = [
            # one membership per user, agency and role
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="accounts_membership_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="accounts_membership_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} – {self.agency}"

    @property
    def sees_personal_data(self) -> bool:
        return self.role in ROLES_WITH_PERSONAL_DATA


class ExternalIdentity(Device):
    """A user's stable link to an account at an OpenID Connect provider: the issuer and its `sub`.

    It is also the django-otp device that verified the session when the provider's `acr`/`amr`
    claims vouch for a second factor (`laget.accounts.sso`), so `is_verified()` and the
    second-factor middleware treat that login exactly like one verified by Laget's own TOTP.
    django-otp finds devices by an integer id, hence no UUID key here; the id is never shown.
    """

    issuer = models.CharField(_("utsteder"), max_length=255)
    subject = models.CharField(_("subjekt (sub)"), max_length=255)
    created_at = models.DateTimeField(_("opprettet"), default=clock.now, editable=False)
    last_login = models.DateTimeField(_("sist innlogget"), null=True, blank=True)

    class Meta:
        verbose_name = _("ekstern identitet")
        verbose_name_plural = _("eksterne identiteter")
        constraints = [
            # single sign-on finds the user by issuer and sub
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="accounts_externalidentity_unique_subject"
            ),
            # a user links one identity per provider
            models.UniqueConstraint(
                fields=["user", "issuer"], name="accounts_externalidentity_one_per_issuer"
            ),
        ]

    def verify_token(self, token: object) -> bool:
        """Never: the provider verified the factor, there is no code to type for this device."""
        return False


class AccessDecision(models.TextChoices):
    CONFIRMED = "confirmed", _("Bekreftet")
    REMOVED = "removed", _("Fjernet")


class AccessReview(BaseModel):
    """A leader's quarterly access review of their agency: who has access, on which cases, and
    whether it is still needed. One per agency and quarter; the lines are the decisions."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="access_reviews")
    leader = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("periode"), max_length=7, help_text=_("Kvartal, f.eks. 2026-Q4."))
    completed_at = models.DateTimeField(_("fullført"), default=clock.now)

    class Meta:
        verbose_name = _("tilgangsgjennomgang")
        verbose_name_plural = _("tilgangsgjennomganger")
        ordering = ["-completed_at"]
        constraints = [
            # one review per agency and quarter; the page looks it up by both
            models.UniqueConstraint(
                fields=["agency", "period"], name="accounts_accessreview_one_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.period}"


class AccessReviewLine(BaseModel):
    """The leader's decision about one member in a review."""

    review = models.ForeignKey(AccessReview, on_delete=models.CASCADE, related_name="lines")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("beslutning"), max_length=10, choices=AccessDecision.choices)
    note = models.CharField(_("merknad"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("linje i tilgangsgjennomgang")
        verbose_name_plural = _("linjer i tilgangsgjennomgang")
        constraints = [
            # one decision per member in a review
            models.UniqueConstraint(
                fields=["review", "member"], name="accounts_accessreviewline_one_per_member"
            ),
        ]
