"""Oslo's districts (bydeler) and subdistricts (delbydeler) with boundaries and population.

Reference data keyed by the official SSB codes; loaded from `data/areas/` by `laget.areas.importer`
(in a data migration and by `manage.py import_areas`), never edited by hand.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DistrictKind(models.TextChoices):
    BYDEL = "bydel", _("Bydel")
    STATISTICAL = "statistical", _("Statistisk område")
    UNREGISTERED = "unregistered", _("Uten registrert adresse")


class Sex(models.TextChoices):
    FEMALE = "female", _("Kvinner")
    MALE = "male", _("Menn")
    TOTAL = "total", _("Begge kjønn")


class District(models.Model):
    """A bydel, or one of the statistical units SSB counts like one (Sentrum, Marka, no address).
    Only the 15 bydeler have their own administration; cases belong to one of them."""

    code = models.CharField(_("bydelsnummer"), max_length=6, primary_key=True)
    number = models.CharField(_("bydelsnr. (kort)"), max_length=2, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    kind = models.CharField(_("type"), max_length=12, choices=DistrictKind.choices)
    has_administration = models.BooleanField(_("har bydelsadministrasjon"), default=False)
    boundary = models.JSONField(
        _("grense (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_(
            "GeoJSON-geometri (Polygon eller MultiPolygon, WGS 84); tom der grensen mangler."
        ),
    )

    class Meta:
        verbose_name = _("bydel")
        verbose_name_plural = _("bydeler")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Subdistrict(models.Model):
    """A delbydel. A few codes are statistical units only (Sentrum, Marka, no address) and four
    places have a code but no polygon in the boundary set, so `boundary` may be empty."""

    code = models.CharField(_("delbydelsnummer"), max_length=8, primary_key=True)
    number = models.CharField(_("delbydelsnr. (kort)"), max_length=4, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    district = models.ForeignKey(
        District,
        verbose_name=_("bydel"),
        on_delete=models.PROTECT,
        related_name="subdistricts",
    )
    boundary = models.JSONField(
        _("grense (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_(
            "GeoJSON-geometri (Polygon eller MultiPolygon, WGS 84); tom der grensen mangler."
        ),
    )

    class Meta:
        verbose_name = _("delbydel")
        verbose_name_plural = _("delbydeler")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PopulationByAgeBand(models.Model):
    """Residents of a district on 1 January of a year, in the age bands of the source file."""

    district = models.ForeignKey(
        District, verbose_name=_("bydel"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    age_band = models.CharField(_("aldersgruppe"), max_length=8)
    population = models.PositiveIntegerField(_("folkemengde"))

    class Meta:
        verbose_name = _("folkemengde etter aldersgruppe")
        verbose_name_plural = _("folkemengde etter aldersgrupper")
        constraints = [
            # one count per bydel, year and age band (import upserts, indicator lookups)
            models.UniqueConstraint(
                fields=["district", "year", "age_band"], name="areas_popband_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.year} {self.age_band}: {self.population}"


class PopulationByAge(models.Model):
    """Residents of a district on 1 January of a year by single year of age and sex (`total` is
    both sexes, as in the source file)."""

    district = models.ForeignKey(
        District, verbose_name=_("bydel"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    age = models.PositiveSmallIntegerField(_("alder"))
    sex = models.CharField(_("kjønn"), max_length=6, choices=Sex.choices)
    population = models.PositiveIntegerField(_("folkemengde"))

    class Meta:
        verbose_name = _("folkemengde etter alder og kjønn")
        verbose_name_plural = _("folkemengde etter alder og kjønn")
        constraints = [
            # one count per bydel, year, sex and age (import upserts, cohort sizes)
            models.UniqueConstraint(
                fields=["district", "year", "sex", "age"], name="areas_popage_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.year} {self.sex} {self.age}: {self.population}"
