"""Validation of personal identifiers and the plain writes of persons and guardians.

These functions do not audit: the audit log sits in the layer above, and every caller that writes
personal data (the person pages in `web`, the demo builder) records the event in the same
transaction.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from laget.core import clock
from laget.people.identifiers import InvalidNationalId, NationalId, parse_national_id
from laget.people.models import Guardian, IdKind, Person

PERSON_FIELDS = (
    "national_id", "birth_date", "given_name", "family_name", "district", "subdistrict",
    "preferred_language", "interpreter_needed", "interpreter_language", "address_protection",
)
GUARDIAN_FIELDS = (
    "national_id", "given_name", "family_name", "relation", "parental_responsibility",
    "restricted_contact", "address_protection", "phone", "email", "preferred_language",
    "interpreter_needed",
)


def national_id_parse(value: str) -> NationalId:
    """Parse under this installation's rules (Laget's clock; synthetic numbers only in demo/test);
    raises ValidationError with the reason."""
    try:
        return parse_national_id(
            value, today=clock.today(), allow_synthetic=settings.LAGET_ALLOW_SYNTHETIC_IDS
        )
    except InvalidNationalId as error:
        raise ValidationError(error.message, code=error.code) from None


def _apply_identity(person: Person, national_id: str | None, birth_date: dt.date | None) -> None:
    if national_id:
        try:
            parsed = national_id_parse(national_id)
        except ValidationError as error:
            raise ValidationError({"national_id": error}) from None
        if birth_date and birth_date != parsed.birth_date:
            raise ValidationError(
                {"birth_date": _("Fødselsdatoen stemmer ikke med fødselsnummeret.")},
                code="birth_date_mismatch",
            )
        person.national_id = parsed.number
        person.id_kind = IdKind(parsed.kind)
        person.birth_date = parsed.birth_date
        person.is_synthetic = parsed.synthetic
    else:
        if birth_date is None:
            raise ValidationError(
                {"birth_date": _("Oppgi fødselsdato når personen ikke har nummer.")},
                code="birth_date_required",
            )
        if birth_date > clock.today():
            raise ValidationError(
                {"birth_date": _("Fødselsdatoen kan ikke ligge fram i tid.")}, code="future"
            )
        person.national_id = None
        person.id_kind = IdKind.NONE
        person.birth_date = birth_date


@transaction.atomic
def person_create(*, data: dict[str, Any], registered_by_agency: Any = None) -> Person:
    """Create a person from cleaned form data (numbers validated here, in one place)."""
    person = Person(registered_by_agency=registered_by_agency)
    for field in PERSON_FIELDS:
        if field not in {"national_id", "birth_date"} and field in data:
            setattr(person, field, data[field])
    _apply_identity(person, data.get("national_id") or None, data.get("birth_date"))
    if data.get("is_synthetic"):
        person.is_synthetic = True
    if person.national_id and Person.objects.filter(national_id=person.national_id).exists():
        raise ValidationError(
            {"national_id": _("En person med dette nummeret er allerede registrert i Laget.")},
            code="duplicate",
        )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, data: dict[str, Any]) -> list[str]:
    """Apply changes; returns the names of the fields that changed (for the audit event)."""
    before = {field: getattr(person, field) for field in PERSON_FIELDS}
    for field in PERSON_FIELDS:
        if field not in {"national_id", "birth_date"} and field in data:
            setattr(person, field, data[field])
    _apply_identity(person, data.get("national_id") or None, data.get("birth_date"))
    if (
        person.national_id
        and Person.objects.filter(national_id=person.national_id).exclude(pk=person.pk).exists()
    ):
        raise ValidationError(
            {"national_id": _("En annen person er registrert med dette nummeret.")},
            code="duplicate",
        )
    changed = [field for field in PERSON_FIELDS if getattr(person, field) != before[field]]
    if changed:
        person.updated_at = clock.now()
        person.full_clean()
        person.save()
    return changed


@transaction.atomic
def guardian_create(*, person: Person, data: dict[str, Any]) -> Guardian:
    guardian = Guardian(person=person)
    for field in GUARDIAN_FIELDS:
        if field in data and field != "national_id":
            setattr(guardian, field, data[field])
    if data.get("national_id"):
        try:
            parsed = national_id_parse(data["national_id"])
        except ValidationError as error:
            raise ValidationError({"national_id": error}) from None
        guardian.national_id = parsed.number
        guardian.is_synthetic = parsed.synthetic
    if data.get("is_synthetic"):
        guardian.is_synthetic = True
    guardian.full_clean()
    guardian.save()
    return guardian
