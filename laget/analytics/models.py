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
            models.UniqueConstraint(fields=["indicator", "area_code", "period"],
                                    name="analytics_value_unique"),
            models.CheckConstraint(
                condition=Q(level="delbydel", subdistrict__isnull=False)
                | (~Q(level="delbydel") & Q(subdistrict__isnull=True)),
                name="analytics_value_subdistrict_level"),
            models.CheckConstraint(condition=~Q(level="place") | ~Q(place_name=""),
                                   name="analytics_value_place_named"),
        ]
        indexes = [models.Index(fields=["indicator", "district", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_code} {self.period}: {self.value}"
