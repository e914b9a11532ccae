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
        indexes = [models.Index(fields=["district", "kind", "active"], name="pathways_offer_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(age_min__lte=F("age_max")),
                                   name="pathways_offer_age_order"),
            models.CheckConstraint(condition=Q(places__isnull=True)
                                   | Q(free_places__lte=F("places")),
                                   name="pathways_offer_free_within_places"),
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
