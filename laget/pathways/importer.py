"""The catalogue as CSV: strict parsing of the file (`parse_offers`) and the all-or-nothing import
(`offers_import`), idempotent through each provider's `external_ref`. The columns are documented in
`data/pathways/README.md`; `data/pathways/example_offers.csv` is a synthetic example.

Every problem is reported as one line naming the CSV line and column; nothing is written then."""

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from laget.accounts.actor import Actor
from laget.accounts.models import Agency
from laget.areas.models import District, Subdistrict
from laget.audit.actions import Action
from laget.audit.services import audit_record
from laget.core.errors import DomainError
from laget.pathways.models import Offer, OfferKind, OpeningHours, Season
from laget.pathways.services import Opening, offer_validate, openings_check

COLUMNS = (
    "provider", "external_ref", "kind", "name", "description", "district", "subdistrict",
    "age_min", "age_max", "languages", "contact_name", "contact_phone", "contact_email",
    "price_nok", "subsidy", "places", "free_places", "employer", "hours_per_week", "valid_from",
    "valid_to", "active", "opening_hours",
)
REQUIRED = ("provider", "external_ref", "kind", "name", "age_min", "age_max")
MAX_ROWS = 5000


class CatalogueImportError(Exception):
    """Bad input; the message is one line for the admin."""


@dataclass
class OfferRow:
    line: int
    provider: Agency
    fields: dict[str, Any]
    openings: list[Opening] | None


