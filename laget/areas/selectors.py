"""Reads of districts, subdistricts and population (reference data: no access checks needed)."""

from django.core.exceptions import ValidationError
from django.db.models import Max, QuerySet, Sum
from django.utils.translation import gettext as _

from laget.areas.models import (
    District,
    PopulationByAge,
    PopulationByAgeBand,
    Sex,
    Subdistrict,
)
from laget.core.errors import NotFound


def district_list(*, administered_only: bool = False) -> QuerySet[District]:
    """All district rows by code, or only the 15 bydeler with their own administration."""
    districts = District.objects.order_by("code")
    if administered_only:
        districts = districts.filter(has_administration=True)
    return districts


def district_get(*, code: str) -> District:
    """The district with this six-digit code ("030101"); NotFound if there is none."""
    district = District.objects.filter(code=code).first()
    if district is None:
        raise NotFound(_("Ukjent bydelskode: %(code)s") % {"code": code})
    return district


def district_from_code(code: object, *, administered_only: bool = False) -> District:
    """Form/validator helper: the district for `code`, or a ValidationError in Norwegian."""
    district = (
        District.objects.filter(code=code).first() if isinstance(code, str) and code else None
    )
    if district is None:
        raise ValidationError(
            _("Ukjent bydelskode: %(code)s"), code="unknown_district", params={"code": code}
        )
    if administered_only and not district.has_administration:
        raise ValidationError(
            _("%(name)s er ikke en bydel med egen administrasjon."),
            code="not_administered",
            params={"name": district.name},
        )
    return district


def subdistrict_list(*, district: District | str) -> QuerySet[Subdistrict]:
    """The delbydeler of a district (object or code), by code."""
    return Subdistrict.objects.filter(district=district).order_by("code")


def population(*, district: District | str, year: int, min_age: int, max_age: int) -> int:
    """Residents of `district` aged min_age..max_age (inclusive) on 1 January of `year`; 0 where
    the population file has no figures (e.g. 030199, or a year outside the file)."""
    if min_age > max_age:
        raise ValueError("min_age must not be above max_age")
    total = PopulationByAge.objects.filter(
        district=district, year=year, sex=Sex.TOTAL, age__gte=min_age, age__lte=max_age
    ).aggregate(total=Sum("population"))["total"]
    return total or 0


def population_by_district(*, year: int, min_age: int, max_age: int) -> dict[str, int]:
    """As `population`, for every district at once (one query): district code → residents."""
    if min_age > max_age:
        raise ValueError("min_age must not be above max_age")
    rows = (
        PopulationByAge.objects.filter(year=year, sex=Sex.TOTAL, age__gte=min_age, age__lte=max_age)
        .values_list("district_id")
        .annotate(total=Sum("population"))
        .order_by()
    )
    return dict(rows)


def population_by_band(*, district: District | str, year: int) -> QuerySet[PopulationByAgeBand]:
    """The age-band rows of a district for a year ("00-05" … "67+", then "total")."""
    return PopulationByAgeBand.objects.filter(district=district, year=year).order_by("age_band")


def latest_population_year() -> int | None:
    """The latest year with population figures, or None before any are imported."""
    latest: int | None = PopulationByAge.objects.aggregate(latest=Max("year"))["latest"]
    return latest
