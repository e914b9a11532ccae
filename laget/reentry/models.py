"""After prison (issue 9): the release kriminalomsorgen registers, its handover to NAV with the
reentry plan and its readiness checklist, the outcomes NAV records after release; the structured
messages between kriminalomsorgen and the police; the police's registrations of network
affiliation (police intelligence) and kriminalomsorgen's placements, which are checked against
them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laget.core.models import BaseModel


class ReleaseKind(models.TextChoices):
    FULL_TERM = "full_term", _("Endt soning")
    PAROLE = "parole", _("Prøveløslatelse")
    CUSTODY_END = "custody_end", _("Løslatelse fra varetekt")


class ReleaseStatus(models.TextChoices):
    REGISTERED = "registered", _("Registrert")
    HANDED_OVER = "handed_over", _("Overlevert til NAV")
    RELEASED = "released", _("Løslatt")
    CANCELLED = "cancelled", _("Avlyst")


class Release(BaseModel):
    """An upcoming release, registered by the kriminalomsorg unit that holds the person."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("accounts.Agency", verbose_name=_("enhet"),
                             on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+")
    expected_date = models.DateField(_("forventet løslatelse"))
    actual_date = models.DateField(_("løslatt"), null=True, blank=True)
    kind = models.CharField(_("type løslatelse"), max_length=20, choices=ReleaseKind.choices)
    conditions = models.TextField(_("vilkår"), blank=True)
    electronic_monitoring = models.BooleanField(_("elektronisk kontroll"), default=False)
    municipality = models.CharField(_("kommune etter løslatelse"), max_length=100,
                                    default="Oslo")
    district = models.ForeignKey("areas.District", verbose_name=_("bydel etter løslatelse"),
                                 on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    short_notice_reason = models.TextField(_("grunn til kort varsel"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReleaseStatus.choices,
                              default=ReleaseStatus.REGISTERED)

    class Meta:
        verbose_name = _("løslatelse")
        verbose_name_plural = _("løslatelser")
        ordering = ["expected_date", "id"]
        constraints = [
            # one pending release per person
            models.UniqueConstraint(
                fields=["person"], condition=Q(status__in=["registered", "handed_over"]),
                name="reentry_release_one_upcoming"),
        ]


class ReentryPlan(BaseModel):
    """NAV's plan for the time after release, owned by a NAV advisor. Opened by the handover."""

    release = models.OneToOneField(Release, on_delete=models.PROTECT, related_name="plan")
    nav_office = models.ForeignKey("accounts.Agency", verbose_name=_("NAV-kontor"),
                                   on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("NAV-veileder"),
                              on_delete=models.PROTECT, related_name="+")
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       related_name="+")
    handed_over_at = models.DateTimeField(_("overlevert"))
    salto_case = models.ForeignKey("records.Case", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    salto_concern = models.ForeignKey("cases.Concern", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+")
    youth_guarantee = models.BooleanField(_("omfattet av ungdomsgarantien"), default=False)
    work = models.TextField(_("arbeid"), blank=True)
    education = models.TextField(_("utdanning"), blank=True)
    housing = models.TextField(_("bolig"), blank=True)
    income = models.TextField(_("inntekt"), blank=True)
    health_referrals = models.TextField(_("henvisninger til helse og rus"), blank=True)
    activities = models.TextField(_("aktiviteter"), blank=True)
    first_day_contact = models.CharField(_("kontaktperson første dag"), max_length=200,
                                         blank=True)
    first_day_contact_phone = models.CharField(_("telefon til kontaktpersonen"), max_length=30,
                                               blank=True)
    id_documents = models.BooleanField(_("ID-dokumenter klare"), default=False)
    bank_account = models.BooleanField(_("bankkonto opprettet"), default=False)
    housing_confirmed = models.BooleanField(_("bolig bekreftet"), default=False)
    first_meeting_on = models.DateField(_("første møte hos NAV"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan etter løslatelse")
        verbose_name_plural = _("planer etter løslatelse")

    @property
    def linked_case_id(self) -> uuid.UUID | None:
        """The SaLTo case the plan is linked to: the open case found at the handover, or the case
        the bydel's coordinator opened from the handover's concern since."""
        if self.salto_case_id:
            return self.salto_case_id
        return self.salto_concern.case_id if self.salto_concern_id else None


class Milestone(models.IntegerChoices):
    THREE = 3, _("3 måneder")
    SIX = 6, _("6 måneder")
    TWELVE = 12, _("12 måneder")


class Occupation(models.TextChoices):
    WORK = "work", _("I arbeid")
    EDUCATION = "education", _("I utdanning")
    BOTH = "both", _("I arbeid og utdanning")
    NONE = "none", _("Verken arbeid eller utdanning")


class Outcome(BaseModel):
    """Where the person stands 3, 6 and 12 months after release, as NAV records it."""

    plan = models.ForeignKey(ReentryPlan, on_delete=models.PROTECT, related_name="outcomes")
    milestone = models.PositiveSmallIntegerField(_("tidspunkt"), choices=Milestone.choices)
    occupation = models.CharField(_("arbeid eller utdanning"), max_length=10,
                                  choices=Occupation.choices)
    housing_stable = models.BooleanField(_("stabil bolig"))
    new_conviction = models.BooleanField(_("ny dom"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_on = models.DateField(_("registrert"))

    class Meta:
        verbose_name = _("resultat etter løslatelse")
        verbose_name_plural = _("resultater etter løslatelse")
        ordering = ["milestone"]
        # one outcome per plan and milestone
        constraints = [models.UniqueConstraint(fields=["plan", "milestone"],
                                               name="reentry_outcome_once")]


# --- the exchange between kriminalomsorgen and the police ----------------------------------------

class MessageCategory(models.TextChoices):
    RESTRICTION = "restriction", _("Restriksjoner i varetekt")
    INCIDENT = "incident", _("Hendelse")
    NETWORK = "network", _("Etterretning om nettverkstilknytning")
    TRANSFER = "transfer", _("Overføring")
    RELEASE = "release", _("Melding om løslatelse")


class ExchangeMessage(BaseModel):
    """A message from one agency to the other about a person in custody or serving a sentence,
    sent under the rulebook rule named on it; the receiver's first read is its receipt."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("kategori"), max_length=20, choices=MessageCategory.choices)
    info_category = models.CharField(_("opplysningskategori"), max_length=20)
    purpose = models.CharField(_("formål"), max_length=20)
    sender_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                      related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    receiver_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                        related_name="+")
    text = models.TextField(_("melding"))
    rule_id = models.CharField(_("regel"), max_length=100)
    rule_citation = models.CharField(_("hjemmel"), max_length=300)
    sent_at = models.DateTimeField(_("sendt"))
    read_at = models.DateTimeField(_("lest"), null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+")

    class Meta:
        verbose_name = _("melding mellom kriminalomsorg og politi")
        verbose_name_plural = _("meldinger mellom kriminalomsorg og politi")
        ordering = ["-sent_at", "-id"]
        # an agency's received messages (the mailbox)
        indexes = [models.Index(fields=["receiver_agency", "sent_at"]),
                   # an agency's sent messages (the mailbox)
                   models.Index(fields=["sender_agency", "sent_at"])]


class AffiliationKind(models.TextChoices):
    MEMBER = "member", _("Tilhører nettverket")
    CONFLICT = "conflict", _("I konflikt med nettverket")


class NetworkAffiliation(BaseModel):
    """The police's registration that a person belongs to, or is in conflict with, a criminal
    network. Police intelligence: never shown to NAV, to others only where a rule allows."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    network_code = models.SlugField(_("nettverkskode"), max_length=40)
    network_name = models.CharField(_("nettverk"), max_length=100)
    kind = models.CharField(_("tilknytning"), max_length=10, choices=AffiliationKind.choices)
    unit = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+")
    valid_from = models.DateField(_("gjelder fra"))
    valid_to = models.DateField(_("gjelder til"), null=True, blank=True)

    class Meta:
        verbose_name = _("nettverkstilknytning")
        verbose_name_plural = _("nettverkstilknytninger")
        ordering = ["network_code", "valid_from"]
        # a person's networks (the placement check, registering)
        indexes = [models.Index(fields=["person", "network_code"])]


class PlacementKind(models.TextChoices):
    PLACEMENT = "placement", _("Innsettelse")
    TRANSFER = "transfer", _("Overføring")


class Placement(BaseModel):
    """Where kriminalomsorgen holds a person: a unit (its agency) and a section in it."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("accounts.Agency", verbose_name=_("enhet"),
                             on_delete=models.PROTECT, related_name="+")
    section = models.CharField(_("avdeling"), max_length=60)
    kind = models.CharField(_("type"), max_length=10, choices=PlacementKind.choices)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    placed_from = models.DateField(_("fra"))
    placed_to = models.DateField(_("til"), null=True, blank=True)
    warned = models.BooleanField(_("advarsel gitt"), default=False)
    override_reason = models.TextField(_("grunn til å overstyre advarselen"), blank=True)

    class Meta:
        verbose_name = _("plassering")
        verbose_name_plural = _("plasseringer")
        ordering = ["-placed_from", "-id"]
        constraints = [
            # one current placement per person (the placement check)
            models.UniqueConstraint(fields=["person"], condition=Q(placed_to__isnull=True),
                                    name="reentry_placement_one_current"),
        ]
