"""Områdesatsinger (area programmes): their areas, the commitments the state, the city,
businesses and developers made in them, and crime-preventive design checklists of development
plans in their areas.

Reads (`programme_list`, `board`, `design_report` …) and writes (`programme_save`,
`commitment_create`/`_update`, `plan_create`, `checklist_update`) in one module: no personal
data is held, but every write is one transaction with its audit event (`analytics.*_change`), so
the record says who changed which commitment when. Who may write: `may_edit`."""

import datetime as dt
import re
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Role
from laget.analytics.models import (
    OPEN_COMMITMENT,
    AreaProgramme,
    Commitment,
    CommitmentChange,
    CommitmentStatus,
    DesignChecklistItem,
    DesignStatus,
    DesignTopic,
    DevelopmentPlan,
    Indicator,
    PartyKind,
)
from laget.areas.models import District, DistrictKind, Subdistrict
from laget.audit.actions import Action
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError, NotFound

# --- who may write ------------------------------------------------------------------------------


def may_edit(actor: Actor | None) -> bool:
    """The city's and the bydeler's analysts (district planners act as analysts), and the leader
    or coordinator of a city unit (agency type `by`): the staff who follow up the programmes.
    Reading is for every logged-in user (no personal data)."""
    if actor is None or actor.membership is None:
        return False
    if actor.role == Role.ANALYST:
        return True
    return (actor.role in (Role.LEADER, Role.COORDINATOR)
            and actor.membership.agency.type == AgencyType.BY)


def _require_editor(actor: Actor) -> None:
    if not may_edit(actor):
        raise DomainError(_("Du kan ikke endre områdesatsinger i denne rollen."),
                          code="forbidden")


# --- reads ---------------------------------------------------------------------------------------

def programme_list() -> QuerySet[AreaProgramme]:
    return (AreaProgramme.objects.prefetch_related("districts", "subdistricts")
            .annotate(commitment_count=Count("commitments", distinct=True),
                      plan_count=Count("plans", distinct=True))
            .order_by("name"))


def programme_get(*, programme_id: uuid.UUID) -> AreaProgramme:
    programme = (AreaProgramme.objects.prefetch_related("districts", "subdistricts")
                 .filter(pk=programme_id).first())
    if programme is None:
        raise NotFound(_("Ukjent områdesatsing."))
    return programme


def commitment_get(*, commitment_id: uuid.UUID) -> Commitment:
    commitment = (Commitment.objects.select_related("programme", "indicator", "updated_by")
                  .filter(pk=commitment_id).first())
    if commitment is None:
        raise NotFound(_("Ukjent forpliktelse."))
    return commitment


def commitment_history(*, commitment: Commitment) -> QuerySet[CommitmentChange]:
    return commitment.changes.select_related("changed_by").order_by("created_at")


def plan_get(*, plan_id: uuid.UUID) -> DevelopmentPlan:
    plan = (DevelopmentPlan.objects.select_related("programme", "district", "subdistrict")
            .filter(pk=plan_id).first())
    if plan is None:
        raise NotFound(_("Ukjent utviklingsplan."))
    return plan


def checklist(*, plan: DevelopmentPlan) -> list[DesignChecklistItem]:
    """The plan's items in the vocabulary's order."""
    order = {topic: i for i, topic in enumerate(DesignTopic.values)}
    return sorted(plan.items.select_related("updated_by"), key=lambda item: order[item.topic])


def is_overdue(commitment: Commitment, today: dt.date) -> bool:
    return commitment.status in OPEN_COMMITMENT and commitment.due_on < today


@dataclass(frozen=True)
class BoardRow:
    commitment: Commitment
    overdue: bool
    days_overdue: int


@dataclass(frozen=True)
class Board:
    rows: list[BoardRow]
    #: status → number of commitments, in the vocabulary's order
    by_status: list[tuple[str, str, int]]
    overdue: int


