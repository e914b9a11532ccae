"""Persons that Laget coordinates around, and their guardians."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laget.core.models import BaseModel


class Language(models.TextChoices):
    """Preferred languages offered for letters and interpreters (ISO 639-1/3 codes)."""

    NB = "nb", _("Norsk bokmål")
    NN = "nn", _("Norsk nynorsk")
    EN = "en", _("Engelsk")
    AR = "ar", _("Arabisk")
    SO = "so", _("Somali")
    UR = "ur", _("Urdu")
    PL = "pl", _("Polsk")
    TI = "ti", _("Tigrinja")
    FA = "fa", _("Persisk")
    PRS = "prs", _("Dari")
    KU = "ku", _("Kurdisk")
    TR = "tr", _("Tyrkisk")
    UK = "uk", _("Ukrainsk")
    RU = "ru", _("Russisk")
    LT = "lt", _("Litauisk")
    TA = "ta", _("Tamil")
    VI = "vi", _("Vietnamesisk")
    SV = "sv", _("Svensk")
    ES = "es", _("Spansk")
    FR = "fr", _("Fransk")


class AddressProtection(models.TextChoices):
    """Folkeregisteret's adressebeskyttelse. Where the person lives must not reach anyone who
    could pass it on, so nobody with it (or whose child has it) is messaged automatically.
    Folkeregisteret's «strengt fortrolig utland» is recorded as strengt fortrolig."""

    NONE = "", _("Ingen")
    FORTROLIG = "fortrolig", _("Fortrolig adresse")
    STRENGT_FORTROLIG = "strengt_fortrolig", _("Strengt fortrolig adresse")


class IdKind(models.TextChoices):
    FNR = "fnr", _("Fødselsnummer")
    DNR = "dnr", _("D-nummer")
    NONE = "none", _("Uten nummer")


class Person(BaseModel):
    """A child or young person. The number is optional (a newly arrived youth may have none yet)
    and may be added later; the birth date is then derived from it."""

    national_id = models.CharField(
        _("fødselsnummer / D-nummer"), max_length=11, null=True, blank=True, unique=True
    )
    id_kind = models.CharField(
        _("identifikator"), max_length=4, choices=IdKind.choices, default=IdKind.NONE
    )
    birth_date = models.DateField(_("fødselsdato"))
    given_name = models.CharField(_("fornavn"), max_length=100)
    family_name = models.CharField(_("etternavn"), max_length=100)
    district = models.ForeignKey(
        "areas.District", verbose_name=_("bydel"), on_delete=models.PROTECT,
        related_name="residents",
    )
    subdistrict = models.ForeignKey(
        "areas.Subdistrict", verbose_name=_("delbydel"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="residents",
    )
    preferred_language = models.CharField(
        _("foretrukket språk"), max_length=3, choices=Language.choices, default=Language.NB
    )
    interpreter_needed = models.BooleanField(_("trenger tolk"), default=False)
    interpreter_language = models.CharField(
        _("tolkespråk"), max_length=3, choices=Language.choices, blank=True
    )
    address_protection = models.CharField(
        _("adressebeskyttelse"), max_length=20, choices=AddressProtection.choices, blank=True,
        default=AddressProtection.NONE,
        help_text=_("Fra Folkeregisteret. Foresatte får da ingen automatiske meldinger."),
    )
    is_synthetic = models.BooleanField(_("syntetisk person (demo/test)"), default=False)
    registered_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["family_name", "given_name"]
        # a bydel's persons by age (person list, the 18th-birthday warnings)
        indexes = [models.Index(fields=["district", "birth_date"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(id_kind="none") & Q(national_id__isnull=True))
                | (~Q(id_kind="none") & Q(national_id__isnull=False)),
                name="people_person_id_kind_matches_number",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: dt.date) -> int:
        """Whole years of age on a date (born 29 February: a year is complete on 1 March)."""
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class GuardianRelation(models.TextChoices):
    MOTHER = "mor", _("Mor")
    FATHER = "far", _("Far")
    OTHER_PARENT = "forelder", _("Forelder")
    APPOINTED = "verge", _("Verge")
    FOSTER = "fosterforelder", _("Fosterforelder")
    OTHER = "annen", _("Annen omsorgsperson")


class Guardian(BaseModel):
    """An adult with a relation to a person; parental responsibility (foreldreansvar) decides
    consent, and restricted contact or a protected address stops automatic messages (restricted
    contact also portal access)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardians")
    # NULL, not "", for "no number": the unique constraint must ignore guardians without one.
    national_id = models.CharField(  # noqa: DJ001
        _("fødselsnummer / D-nummer"), max_length=11, null=True, blank=True
    )
    given_name = models.CharField(_("fornavn"), max_length=100)
    family_name = models.CharField(_("etternavn"), max_length=100)
    relation = models.CharField(_("relasjon"), max_length=20, choices=GuardianRelation.choices)
    parental_responsibility = models.BooleanField(_("har foreldreansvar"), default=True)
    restricted_contact = models.BooleanField(
        _("begrenset kontakt"),
        default=False,
        help_text=_("For eksempel besøksforbud: ingen automatiske meldinger og ingen "
                    "tilgang til familiesidene."),
    )
    address_protection = models.CharField(
        _("adressebeskyttelse"), max_length=20, choices=AddressProtection.choices, blank=True,
        default=AddressProtection.NONE,
        help_text=_("Fra Folkeregisteret. Ingen automatiske meldinger til denne foresatte."),
    )
    phone = models.CharField(_("telefon"), max_length=20, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    preferred_language = models.CharField(
        _("foretrukket språk"), max_length=3, choices=Language.choices, default=Language.NB
    )
    interpreter_needed = models.BooleanField(_("trenger tolk"), default=False)
    is_synthetic = models.BooleanField(_("syntetisk (demo/test)"), default=False)

    class Meta:
        verbose_name = _("foresatt")
        verbose_name_plural = _("foresatte")
        ordering = ["family_name", "given_name"]
        constraints = [
            # a guardian once per person; the family login finds guardians by number
            models.UniqueConstraint(
                fields=["person", "national_id"], name="people_guardian_unique_per_person",
                condition=Q(national_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"
