"""Reads of the schools app: a school's own incidents (audited; no other school sees them), the
school leader's overview, the ambulant team's board, a forced school change as each party may see
it (the receiving school only the decision's necessary parts), the SaLTo coordinators' handovers
waiting, and the city's response-time statistics with small-number suppression."""

import datetime as dt
import math
import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType
from laget.areas.models import District
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import NotFound
from laget.core.suppression import suppress
from laget.records.models import Case, TeamMember
from laget.records.services import is_district_coordinator
from laget.records.vocabulary import InfoCategory
from laget.schools import access
from laget.schools.models import (
    SERIOUS_KINDS,
    URGENCY_ORDER,
    AmbulantRequest,
    ChangeStatus,
    Incident,
    IncidentPupil,
    RequestStatus,
    School,
    SchoolChange,
)
from laget.schools.services import CHANGE_STANDS, hearing_open
from laget.sharing.engine import report_basis

OPEN_REQUEST_STATUSES = (RequestStatus.RECEIVED, RequestStatus.TRIAGED,
                         RequestStatus.DISPATCHED, RequestStatus.ARRIVED)


def school_list() -> QuerySet[School]:
    """The register (no personal data)."""
    return School.objects.select_related("district").order_by("name")


def school_get(*, school_id: uuid.UUID | str) -> School:
    school = School.objects.select_related("district", "agency").filter(pk=school_id).first()
    if school is None:
        raise NotFound()
    return school


# --- incidents -----------------------------------------------------------------------------------

def incident_get_for(*, actor: Actor, incident_id: uuid.UUID | str) -> Incident:
    """An incident, for the staff of the school that reported it; NotFound for everyone else
    (another school never learns that it exists)."""
    incident = (Incident.objects.select_related("school", "reported_by")
                .filter(pk=incident_id).first())
    if incident is None or not access.is_staff_of(actor, incident.school):
        raise NotFound()
    pupils = list(incident.pupils.select_related("person").order_by("person__family_name"))
    audit_record(action=Action.SCHOOLS_INCIDENT_VIEW, actor=actor, obj=incident,
                 persons=[p.person_id for p in pupils], purpose=Purpose.FOREBYGGING)
    incident.pupil_rows = pupils  # type: ignore[attr-defined]
    return incident


def incident_case_pending_for(*, actor: Actor, incident: Incident) -> list[IncidentPupil]:
    """The pupils of a serious incident whose open SaLTo case the actor is on the team of for
    their school, and whose case does not have the incident yet."""
    if incident.kind not in SERIOUS_KINDS or actor.membership is None:
        return []
    day = clock.today()
    rows = [row for row in getattr(incident, "pupil_rows", incident.pupils.select_related("person"))
            if row.salto_entry_id is None]
    # the pupils whose open case has the actor on its team, in one query for all of them
    on_team = set(TeamMember.objects.active(day).filter(
        case__in=Case.objects.filter(person_id__in={row.person_id for row in rows}).open(),
        user_id=actor.user.pk, agency_id=actor.membership.agency_id,
    ).values_list("case__person_id", flat=True))
    return [row for row in rows if row.person_id in on_team]


@dataclass
class Overview:
    school: School
    open_incidents: list[Incident]
    plans_due: list[Incident]
    requests: list[AmbulantRequest]
    changes: list[SchoolChange]
    today: dt.date


def overview_for(*, actor: Actor, school: School) -> Overview:
    """The school leader's overview: open incidents, activity plans due, the ambulant team's
    requests and visits, and forced changes under way. Audited as a list of the incidents'
    pupils."""
    today = clock.today()
    incidents = list(Incident.objects.filter(school=school, closed_at__isnull=True)
                     .order_by("-occurred_at")[:100])
    plans = [i for i in incidents if i.activity_plan_started and i.activity_plan_due]
    plans.sort(key=lambda i: i.activity_plan_due)
    requests = list(AmbulantRequest.objects.filter(school=school)
                    .prefetch_related("visits").order_by("-requested_at")[:50])
    changes = list(SchoolChange.objects.filter(from_school=school).select_related(
        "person", "to_school").exclude(status__in=(ChangeStatus.REJECTED, ChangeStatus.REVERSED))
        .order_by("-created_at")[:50])
    persons = set(IncidentPupil.objects.filter(incident__in=incidents)
                  .values_list("person_id", flat=True)) | {c.person_id for c in changes}
    audit_record(action=Action.SCHOOLS_INCIDENT_LIST, actor=actor, agency=school.agency,
                 persons=sorted(persons, key=str), purpose=Purpose.FOREBYGGING,
                 details={"incidents": len(incidents), "changes": len(changes)})
    return Overview(school, incidents, plans, requests, changes, today)