def board(*, programme: AreaProgramme, today: dt.date | None = None) -> Board:
    """The programme's commitments: overdue ones first (most overdue first), then by due date."""
    today = today or clock.today()
    commitments = list(programme.commitments.select_related("indicator", "updated_by"))
    rows = [BoardRow(c, is_overdue(c, today), (today - c.due_on).days if is_overdue(c, today)
                     else 0) for c in commitments]
    rows.sort(key=lambda r: (not r.overdue, -r.days_overdue, r.commitment.due_on,
                             r.commitment.party_name, str(r.commitment.pk)))
    counts = Counter(c.status for c in commitments)
    return Board(rows=rows, by_status=[(value, str(label), counts.get(value, 0))
                                       for value, label in CommitmentStatus.choices],
                 overdue=sum(1 for r in rows if r.overdue))


@dataclass(frozen=True)
class PlanReport:
    plan: DevelopmentPlan
    #: (status, label, count) in the vocabulary's order
    counts: list[tuple[str, str, int]]


def design_report(*, programme: AreaProgramme) -> tuple[list[PlanReport],
                                                        list[tuple[str, str, int]]]:
    """Per development plan of the programme, its checklist items counted by status (one
    aggregate query), and the programme's totals."""
    rows = (DesignChecklistItem.objects.filter(plan__programme=programme)
            .values_list("plan_id", "status").annotate(n=Count("id")).order_by())
    per_plan: dict[uuid.UUID, Counter[str]] = {}
    totals: Counter[str] = Counter()
    for plan_id, status, n in rows:
        per_plan.setdefault(plan_id, Counter())[status] = n
        totals[status] += n
    plans = programme.plans.select_related("district", "subdistrict").order_by("name")
    report = [PlanReport(plan, [(v, str(label), per_plan.get(plan.pk, Counter()).get(v, 0))
                                for v, label in DesignStatus.choices]) for plan in plans]
    return report, [(v, str(label), totals.get(v, 0)) for v, label in DesignStatus.choices]


# --- writes --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProgrammeData:
    name: str
    description: str
    districts: list[District]
    subdistricts: list[Subdistrict]
    starts_on: dt.date | None
    ends_on: dt.date | None
    owner: str
    source: str = ""
    source_url: str = ""


def _slug(name: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ü": "u", "é": "e"})
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().translate(table)).strip("-")
    return slug[:50] or "satsing"


def _check_areas(districts: Iterable[District], subdistricts: Iterable[Subdistrict]) -> None:
    if any(d.kind != DistrictKind.BYDEL for d in districts) or any(
            s.district.kind != DistrictKind.BYDEL for s in subdistricts):
        raise DomainError(_("Sentrum, Marka og «uten registrert adresse» er statistiske enheter, "
                            "ikke områder en satsing kan gjelde."), code="statistical_unit")


@transaction.atomic
def programme_save(*, actor: Actor, programme: AreaProgramme | None,
                   data: ProgrammeData) -> AreaProgramme:
    """Create a programme or change one: name, description, areas, period, owner."""
    _require_editor(actor)
    name = data.name.strip()
    if not name:
        raise DomainError(_("Satsingen må ha et navn."), code="name")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise DomainError(_("Sluttdatoen kan ikke være før startdatoen."), code="period")
    if not data.districts and not data.subdistricts:
        raise DomainError(_("Velg minst én bydel eller delbydel."), code="areas")
    _check_areas(data.districts, data.subdistricts)
    clash = AreaProgramme.objects.filter(name__iexact=name)
    if programme is not None:
        clash = clash.exclude(pk=programme.pk)
    if clash.exists():
        raise DomainError(_("Det finnes allerede en satsing med dette navnet."), code="name")
    created = programme is None
    if programme is None:
        key, n = _slug(name), 1
        base = key
        while AreaProgramme.objects.filter(key=key).exists():
            n += 1
            key = f"{base}-{n}"
        programme = AreaProgramme(key=key)
    programme.name = name
    programme.description = data.description.strip()
    programme.starts_on, programme.ends_on = data.starts_on, data.ends_on
    programme.owner = data.owner.strip()
    if created:
        programme.source, programme.source_url = data.source, data.source_url
    programme.updated_at = clock.now()
    programme.save()
    programme.districts.set(data.districts)
    programme.subdistricts.set(data.subdistricts)
    audit_record(action=Action.ANALYTICS_PROGRAMME_CHANGE, actor=actor, obj=programme,
                 details={"change": "create" if created else "update",
                          "districts": sorted(d.code for d in data.districts),
                          "subdistricts": sorted(s.code for s in data.subdistricts)})
    return programme


