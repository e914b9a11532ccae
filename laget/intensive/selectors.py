"""Reads of intensive follow-up: the enrolments a user may see (with the bydel's capacity), one
enrolment with its week plan and gaps, the coordinator's heat-map of gaps, today's check-ins of a
follow-up member, and the outcomes over time (per youth, and as aggregates for the evaluation).
Every read of personal data is audited in the same transaction."""

import datetime as dt
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import NotFound
from laget.intensive import access, gaps
from laget.intensive.models import CheckIn, Enrolment, FollowUpMember, Slot
from laget.records.services import is_district_coordinator
from laget.records.vocabulary import InfoCategory
from laget.sharing.selectors import entry_days_by_case

HOURS = range(gaps.DAY_START, gaps.DAY_END)


def watch_window() -> dict[int, tuple[int, int]]:
    return gaps.watch_window(weekdays_from=settings.LAGET_INTENSIVE_WATCH_WEEKDAYS_FROM,
                             weekends_from=settings.LAGET_INTENSIVE_WATCH_WEEKENDS_FROM)


def plan_gaps(slots: list[Slot]) -> dict[int, list[gaps.Span]]:
    return gaps.gaps([(s.weekday, s.start_hour, s.end_hour) for s in slots],
                     window=watch_window(), max_gap_hours=settings.LAGET_INTENSIVE_MAX_GAP_HOURS)


def _base() -> QuerySet[Enrolment]:
    return Enrolment.objects.select_related("case__person", "case__district")


# --- lists ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EnrolmentRow:
    enrolment: Enrolment
    running: bool
    gap_count: int


@dataclass(frozen=True)
class EnrolmentList:
    rows: list[EnrolmentRow]
    coordinator: bool
    capacity: int
    used: int


@transaction.atomic
def enrolment_list_for(*, actor: Actor) -> EnrolmentList:
    """The bydel's enrolments for its coordinator or leader (running first, with the capacity
    used); for anyone else the enrolments they follow up."""
    today = clock.today()
    agency = actor.agency
    coordinator = bool(agency is not None and agency.district_id
                       and is_district_coordinator(actor, agency.district_id))
    if coordinator:
        assert agency is not None
        enrolments = _base().filter(case__district_id=agency.district_id)
    else:
        enrolments = access.active_enrolments(today).select_related(
            "case__person", "case__district").filter(
            pk__in=access.member_rows(actor).values("enrolment_id"))
    enrolments = enrolments.prefetch_related(
        Prefetch("slots", queryset=Slot.objects.filter(removed_at__isnull=True)))
    rows = []
    for enrolment in enrolments:
        running = access.is_running(enrolment, today)
        found = plan_gaps(list(enrolment.slots.all())) if running else {}
        rows.append(EnrolmentRow(enrolment, running,
                                 sum(len(spans) for spans in found.values())))
    rows.sort(key=lambda r: (not r.running, r.enrolment.case.person.family_name,
                             r.enrolment.case.person.given_name))
    used = sum(1 for r in rows if r.running) if coordinator else 0
    audit_record(action=Action.INTENSIVE_VIEW, actor=actor, purpose=Purpose.OPPFOLGING,
                 persons={r.enrolment.case.person_id for r in rows},
                 details={"view": "list", "count": len(rows)})
    return EnrolmentList(rows, coordinator, settings.LAGET_INTENSIVE_CAPACITY, used)


# --- one enrolment ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """One hour of one day in the week grid: the slot there (if any) and whether it is a gap."""

    weekday: int
    hour: int
    slot: Slot | None
    gap: gaps.Span | None
    #: the slot starts in this hour (its cell spans the rest of it)
    first: bool = False


@dataclass(frozen=True)
class GridRow:
    hour: int
    cells: list[Cell]


def week_grid(slots: list[Slot], found: dict[int, list[gaps.Span]]) -> list[GridRow]:
    """Hours 07–23 × Monday–Sunday, each cell with its slot or gap."""
    at: dict[tuple[int, int], Slot] = {}
    for slot in slots:
        for hour in range(slot.start_hour, slot.end_hour):
            at[(slot.weekday, hour)] = slot
    in_gap = {(span.weekday, hour): span for spans in found.values() for span in spans
              for hour in range(span.start, span.end)}
    return [GridRow(hour, [
        Cell(day, hour, at.get((day, hour)), in_gap.get((day, hour)),
             first=(day, hour) in at and at[(day, hour)].start_hour == hour)
        for day in gaps.WEEKDAYS]) for hour in HOURS]


@dataclass(frozen=True)
class WeekOutcome:
    """One ISO week of an enrolment: check-ins recorded, attended, and new police entries."""

    year: int
    week: int
    checked: int
    attended: int
    police_entries: int

    @property
    def attendance(self) -> float | None:
        return self.attended / self.checked if self.checked else None