def _int(value: str, column: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{column}: «{value}» er ikke et heltall") from None
    if number < 0:
        raise ValueError(f"{column}: kan ikke være negativt")
    return number


def _date(value: str, column: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{column}: «{value}» er ikke en dato (ÅÅÅÅ-MM-DD)") from None


def _time(value: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise ValueError(f"opening_hours: «{value}» er ikke et klokkeslett (TT:MM)") from None


def _openings(value: str) -> list[Opening]:
    """`skolear:0:15:00-21:00;sommer:2:12:00-16:00` — season:weekday(0=Monday):opens-closes."""
    rows = []
    for part in filter(None, (p.strip() for p in value.split(";"))):
        try:
            season, weekday, span = part.split(":", 2)
            opens, closes = span.split("-")
        except ValueError:
            raise ValueError(f"opening_hours: «{part}» er ikke sesong:ukedag:TT:MM-TT:MM") from None
        if season not in Season.values:
            raise ValueError(f"opening_hours: ukjent sesong «{season}»")
        rows.append(Opening(season, _int(weekday, "opening_hours"), _time(opens), _time(closes)))
    return rows


def _row(line: int, raw: dict[str, str], agencies: dict[str, Agency], districts: set[str],
         subdistricts: dict[str, str]) -> OfferRow:
    value = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    for column in REQUIRED:
        if not value[column]:
            raise ValueError(f"{column} mangler")
    provider = agencies.get(value["provider"])
    if provider is None:
        raise ValueError(f"provider: ukjent virksomhet «{value['provider']}»")
    if value["kind"] not in OfferKind.values:
        raise ValueError(f"kind: ukjent type «{value['kind']}»")
    if value["district"] and value["district"] not in districts:
        raise ValueError(f"district: ukjent bydel «{value['district']}»")
    if value["subdistrict"]:
        if value["subdistrict"] not in subdistricts:
            raise ValueError(f"subdistrict: ukjent delbydel «{value['subdistrict']}»")
        if subdistricts[value["subdistrict"]] != value["district"]:
            raise ValueError("subdistrict: ligger ikke i bydelen")
    hours = None
    if value["hours_per_week"]:
        try:
            hours = Decimal(value["hours_per_week"].replace(",", "."))
        except InvalidOperation:
            raise ValueError("hours_per_week: ikke et tall") from None
    active = value["active"].lower()
    if active not in ("", "ja", "nei", "true", "false", "1", "0"):
        raise ValueError("active: skriv ja eller nei")
    fields = {
        "external_ref": value["external_ref"], "kind": value["kind"], "name": value["name"],
        "description": value["description"], "district_id": value["district"] or None,
        "subdistrict_id": value["subdistrict"] or None,
        "age_min": _int(value["age_min"], "age_min"), "age_max": _int(value["age_max"], "age_max"),
        "languages": sorted({code.strip() for code in value["languages"].replace(",", " ").split()
                             if code.strip()}),
        "contact_name": value["contact_name"], "contact_phone": value["contact_phone"],
        "contact_email": value["contact_email"],
        "price_nok": _int(value["price_nok"], "price_nok") if value["price_nok"] else 0,
        "subsidy": value["subsidy"],
        "places": _int(value["places"], "places") if value["places"] else None,
        "free_places": _int(value["free_places"], "free_places") if value["free_places"] else 0,
        "employer": value["employer"], "hours_per_week": hours,
        "valid_from": _date(value["valid_from"], "valid_from"),
        "valid_to": _date(value["valid_to"], "valid_to"),
        "active": active not in ("nei", "false", "0"),
    }
    openings = _openings(value["opening_hours"]) if value["opening_hours"] else None
    return OfferRow(line, provider, fields, openings)


def parse_offers(text: str) -> list[OfferRow]:
    """Every row checked (types, known provider/bydel/kind, a unique provider + external_ref)
    before anything is written; the first problem raises CatalogueImportError."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CatalogueImportError(f"Kolonner mangler: {', '.join(missing)}")
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise CatalogueImportError(f"Ukjente kolonner: {', '.join(unknown)}")
    agencies = {a.code: a for a in Agency.objects.all()}
    districts = set(District.objects.values_list("code", flat=True))
    subdistricts = dict(Subdistrict.objects.values_list("code", "district_id"))
    rows, seen = [], set()
    try:
        for raw in reader:
            line = reader.line_num
            if len(rows) >= MAX_ROWS:
                raise CatalogueImportError(f"Mer enn {MAX_ROWS} rader")
            if None in raw:
                raise CatalogueImportError(f"Linje {line}: for mange felt")
            try:
                row = _row(line, raw, agencies, districts, subdistricts)
                if row.openings is not None:
                    row.openings = openings_check(row.openings)
            except (ValueError, DomainError) as error:
                message = error.message if isinstance(error, DomainError) else str(error)
                raise CatalogueImportError(f"Linje {line}: {message}") from None
            key = (row.provider.pk, row.fields["external_ref"])
            if key in seen:
                raise CatalogueImportError(
                    f"Linje {line}: external_ref «{key[1]}» står to ganger for samme tilbyder")
            seen.add(key)
            rows.append(row)
    except csv.Error as error:
        raise CatalogueImportError(f"Linje {reader.line_num}: {error}") from None
    if not rows:
        raise CatalogueImportError("Filen har ingen tilbud")
    return rows


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int

    def __str__(self) -> str:
        return f"{self.created} tilbud opprettet, {self.updated} oppdatert"


@transaction.atomic
def offers_import(*, text: str, actor: Actor | None, file_name: str = "") -> ImportSummary:
    """Import a catalogue: each row creates the provider's offer with that external_ref or
    updates it (and replaces its opening hours when the column has any). All or nothing."""
    rows = parse_offers(text)
    created = updated = 0
    for row in rows:
        offer = Offer.objects.filter(provider=row.provider,
                                     external_ref=row.fields["external_ref"]).first()
        if offer is None:
            offer = Offer(provider=row.provider)
            created += 1
        else:
            updated += 1
        for name, value in row.fields.items():
            setattr(offer, name, value)
        try:
            offer_validate(offer)
        except DomainError as error:
            raise CatalogueImportError(f"Linje {row.line}: {error.message}") from None
        offer.save()
        if row.openings is not None:
            OpeningHours.objects.filter(offer=offer).delete()
            OpeningHours.objects.bulk_create(
                OpeningHours(offer=offer, season=o.season, weekday=o.weekday, opens=o.opens,
                             closes=o.closes) for o in row.openings)
    summary = ImportSummary(created, updated)
    audit_record(action=Action.PATHWAYS_IMPORT, actor=actor,
                 details={"file": file_name[:100], "created": created, "updated": updated})
    return summary