def _check_evidence(status: str, evidence: str, evidence_url: str) -> None:
    if status == CommitmentStatus.DONE and not (evidence.strip() or evidence_url.strip()):
        raise DomainError(_("En gjennomført forpliktelse må ha dokumentasjon (tekst eller "
                            "lenke)."), code="evidence")


@transaction.atomic
def commitment_create(*, actor: Actor, programme: AreaProgramme, party_kind: str,
                      party_name: str, what: str, indicator: Indicator | None, due_on: dt.date,
                      status: str = CommitmentStatus.PLANNED, evidence: str = "",
                      evidence_url: str = "") -> Commitment:
    """Record what a party committed to in the programme; the first line of its history."""
    _require_editor(actor)
    if party_kind not in PartyKind.values or status not in CommitmentStatus.values:
        raise DomainError(_("Ukjent part eller status."), code="choice")
    if not party_name.strip() or not what.strip():
        raise DomainError(_("Parten og hva den forplikter seg til må fylles ut."),
                          code="required")
    _check_evidence(status, evidence, evidence_url)
    now = clock.now()
    commitment = Commitment.objects.create(
        programme=programme, party_kind=party_kind, party_name=party_name.strip(),
        what=what.strip(), indicator=indicator, due_on=due_on, status=status,
        evidence=evidence.strip(), evidence_url=evidence_url.strip(), updated_by=actor.user,
        created_at=now, updated_at=now)
    CommitmentChange.objects.create(
        commitment=commitment, status_from="", status_to=status, due_on=due_on,
        evidence=commitment.evidence, evidence_url=commitment.evidence_url,
        changed_by=actor.user, created_at=now, updated_at=now)
    audit_record(action=Action.ANALYTICS_COMMITMENT_CHANGE, actor=actor, obj=commitment,
                 details={"change": "create", "programme": str(programme.pk),
                          "status": status, "due_on": due_on.isoformat()})
    return commitment


@transaction.atomic
def commitment_update(*, actor: Actor, commitment: Commitment, status: str, due_on: dt.date,
                      evidence: str, evidence_url: str) -> CommitmentChange:
    """Change a commitment's status, due date or evidence; the change is kept in its history."""
    _require_editor(actor)
    if status not in CommitmentStatus.values:
        raise DomainError(_("Ukjent status."), code="choice")
    evidence, evidence_url = evidence.strip(), evidence_url.strip()
    _check_evidence(status, evidence, evidence_url)
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if (locked.status, locked.due_on, locked.evidence, locked.evidence_url) == (
            status, due_on, evidence, evidence_url):
        raise DomainError(_("Ingenting er endret."), code="unchanged")
    before = locked.status
    now = clock.now()
    locked.status, locked.due_on = status, due_on
    locked.evidence, locked.evidence_url = evidence, evidence_url
    locked.updated_by, locked.updated_at = actor.user, now
    locked.save(update_fields=["status", "due_on", "evidence", "evidence_url", "updated_by",
                               "updated_at"])
    change = CommitmentChange.objects.create(
        commitment=locked, status_from=before, status_to=status, due_on=due_on,
        evidence=evidence, evidence_url=evidence_url, changed_by=actor.user, created_at=now,
        updated_at=now)
    audit_record(action=Action.ANALYTICS_COMMITMENT_CHANGE, actor=actor, obj=locked,
                 details={"change": "update", "programme": str(locked.programme_id),
                          "status_from": before, "status": status,
                          "due_on": due_on.isoformat()})
    return change


