"""The catalogue of what a young person can be referred to: youth clubs with their opening hours,
sport and activities, summer and part-time jobs, job programmes, mentor programmes, alternative
school arenas and parent-support programmes. An offer belongs to the agency that provides it
(usually a `fritid` agency), which keeps it up to date. The catalogue holds no personal data."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from laget.core.models import BaseModel


class OfferKind(models.TextChoices):
    CLUB = "fritidsklubb", _("Fritidsklubb")
    SPORT = "idrett", _("Idrett og aktivitet")
    SUMMER_JOB = "sommerjobb", _("Sommerjobb")
    PART_TIME_JOB = "deltidsjobb", _("Deltidsjobb")
    JOB_PROGRAMME = "jobbprogram", _("Jobbprogram eller jobbsenter")
    MENTOR = "mentor", _("Mentorprogram")
    ALTERNATIVE_ARENA = "alternativ_arena", _("Alternativ opplæringsarena")
    PARENT_SUPPORT = "foreldrestotte", _("Foreldrestøtte")


#: kinds that are jobs: they have an employer, hours and places, and a placement has a start
JOB_KINDS = frozenset({OfferKind.SUMMER_JOB, OfferKind.PART_TIME_JOB})


class Season(models.TextChoices):
    """Opening hours differ between the school year and the summer holiday."""

    SCHOOL_YEAR = "skolear", _("Skoleåret")
    SUMMER = "sommer", _("Sommerferien")


class Offer(BaseModel):
    """One offer in the catalogue. A city-wide offer has no bydel."""

    provider = models.ForeignKey("accounts.Agency", verbose_name=_("tilbyder"),
                                 on_delete=models.PROTECT, related_name="offers")
    kind = models.CharField(_("type"), max_length=20, choices=OfferKind.choices)
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), max_length=2000, blank=True)
    district = models.ForeignKey("areas.District", verbose_name=_("bydel"),
                                 on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    subdistrict = models.ForeignKey("areas.Subdistrict", verbose_name=_("delbydel"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    age_min = models.PositiveSmallIntegerField(_("alder fra"))
    age_max = models.PositiveSmallIntegerField(_("alder til"))
    #: language codes (ISO 639-1) the offer can be given in, besides Norwegian
    languages = models.JSONField(_("språk"), default=list, blank=True)
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_phone = models.CharField(_("telefon"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-post"), blank=True)
    #: price in whole kroner per season (0 = free)
    price_nok = models.PositiveIntegerField(_("pris (kr)"), default=0)
    subsidy = models.CharField(_("støtteordning"), max_length=300, blank=True)
    #: the offer's capacity (places) and, of those, places that cost nothing
    places = models.PositiveIntegerField(_("plasser"), null=True, blank=True)
    free_places = models.PositiveIntegerField(_("gratisplasser"), default=0)
    #: jobs: the employer and the hours per week
    employer = models.CharField(_("arbeidsgiver"), max_length=200, blank=True)
    hours_per_week = models.DecimalField(_("timer per uke"), max_digits=4, decimal_places=1,
                                         null=True, blank=True)
    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    #: the provider's own key, so that a catalogue import updates rather than duplicates
    external_ref = models.CharField(_("ekstern referanse"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("tilbud")
        verbose_name_plural = _("tilbud")
        ordering = ["name"]
        # the catalogue's filter by bydel, kind and active
        indexes = [models.Index(fields=["district", "kind", "active"], name="pathways_offer_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(age_min__lte=F("age_max")),
                                   name="pathways_offer_age_order"),
            models.CheckConstraint(condition=Q(places__isnull=True)
                                   | Q(free_places__lte=F("places")),
                                   name="pathways_offer_free_within_places"),
            # a catalogue import updates an offer by its provider's reference
            models.UniqueConstraint(fields=["provider", "external_ref"],
                                    condition=~Q(external_ref=""),
                                    name="pathways_offer_external_ref_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class OpeningHours(BaseModel):
    """One opening on one weekday in one season: a club open 15–21 on Tuesdays in the school year.
    A weekday may have more than one opening (not overlapping)."""

    offer = models.ForeignKey(Offer, verbose_name=_("tilbud"), on_delete=models.CASCADE,
                              related_name="opening_hours")
    season = models.CharField(_("sesong"), max_length=10, choices=Season.choices)
    #: 0 = Monday … 6 = Sunday
    weekday = models.PositiveSmallIntegerField(_("ukedag"))
    opens = models.TimeField(_("åpner"))
    closes = models.TimeField(_("stenger"))

    class Meta:
        verbose_name = _("åpningstid")
        verbose_name_plural = _("åpningstider")
        ordering = ["season", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="pathways_hours_weekday"),
            models.CheckConstraint(condition=Q(opens__lt=F("closes")),
                                   name="pathways_hours_order"),
        ]

    @property
    def hours(self) -> float:
        """The length of the opening in hours."""
        opens = self.opens.hour * 60 + self.opens.minute
        closes = self.closes.hour * 60 + self.closes.minute
        return (closes - opens) / 60


# --- referrals and participation -----------------------------------------------------------------

class ReferralStatus(models.TextChoices):
    SENT = "sendt", _("Sendt")
    ACCEPTED = "akseptert", _("Akseptert")
    WAITLISTED = "venteliste", _("På venteliste")
    DECLINED = "avslatt", _("Avslått")
    COMPLETED = "fullfort", _("Fullført")
    DROPPED_OUT = "avbrutt", _("Avbrutt")


#: statuses in which the provider still has something to decide or record
OPEN_REFERRAL_STATUSES = frozenset({ReferralStatus.SENT, ReferralStatus.ACCEPTED,
                                    ReferralStatus.WAITLISTED})


class Referral(BaseModel):
    """A young person on a SaLTo case referred to an offer. The provider learns only what the
    sharing engine let the referral disclose (name, age, contact, language and the referral text);
    `basis` records, per category, the rule and the consent it was sent under."""

    offer = models.ForeignKey(Offer, verbose_name=_("tilbud"), on_delete=models.PROTECT,
                              related_name="referrals")
    case = models.ForeignKey("records.Case", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    referred_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    referring_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                         related_name="+")
    text = models.TextField(_("hva henvisningen gjelder"), max_length=1000)
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices,
                              default=ReferralStatus.SENT)
    #: {category: {"rule": rule id, "citation": …, "consent": consent id or ""}}
    basis = models.JSONField(_("grunnlag"), default=dict)
    decided_at = models.DateTimeField(_("besvart"), null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    reason = models.CharField(_("begrunnelse"), max_length=500, blank=True)
    ended_on = models.DateField(_("avsluttet"), null=True, blank=True)
    #: job placements: start, hours per week and end
    placement_start = models.DateField(_("startdato"), null=True, blank=True)
    placement_hours = models.DecimalField(_("timer per uke"), max_digits=4, decimal_places=1,
                                          null=True, blank=True)
    placement_end = models.DateField(_("sluttdato"), null=True, blank=True)

    class Meta:
        verbose_name = _("henvisning")
        verbose_name_plural = _("henvisninger")
        ordering = ["-created_at"]
        # an offer's referrals by status (the provider's list, places taken)
        indexes = [models.Index(fields=["offer", "status"], name="pathways_referral_offer_idx"),
                   # a case's referrals (the case page)
                   models.Index(fields=["case"], name="pathways_referral_case_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(placement_end__isnull=True) | Q(placement_start__isnull=True)
                | Q(placement_end__gte=F("placement_start")),
                name="pathways_placement_order"),
        ]

    def __str__(self) -> str:
        return str(_("Henvisning til %(offer)s") % {"offer": self.offer_id})


class Attendance(BaseModel):
    """Whether the young person came on one date: one row per referral and date."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attendance")
    on = models.DateField(_("dato"))
    attended = models.BooleanField(_("møtte"))
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("oppmøte")
        verbose_name_plural = _("oppmøter")
        ordering = ["on"]
        constraints = [
            # one attendance per referral and day
            models.UniqueConstraint(fields=["referral", "on"], name="pathways_attendance_once"),
        ]