@dataclass
class EnrolmentDetail:
    enrolment: Enrolment
    running: bool
    coordinator: bool
    own_member: FollowUpMember | None
    members: list[FollowUpMember]
    slots: list[Slot]
    gaps: dict[int, list[gaps.Span]]
    grid: list[GridRow]
    #: the coordinator's only: police entries are criminal-offence data
    outcomes: list[WeekOutcome] = field(default_factory=list)


def _iso_weeks(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    weeks: list[tuple[int, int]] = []
    day = start - dt.timedelta(days=start.weekday())
    while day <= end:
        year, week, _ = day.isocalendar()
        weeks.append((year, week))
        day += dt.timedelta(days=7)
    return weeks


def outcome_series(enrolments: list[Enrolment], today: dt.date) -> dict[uuid.UUID,
                                                                         list[WeekOutcome]]:
    """Per enrolment, each ISO week from its start to its end (or today): check-ins and
    attendance, and the police entries added to the case (`sharing.entry_days_by_case`: days
    only). Aggregates; the callers decide who may see them."""
    if not enrolments:
        return {}
    since = min(e.starts_on for e in enrolments)
    police = entry_days_by_case(case_ids={e.case_id for e in enrolments},
                                category=InfoCategory.POLITI, since=since)
    checks = defaultdict(list)
    for enrolment_id, on, attended in CheckIn.objects.filter(
            slot__enrolment__in=enrolments).values_list("slot__enrolment_id", "on", "attended"):
        checks[enrolment_id].append((on, attended))
    result = {}
    for enrolment in enrolments:
        end = min(today, (enrolment.ended_on or today + dt.timedelta(days=1))
                  - dt.timedelta(days=1))
        if end < enrolment.starts_on:
            result[enrolment.pk] = []
            continue
        within = range(enrolment.starts_on.toordinal(), end.toordinal() + 1)
        checked: Counter[tuple[int, int]] = Counter()
        attended: Counter[tuple[int, int]] = Counter()
        for on, came in checks[enrolment.pk]:
            key = on.isocalendar()[:2]
            checked[key] += 1
            attended[key] += came
        entries = Counter(day.isocalendar()[:2] for day in police[enrolment.case_id]
                          if day.toordinal() in within)
        result[enrolment.pk] = [WeekOutcome(year, week, checked[(year, week)],
                                            attended[(year, week)], entries[(year, week)])
                                for year, week in _iso_weeks(enrolment.starts_on, end)]
    return result


@transaction.atomic
def enrolment_detail_for(*, actor: Actor, enrolment_id: uuid.UUID | str) -> EnrolmentDetail:
    """One enrolment for its coordinator or a follow-up member; NotFound for everyone else."""
    enrolment = _base().select_related("meeting", "consent").filter(pk=enrolment_id).first()
    if enrolment is None or not access.may_view(actor, enrolment):
        raise NotFound()
    today = clock.today()
    coordinator = access.coordinates(actor, enrolment.case)
    slots = list(Slot.objects.filter(enrolment=enrolment, removed_at__isnull=True)
                 .select_related("responsible__team_member__user",
                                 "responsible__team_member__agency", "responsible_agency"))
    found = plan_gaps(slots)
    detail = EnrolmentDetail(
        enrolment=enrolment, running=access.is_running(enrolment, today),
        coordinator=coordinator, own_member=access.follow_up_member(actor, enrolment),
        members=list(FollowUpMember.objects.filter(enrolment=enrolment, removed_at__isnull=True)
                     .select_related("team_member__user", "team_member__agency")),
        slots=slots, gaps=found, grid=week_grid(slots, found))
    if coordinator:
        detail.outcomes = outcome_series([enrolment], today)[enrolment.pk]
    audit_record(action=Action.INTENSIVE_VIEW, actor=actor, obj=enrolment,
                 purpose=Purpose.OPPFOLGING, persons=[enrolment.case.person_id],
                 details={"view": "detail", "outcomes": coordinator})
    return detail


def enrolment_for_coordinator(*, actor: Actor, enrolment_id: uuid.UUID | str) -> Enrolment:
    """The enrolment for a write by its coordinator (the service checks again and audits)."""
    enrolment = _base().filter(pk=enrolment_id).first()
    if enrolment is None or not access.coordinates(actor, enrolment.case):
        raise NotFound()
    return enrolment


def enrolment_for_viewer(*, actor: Actor, enrolment_id: uuid.UUID | str) -> Enrolment:
    """The enrolment for a write by its coordinator or a follow-up member (services audit)."""
    enrolment = _base().filter(pk=enrolment_id).first()
    if enrolment is None or not access.may_view(actor, enrolment):
        raise NotFound()
    return enrolment


# --- the plan's measure ------------------------------------------------------------------------

#: the kind under which an enrolment is linked to the case's plan (laget.cases.measures)
MEASURE_KIND = "intensiv"


def measure_resolve(ref: uuid.UUID) -> tuple[str, str | None] | None:
    """How the plan names a linked enrolment: its period, never the person (the plan is the
    team's and the family's). The link opens only for those the enrolment page lets in."""
    enrolment = Enrolment.objects.filter(pk=ref).first()
    if enrolment is None:
        return None
    if enrolment.ended_on is None:
        name = _("Ukeplan fra %(start)s") % {"start": date_format(enrolment.starts_on,
                                                                  "SHORT_DATE_FORMAT")}
    else:
        name = _("Fra %(start)s til %(end)s") % {
            "start": date_format(enrolment.starts_on, "SHORT_DATE_FORMAT"),
            "end": date_format(enrolment.ended_on, "SHORT_DATE_FORMAT")}
    return name, reverse("web:intensive_detail", kwargs={"enrolment_id": enrolment.pk})


# --- the heat-map -----------------------------------------------------------------------------

@dataclass(frozen=True)
class HeatMap:
    youths: int
    counts: dict[tuple[int, int], int]
    rows: list[tuple[int, list[int]]]

    @property
    def most(self) -> int:
        return max(self.counts.values(), default=0)


@transaction.atomic
def heatmap_for(*, actor: Actor) -> HeatMap:
    """For the bydel's coordinator or leader: per weekday × hour, how many of the youths
    enrolled today are idle in a gap. Counts only; audited as a read of those youths' plans."""
    agency = actor.agency
    assert agency is not None and agency.district_id
    today = clock.today()
    enrolments = list(access.active_enrolments(today).filter(
        case__district_id=agency.district_id, starts_on__lte=today).prefetch_related(
        Prefetch("slots", queryset=Slot.objects.filter(removed_at__isnull=True))))
    counts: Counter[tuple[int, int]] = Counter()
    for enrolment in enrolments:
        counts.update(gaps.gap_hours(plan_gaps(list(enrolment.slots.all()))))
    audit_record(action=Action.INTENSIVE_VIEW, actor=actor, purpose=Purpose.OPPFOLGING,
                 persons={e.case.person_id for e in enrolments} if enrolments else set(),
                 details={"view": "heatmap", "youths": len(enrolments)})
    rows = [(hour, [counts[(day, hour)] for day in gaps.WEEKDAYS]) for hour in HOURS]
    return HeatMap(len(enrolments), dict(counts), rows)


# --- check-ins --------------------------------------------------------------------------------

@dataclass(frozen=True)
class TodaySlot:
    slot: Slot
    checkin: CheckIn | None


@transaction.atomic
def checkins_today_for(*, actor: Actor) -> list[TodaySlot]:
    """Today's slots the actor is responsible for in running enrolments, with any check-in."""
    today = clock.today()
    slots = list(Slot.objects.filter(
        responsible__in=access.member_rows(actor), removed_at__isnull=True,
        weekday=today.weekday(), enrolment__starts_on__lte=today,
    ).filter(Q(enrolment__ended_on__isnull=True) | Q(enrolment__ended_on__gt=today))
        .select_related("enrolment__case__person").order_by("start_hour"))
    done = {c.slot_id: c for c in CheckIn.objects.filter(slot__in=slots, on=today)}
    if slots:
        audit_record(action=Action.INTENSIVE_VIEW, actor=actor, purpose=Purpose.OPPFOLGING,
                     persons={s.enrolment.case.person_id for s in slots},
                     details={"view": "checkins", "slots": len(slots)})
    return [TodaySlot(slot, done.get(slot.pk)) for slot in slots]


def slot_for_checkin(*, actor: Actor, slot_id: uuid.UUID | str) -> Slot:
    """A slot the actor is responsible for (the service checks the rest and audits)."""
    slot = (Slot.objects.filter(pk=slot_id, responsible__in=access.member_rows(actor))
            .select_related("enrolment__case").first())
    if slot is None:
        raise NotFound()
    return slot


# --- for the evaluation -----------------------------------------------------------------------

@dataclass(frozen=True)
class WeekAggregate:
    year: int
    week: int
    youths: int
    checked: int
    attended: int
    police_entries: int


def outcomes_aggregate(*, district_id: str | None = None) -> list[WeekAggregate]:
    """The programme's outcomes per ISO week over all enrolments (in one bydel, or the city):
    youths enrolled that week, check-ins, attended, new police entries. Aggregates only — no
    person, case or enrolment in the result — for the evaluation; small cells are the caller's
    to suppress."""
    enrolments = list(Enrolment.objects.all() if district_id is None
                      else Enrolment.objects.filter(case__district_id=district_id))
    totals: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for series in outcome_series(enrolments, clock.today()).values():
        for week in series:
            row = totals[(week.year, week.week)]
            row[0] += 1
            row[1] += week.checked
            row[2] += week.attended
            row[3] += week.police_entries
    return [WeekAggregate(year, week, *values) for (year, week), values in sorted(totals.items())]