# --- the ambulant team ---------------------------------------------------------------------------

@dataclass(frozen=True)
class BoardRow:
    request: AmbulantRequest
    waiting_minutes: int


def ambulant_board() -> list[BoardRow]:
    """Open requests: untriaged first, then by urgency, then the longest waiting. No personal
    data (a request names no pupil)."""
    now = clock.now()
    rows = [BoardRow(r, int((now - r.requested_at).total_seconds() // 60))
            for r in AmbulantRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES)
            .select_related("school", "district")]
    rows.sort(key=lambda row: (row.request.status != RequestStatus.RECEIVED,
                               URGENCY_ORDER.get(row.request.urgency, 3),
                               -row.waiting_minutes))
    return rows


def ambulant_request_get_for(*, actor: Actor, request_id: uuid.UUID | str) -> AmbulantRequest:
    """A request, for the ambulant team and the requesting school's staff."""
    request = (AmbulantRequest.objects.select_related("school", "district", "incident")
               .filter(pk=request_id).first())
    if request is None or not (access.is_ambulant_team(actor)
                               or access.is_staff_of(actor, request.school)):
        raise NotFound()
    return request


# --- forced school change ------------------------------------------------------------------------

@dataclass
class ChangeView:
    """A change as the actor may see it. `full` for the sending school; the receiving school gets
    the decision's necessary parts, and the incident narratives only where a rule allows."""

    change: SchoolChange
    full: bool
    hearing_open: bool
    incidents: list[Incident] = field(default_factory=list)
    narrative_rule: str = ""


def _receiving_narrative_rule(change: SchoolChange) -> str:
    """The rule (if any) that lets a school give another school information of category `skole`
    for follow-up without consent; none in today's rulebook."""
    rule = report_basis(source_type=AgencyType.SKOLE, recipient_type=AgencyType.SKOLE,
                        category=InfoCategory.SKOLE, purpose=Purpose.OPPFOLGING,
                        birth_date=change.person.birth_date)
    return rule.rule_id if rule is not None else ""


def change_get_for(*, actor: Actor, change_id: uuid.UUID | str) -> ChangeView:
    change = (SchoolChange.objects.select_related("person", "from_school", "to_school",
                                                  "decided_by", "proposed_by")
              .filter(pk=change_id).first())
    if change is None:
        raise NotFound()
    if access.is_staff_of(actor, change.from_school):
        view = ChangeView(change, True, hearing_open(change),
                          list(change.incidents.order_by("occurred_at")))
        basis = ""
    elif access.is_staff_of(actor, change.to_school) and change.status in CHANGE_STANDS:
        rule = _receiving_narrative_rule(change)
        view = ChangeView(change, False, False,
                          list(change.incidents.order_by("occurred_at")) if rule else [], rule)
        basis = rule or "vedtak:nodvendige-opplysninger"
    else:
        raise NotFound()
    audit_record(action=Action.SCHOOLS_CHANGE_VIEW, actor=actor, obj=change,
                 persons=[change.person_id], purpose=Purpose.OPPFOLGING, basis=basis,
                 details={"view": "full" if view.full else "receiving"})
    return view


def changes_received_for(*, actor: Actor, school: School) -> list[SchoolChange]:
    """Decided changes into the school (the pupils it is to receive)."""
    rows = list(SchoolChange.objects.filter(to_school=school, status__in=CHANGE_STANDS)
                .select_related("person", "from_school").order_by("effective_on"))
    if rows:
        audit_record(action=Action.SCHOOLS_CHANGE_VIEW, actor=actor, agency=school.agency,
                     persons=[c.person_id for c in rows], purpose=Purpose.OPPFOLGING,
                     basis="vedtak:nodvendige-opplysninger", details={"view": "received_list"})
    return rows


def handovers_waiting_for(*, actor: Actor) -> list[tuple[SchoolChange, Case]]:
    """For a SaLTo coordinator: decided school changes of pupils with an open case in their
    bydel whose receiving school's contact is not on the team yet."""
    agency = actor.agency
    if agency is None or agency.type != AgencyType.BYDEL or not agency.district_id:
        return []
    cases = {c.person_id: c for c in Case.objects.open().filter(district_id=agency.district_id)
             .select_related("person")}
    if not cases:
        return []
    rows = [(c, cases[c.person_id]) for c in SchoolChange.objects.filter(
        status__in=CHANGE_STANDS, handover_member__isnull=True, person_id__in=list(cases))
        .select_related("person", "from_school", "to_school")
        if is_district_coordinator(actor, cases[c.person_id].district_id)]
    if rows:
        audit_record(action=Action.SCHOOLS_CHANGE_VIEW, actor=actor,
                     persons=[c.person_id for c, _case in rows], purpose=Purpose.FOREBYGGING,
                     details={"view": "handovers"})
    return rows


# --- statistics ----------------------------------------------------------------------------------

def percentile(values: list[int], share: float) -> int:
    """Nearest-rank percentile (the smallest value with at least `share` of the values at or
    below it)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class StatCell:
    district: str
    district_name: str
    count: int | None  # None: suppressed or withheld
    median: int | None  # minutes; None below the minimum group
    p90: int | None
    suppressed: bool


@dataclass(frozen=True)
class StatMonth:
    month: str  # YYYY-MM
    cells: list[StatCell]
    total: StatCell


def _cell(code: str, name: str, minutes: list[int], hidden: bool, withheld: bool) -> StatCell:
    enough = len(minutes) >= settings.LAGET_SCHOOL_STATS_MIN_GROUP
    return StatCell(code, name, None if hidden or withheld else len(minutes),
                    int(statistics.median(minutes)) if enough else None,
                    percentile(minutes, 0.9) if enough else None, hidden)


def response_stats(*, since: dt.date | None = None) -> list[StatMonth]:
    """Response time (request → arrival, minutes) per bydel and month of the request: the count,
    and the median and 90th percentile only for groups of at least LAGET_SCHOOL_STATS_MIN_GROUP.
    Counts under LAGET_SCHOOL_MIN_CELL are suppressed (with one complementary cell) per month;
    the month's total for the city is published. No personal data."""
    rows = AmbulantRequest.objects.filter(arrived_at__isnull=False)
    if since is not None:
        rows = rows.filter(requested_at__date__gte=since)
    groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for requested_at, arrived_at, district in rows.values_list("requested_at", "arrived_at",
                                                               "district_id"):
        month = requested_at.astimezone(clock.OSLO).strftime("%Y-%m")
        groups[month][district].append(int((arrived_at - requested_at).total_seconds() // 60))
    names = dict(District.objects.values_list("code", "name"))
    result = []
    for month in sorted(groups, reverse=True):
        by_district = groups[month]
        hidden, withheld = suppress({k: len(v) for k, v in by_district.items()},
                                    settings.LAGET_SCHOOL_MIN_CELL)
        cells = [_cell(code, names.get(code, code), by_district[code], code in hidden,
                       code in withheld) for code in sorted(by_district)]
        everything = [m for values in by_district.values() for m in values]
        # the total would give away a lone suppressed cell that no other cell can hide behind
        lone = len(hidden) + len(withheld) == 1 or len(everything) < settings.LAGET_SCHOOL_MIN_CELL
        result.append(StatMonth(month, cells, _cell("", "", everything, lone, False)))
    return result