def programme_covers(programme: AreaProgramme, district: District,
                     subdistrict: Subdistrict | None) -> bool:
    """The area lies in the programme: its bydel is one of the programme's, or the delbydel is."""
    if programme.districts.filter(pk=district.pk).exists():
        return True
    return subdistrict is not None and programme.subdistricts.filter(pk=subdistrict.pk).exists()


@transaction.atomic
def plan_create(*, actor: Actor, programme: AreaProgramme, district: District,
                subdistrict: Subdistrict | None, name: str, plan_id: str = "",
                developer: str = "") -> DevelopmentPlan:
    """A development plan in the programme's area, with a checklist item per design topic (not
    assessed yet)."""
    _require_editor(actor)
    if not name.strip():
        raise DomainError(_("Planen må ha et navn."), code="name")
    if subdistrict is not None and subdistrict.district_id != district.pk:
        raise DomainError(_("Delbydelen ligger ikke i bydelen."), code="area")
    _check_areas([district], [subdistrict] if subdistrict else [])
    if not programme_covers(programme, district, subdistrict):
        raise DomainError(_("Området ligger ikke i satsingen."), code="area")
    now = clock.now()
    plan = DevelopmentPlan.objects.create(
        programme=programme, district=district, subdistrict=subdistrict, name=name.strip(),
        plan_id=plan_id.strip(), developer=developer.strip(), created_at=now, updated_at=now)
    DesignChecklistItem.objects.bulk_create([
        DesignChecklistItem(plan=plan, topic=topic, created_at=now, updated_at=now)
        for topic in DesignTopic.values])
    audit_record(action=Action.ANALYTICS_DESIGN_CHANGE, actor=actor, obj=plan,
                 details={"change": "plan_create", "programme": str(programme.pk)})
    return plan


@transaction.atomic
def checklist_update(*, actor: Actor, plan: DevelopmentPlan,
                     items: Mapping[str, tuple[str, str]]) -> int:
    """Set the status and comment of the plan's topics (`topic → (status, comment)`); returns
    how many changed."""
    _require_editor(actor)
    if any(t not in DesignTopic.values or s not in DesignStatus.values
           for t, (s, _c) in items.items()):
        raise DomainError(_("Ukjent tema eller status."), code="choice")
    now = clock.now()
    changed = []
    for item in plan.items.select_for_update().order_by("topic"):
        if item.topic not in items:
            continue
        status, comment = items[item.topic][0], items[item.topic][1].strip()
        if (item.status, item.comment) == (status, comment):
            continue
        item.status, item.comment, item.updated_by, item.updated_at = (status, comment,
                                                                       actor.user, now)
        item.save(update_fields=["status", "comment", "updated_by", "updated_at"])
        changed.append(item.topic)
    if changed:
        audit_record(action=Action.ANALYTICS_DESIGN_CHANGE, actor=actor, obj=plan,
                     details={"change": "checklist", "programme": str(plan.programme_id),
                              "topics": changed})
    return len(changed)


# --- the three programmes of today ---------------------------------------------------------------

PAPER = ("Oslo Arbeiderparti, arbeidsgruppens politikkdokument om kriminalitet og utenforskap "
         "(../shared/seed/000_9516c62b6aaea3e0.txt, linje 644–646: «Oslo har tre "
         "områdesatsinger som gjennomføres i seks bydeler: Groruddalssatsingen, Oslo "
         "sør-satsingen og Oslo indre øst-satsingen»)")


@dataclass(frozen=True)
class ProgrammeSeed:
    key: str
    name: str
    description: str
    districts: tuple[str, ...]
    subdistricts: tuple[str, ...]
    starts_on: dt.date
    ends_on: dt.date
    owner: str
    source: str
    source_url: str


