"""Norwegian national identity numbers: fødselsnummer and D-number, validated in one place.

Check digits come from python-stdnum (`calc_check_digit1/2`); its `validate()` is not used: it
rejects Skatteetaten's synthetic Tenor numbers and reads the system date. Tenor numbers add 80 to
the birth month; they are valid only where `allow_synthetic` is on (demo and tests) and are always
reported as synthetic, so a real number can never pass for a test person or the other way round.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidComponent
from stdnum.no import fodselsnummer

from laget.people.models import IdKind

SYNTHETIC_MONTH_OFFSET = 80
D_NUMBER_DAY_OFFSET = 40


@dataclass(frozen=True)
class NationalId:
    number: str
    kind: IdKind
    birth_date: dt.date
    synthetic: bool


class InvalidNationalId(ValueError):
    """The number is not a valid fødselsnummer or D-number; `code` says why, `message` says it
    to a person."""

    MESSAGES = {
        "length": _("Nummeret må ha 11 siffer."),
        "format": _("Nummeret kan bare inneholde siffer."),
        "checksum": _("Kontrollsifrene stemmer ikke. Sjekk at nummeret er skrevet riktig."),
        "date": _("De seks første sifrene er ikke en gyldig fødselsdato."),
        "future": _("Fødselsdatoen i nummeret ligger fram i tid."),
        "synthetic": _("Syntetiske testnumre kan ikke brukes i denne installasjonen."),
        "unsupported": _("Nummertypen (H- eller FH-nummer) støttes ikke."),
    }

    def __init__(self, code: str) -> None:
        self.code = code
        self.message = self.MESSAGES[code]
        super().__init__(code)


def compact(value: str) -> str:
    return fodselsnummer.compact(value or "")


def parse_national_id(value: str, *, today: dt.date, allow_synthetic: bool) -> NationalId:
    """Validate a fødselsnummer or D-number and derive its birth date; raises InvalidNationalId."""
    number = compact(value)
    if not number.isascii() or not number.isdigit():
        raise InvalidNationalId("format")
    if len(number) != 11:
        raise InvalidNationalId("length")
    if number[9] != fodselsnummer.calc_check_digit1(number) or number[10] != (
        fodselsnummer.calc_check_digit2(number)
    ):
        raise InvalidNationalId("checksum")

    day, month = int(number[0:2]), int(number[2:4])
    synthetic = month > SYNTHETIC_MONTH_OFFSET
    if synthetic:
        if not allow_synthetic:
            raise InvalidNationalId("synthetic")
        month -= SYNTHETIC_MONTH_OFFSET
    elif month > 12:
        raise InvalidNationalId("unsupported" if month > 40 else "date")
    if day >= 80:
        raise InvalidNationalId("unsupported")
    kind = IdKind.DNR if day > D_NUMBER_DAY_OFFSET else IdKind.FNR
    # stdnum knows the century rules (individual number ranges); give it the plain date digits.
    plain = f"{day:02d}{month:02d}{number[4:]}"
    try:
        birth_date = fodselsnummer.get_birth_date(plain)
    except InvalidComponent:
        raise InvalidNationalId("date") from None
    if birth_date > today:
        raise InvalidNationalId("future")
    return NationalId(number=number, kind=kind, birth_date=birth_date, synthetic=synthetic)


def _individual_range(year: int) -> range:
    if 1900 <= year <= 1999:
        return range(0, 500)
    if 2000 <= year <= 2039:
        return range(500, 1000)
    raise ValueError("synthetic numbers are made for birth years 1900–2039")


def synthetic_national_id(
    *, birth_date: dt.date, rng: random.Random, kind: IdKind = IdKind.FNR
) -> str:
    """A Tenor-style synthetic number (birth month + 80) for demo and test persons."""
    day = birth_date.day + (D_NUMBER_DAY_OFFSET if kind is IdKind.DNR else 0)
    month = birth_date.month + SYNTHETIC_MONTH_OFFSET
    individuals = _individual_range(birth_date.year)
    while True:
        base = f"{day:02d}{month:02d}{birth_date.year % 100:02d}{rng.choice(individuals):03d}"
        k1 = fodselsnummer.calc_check_digit1(base)
        if k1 == "10":
            continue
        k2 = fodselsnummer.calc_check_digit2(base + k1)
        if k2 == "10":
            continue
        return base + k1 + k2


def format_national_id(number: str) -> str:
    """DDMMYY NNNNN, as people write it."""
    return fodselsnummer.format(number)


def mask_national_id(number: str) -> str:
    """The birth-date part only, for lists where the full number is not needed."""
    return number[:6] + " *****"
