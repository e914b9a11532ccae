"""Indicators over Oslo's areas: what an indicator is (`Indicator`), where imported figures came
from (`Dataset`), and the figures themselves (`IndicatorValue`) per area and period.

Only aggregates live here — no person ids. Computed counts are stored raw; small-number
suppression happens on the way out (`laget.analytics.publish`), which is the only way pages and
exports read values.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laget.core.models import BaseModel


class Unit(models.TextChoices):
    COUNT = "count", _("antall")
    PERCENT = "percent", _("prosent")
    DAYS = "days", _("dager (median)")
    HOURS = "hours", _("timer (median)")
    PER_1000 = "per_1000", _("per 1 000 unge")


class PeriodType(models.TextChoices):
    MONTH = "month", _("måned")
    YEAR = "year", _("år")


class Level(models.TextChoices):
    BYDEL = "bydel", _("bydel")
    DELBYDEL = "delbydel", _("delbydel")
    #: a named statistical area of a bydel that is neither (e.g. a school's catchment area)
    PLACE = "place", _("navngitt område")


class Direction(models.TextChoices):
    HIGHER_BETTER = "higher_better", _("høyere er bedre")
    HIGHER_WORSE = "higher_worse", _("høyere er verre")
    NEUTRAL = "neutral", _("nøytral")


class Origin(models.TextChoices):
    IMPORTED = "imported", _("importert")
    COMPUTED = "computed", _("beregnet fra Laget")


class Indicator(models.Model):
    """One indicator. Its geographic level and period type are fixed: together with the
    publication rule in `publish` they fix the set of published cells, which is what the
    suppression's protection is proven over."""

    key = models.SlugField(_("nøkkel"), max_length=60, primary_key=True)
    name_nb = models.CharField(_("navn (bokmål)"), max_length=200)
    name_en = models.CharField(_("navn (engelsk)"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=10, choices=Unit.choices)
    source = models.CharField(_("kilde"), max_length=300)
    period_type = models.CharField(_("periodetype"), max_length=6, choices=PeriodType.choices)
    level = models.CharField(_("geografisk nivå"), max_length=10, choices=Level.choices)
    direction = models.CharField(_("retning"), max_length=14, choices=Direction.choices)
    origin = models.CharField(_("opphav"), max_length=10, choices=Origin.choices)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.key


class Dataset(BaseModel):
    """Where a batch of imported figures came from. `synthetic` marks demo figures made up where
    no open data exists: they are labelled «syntetisk» wherever they are shown."""

    source = models.CharField(_("kilde"), max_length=300)
    table_id = models.CharField(_("tabell"), max_length=100, blank=True)
    url = models.URLField(_("adresse"), max_length=500, blank=True)
    fetched_on = models.DateField(_("hentet"))
    licence = models.CharField(_("lisens"), max_length=100)
    synthetic = models.BooleanField(_("syntetisk"), default=False)
    note = models.TextField(_("merknad"), blank=True)

    class Meta:
        verbose_name = _("datasett")
        verbose_name_plural = _("datasett")
        ordering = ["-fetched_on", "source"]
        constraints = [
            # an import is stored once; a re-import finds it by these
            models.UniqueConstraint(fields=["source", "table_id", "fetched_on", "synthetic"],
                                    name="analytics_dataset_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.table_id}".strip()


class IndicatorValue(models.Model):
    """A figure of an indicator for one area and period. `area_code` is the district's or
    subdistrict's code, or for a named place its bydel code, a colon and a slug; `district` is
    the bydel the area lies in. `period` is the first day of the month or year. For a median,
    `n` is the size of the group; for a rate, the denominator."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    level = models.CharField(_("geografisk nivå"), max_length=10, choices=Level.choices)
    area_code = models.CharField(_("områdekode"), max_length=60)
    district = models.ForeignKey("areas.District", verbose_name=_("bydel"),
                                 on_delete=models.PROTECT, related_name="+")
    subdistrict = models.ForeignKey("areas.Subdistrict", verbose_name=_("delbydel"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    place_name = models.CharField(_("områdenavn"), max_length=200, blank=True)
    period = models.DateField(_("periode"))
    value = models.DecimalField(_("verdi"), max_digits=14, decimal_places=3)
    n = models.PositiveIntegerField(_("grunnlag"), null=True, blank=True)
    dataset = models.ForeignKey(Dataset, verbose_name=_("datasett"), on_delete=models.CASCADE,
                                null=True, blank=True, related_name="values")
    computed_at = models.DateTimeField(_("beregnet"), null=True, blank=True)

    class Meta:
        verbose_name = _("indikatorverdi")
        verbose_name_plural = _("indikatorverdier")
        ordering = ["indicator", "period", "area_code"]
        constraints = [
            # one value per indicator, area and period (the recompute upserts by them)
            models.UniqueConstraint(fields=["indicator", "area_code", "period"],
                                    name="analytics_value_unique"),
            models.CheckConstraint(
                condition=Q(level="delbydel", subdistrict__isnull=False)
                | (~Q(level="delbydel") & Q(subdistrict__isnull=True)),
                name="analytics_value_subdistrict_level"),
            models.CheckConstraint(condition=~Q(level="place") | ~Q(place_name=""),
                                   name="analytics_value_place_named"),
        ]
        # an indicator's values by bydel and period (indicator page, fact sheet)
        indexes = [models.Index(fields=["indicator", "district", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_code} {self.period}: {self.value}"


# --- områdesatsinger: programmes, commitments and crime-preventive design (issue 11) -----------
# Aggregates and public commitments only: no person is ever named here (a party is an
# organisation; `updated_by` is the staff user who recorded the change).


class AreaProgramme(BaseModel):
    """An områdesatsing: a time-limited joint effort of the state and the city in named areas.
    `source` and `source_url` say where its name, areas and period come from."""

    key = models.SlugField(_("nøkkel"), max_length=60, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    districts = models.ManyToManyField("areas.District", verbose_name=_("bydeler"), blank=True,
                                       related_name="+")
    subdistricts = models.ManyToManyField("areas.Subdistrict", verbose_name=_("delbydeler"),
                                          blank=True, related_name="+")
    starts_on = models.DateField(_("fra"), null=True, blank=True)
    ends_on = models.DateField(_("til"), null=True, blank=True)
    owner = models.CharField(_("ansvarlig"), max_length=300, blank=True)
    source = models.TextField(_("kilde"), blank=True)
    source_url = models.URLField(_("kildeadresse"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("områdesatsing")
        verbose_name_plural = _("områdesatsinger")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="analytics_programme_period"),
        ]

    def __str__(self) -> str:
        return self.name


class PartyKind(models.TextChoices):
    STATE = "state", _("staten")
    CITY = "city", _("kommunen")
    BUSINESS = "business", _("næringslivet")
    DEVELOPER = "developer", _("utbygger")


class CommitmentStatus(models.TextChoices):
    PLANNED = "planned", _("planlagt")
    IN_PROGRESS = "in_progress", _("i gang")
    DONE = "done", _("gjennomført")
    CANCELLED = "cancelled", _("avlyst")


#: statuses of a commitment that is still owed (overdue after its due date)
OPEN_COMMITMENT = (CommitmentStatus.PLANNED, CommitmentStatus.IN_PROGRESS)


class Commitment(BaseModel):
    """What a party committed to in a programme, the indicator it should move, by when, and
    where it stands (with evidence). Every change leaves a `CommitmentChange`."""

    programme = models.ForeignKey(AreaProgramme, verbose_name=_("områdesatsing"),
                                  on_delete=models.CASCADE, related_name="commitments")
    party_kind = models.CharField(_("part"), max_length=10, choices=PartyKind.choices)
    party_name = models.CharField(_("partens navn"), max_length=200)
    what = models.TextField(_("forpliktelse"), max_length=2000)
    indicator = models.ForeignKey(Indicator, verbose_name=_("indikator den skal flytte"),
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    due_on = models.DateField(_("frist"))
    status = models.CharField(_("status"), max_length=12, choices=CommitmentStatus.choices,
                              default=CommitmentStatus.PLANNED)
    evidence = models.TextField(_("dokumentasjon"), max_length=2000, blank=True)
    evidence_url = models.URLField(_("lenke til dokumentasjon"), max_length=500, blank=True)
    updated_by = models.ForeignKey("accounts.User", verbose_name=_("endret av"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("forpliktelse")
        verbose_name_plural = _("forpliktelser")
        ordering = ["due_on", "party_name"]
        # a programme's commitments by due date (the board)
        indexes = [models.Index(fields=["programme", "due_on"])]

    def __str__(self) -> str:
        return f"{self.party_name}: {self.what[:60]}"


class CommitmentChange(BaseModel):
    """One recorded change of a commitment: the status before and after, the evidence given."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="changes")
    status_from = models.CharField(_("status før"), max_length=12, blank=True,
                                   choices=CommitmentStatus.choices)
    status_to = models.CharField(_("status etter"), max_length=12,
                                 choices=CommitmentStatus.choices)
    due_on = models.DateField(_("frist"))
    evidence = models.TextField(_("dokumentasjon"), blank=True)
    evidence_url = models.URLField(_("lenke til dokumentasjon"), max_length=500, blank=True)
    changed_by = models.ForeignKey("accounts.User", verbose_name=_("endret av"),
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("endring av forpliktelse")
        verbose_name_plural = _("endringer av forpliktelser")
        ordering = ["created_at"]


class DevelopmentPlan(BaseModel):
    """A development plan (reguleringsplan or similar) in a programme's area, checked against
    crime-preventive design."""

    programme = models.ForeignKey(AreaProgramme, verbose_name=_("områdesatsing"),
                                  on_delete=models.CASCADE, related_name="plans")
    district = models.ForeignKey("areas.District", verbose_name=_("bydel"),
                                 on_delete=models.PROTECT, related_name="+")
    subdistrict = models.ForeignKey("areas.Subdistrict", verbose_name=_("delbydel"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    name = models.CharField(_("navn"), max_length=200)
    plan_id = models.CharField(_("plan-ID"), max_length=60, blank=True)
    developer = models.CharField(_("utbygger"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("utviklingsplan")
        verbose_name_plural = _("utviklingsplaner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DesignTopic(models.TextChoices):
    """Crime-preventive urban design: the first four are the policy paper's (seed lines
    654–658: glass and transparent doors to stairwells, better lighting, limited access to
    garages and basements, balconies facing public streets); the rest are common practice."""

    LIGHTING = "lighting", _("Belysning")
    TRANSPARENT_ENTRANCES = "transparent_entrances", _(
        "Glass og gjennomsiktige dører inn til trappeoppganger")
    GARAGE_BASEMENT_ACCESS = "garage_basement_access", _(
        "Begrenset adgang til garasjer og kjellere")
    FACING_STREET = "facing_street", _("Balkonger og vinduer mot offentlige gater")
    SIGHTLINES = "sightlines", _("Siktlinjer og vegetasjon")
    WAYFINDING = "wayfinding", _("Orientering og skilting")
    ACTIVE_GROUND_FLOORS = "active_ground_floors", _("Aktive førsteetasjer og byliv")
    MAINTENANCE = "maintenance", _("Vedlikehold og tilsyn")


class DesignStatus(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("ikke vurdert")
    OK = "ok", _("i orden")
    NEEDS_WORK = "needs_work", _("må forbedres")
    NOT_APPLICABLE = "not_applicable", _("ikke relevant")


class DesignChecklistItem(BaseModel):
    """One topic of a plan's checklist with its status and a comment."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="items")
    topic = models.CharField(_("tema"), max_length=24, choices=DesignTopic.choices)
    status = models.CharField(_("status"), max_length=16, choices=DesignStatus.choices,
                              default=DesignStatus.NOT_ASSESSED)
    comment = models.TextField(_("kommentar"), max_length=2000, blank=True)
    updated_by = models.ForeignKey("accounts.User", verbose_name=_("endret av"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("sjekkpunkt")
        verbose_name_plural = _("sjekkpunkter")
        # one checklist item per topic in a development plan
        constraints = [models.UniqueConstraint(fields=["plan", "topic"],
                                               name="analytics_checklist_topic_once")]