#: The names come from the policy paper, which does not say which six bydeler; the areas and
#: periods from Oslo kommune's pages on each programme (the addresses below). 4 + 1 + 1 bydeler
#: agree with the paper's «seks bydeler».
SEEDS: tuple[ProgrammeSeed, ...] = (
    ProgrammeSeed(
        key="groruddalssatsingen", name="Groruddalssatsingen",
        description="Oslo kommunes og statens innsats for å bedre miljø- og leveforhold i "
                    "Groruddalen (2017–2026).",
        districts=("030109", "030110", "030111", "030112"), subdistricts=(),
        starts_on=dt.date(2017, 1, 1), ends_on=dt.date(2026, 12, 31),
        owner="Oslo kommune (Byrådsavdeling for byutvikling, Plankontoret for Groruddalen) og "
              "staten",
        source=f"{PAPER}. Områder og periode: Oslo kommune, «Groruddalssatsingen» («Omfatter "
               "bydelene Alna, Bjerke, Grorud og Stovner»; «Groruddalssatsingen 2017 – 2026»).",
        source_url="https://www.oslo.kommune.no/politikk-og-administrasjon/slik-bygger-vi-oslo/"
                   "groruddalssatsingen/"),
    ProgrammeSeed(
        key="oslo-sor", name="Oslo sør-satsingen",
        description="Samarbeid mellom Oslo kommune og staten i Bydel Søndre Nordstrand "
                    "(2018–2026), med områdeløft på Bjørnerud og Holmlia syd.",
        districts=("030115",), subdistricts=("03011501", "03011504"),
        starts_on=dt.date(2018, 1, 1), ends_on=dt.date(2026, 12, 31),
        owner="Oslo kommune (Byrådsavdeling for byutvikling, Seksjon for områdeutvikling; "
              "Bydel Søndre Nordstrand) og staten (Kommunal- og distriktsdepartementet)",
        source=f"{PAPER}. Områder og periode: Oslo kommune, «Oslo sør-satsingen 2018-2026» "
               "(«Satsingen gjennomføres i Bydel Søndre Nordstrand og det er satt i gang "
               "områdeløft på Bjørnerud og Holmlia syd»).",
        source_url="https://www.oslo.kommune.no/slik-bygger-vi-oslo/oslo-sor-satsingen-2018-2026/"),
    ProgrammeSeed(
        key="oslo-indre-ost", name="Oslo indre øst-satsingen",
        description="Samarbeid mellom Oslo kommune og staten i Bydel Gamle Oslo (2019–2026), "
                    "med områdeløft på Tøyen og Grønland.",
        districts=("030101",), subdistricts=("03010102", "03010104"),
        starts_on=dt.date(2019, 1, 1), ends_on=dt.date(2026, 12, 31),
        owner="Oslo kommune og staten",
        source=f"{PAPER}. Områder og periode: Oslo kommune, «Oslo indre øst-satsingen» («Satsingen "
               "varer fra 2019-2026»; «gjennomføres i Bydel Gamle Oslo og det pågår områdeløft "
               "på Tøyen og Grønland»). Tøyen er her delbydelen Nedre Tøyen (Laget sin "
               "tilordning; kilden nevner ikke delbydeler).",
        source_url="https://www.oslo.kommune.no/byutvikling/omradesatsingene-i-oslo/"
                   "oslo-indre-ost-satsingen/"),
)


@transaction.atomic
def programmes_load() -> int:
    """The three programmes of today with their areas (idempotent: matched by key; areas set to
    the source's). Reference data loaded by operations: no actor, no audit event."""
    for seed in SEEDS:
        programme, _created = AreaProgramme.objects.update_or_create(key=seed.key, defaults={
            "name": seed.name, "description": seed.description, "starts_on": seed.starts_on,
            "ends_on": seed.ends_on, "owner": seed.owner, "source": seed.source,
            "source_url": seed.source_url})
        programme.districts.set(District.objects.filter(code__in=seed.districts))
        programme.subdistricts.set(Subdistrict.objects.filter(code__in=seed.subdistricts))
    return len(SEEDS)
