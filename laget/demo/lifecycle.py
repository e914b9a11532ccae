"""The demo's records lifecycle (issue 15): in the first pilot bydel, two SaLTo cases closed more
than three years ago — in an archive extract built by the bydel's leader, so both are due for
erasure, one of them held by a legal hold for a complaint — a concern dismissed eight months ago
(due too), and the nightly search for what is due run once; on an open case, a request for
rectification of a school's entry registered by the coordinator, so the school has one to decide.

The old cases are made through the services today and then dated back (their opening, status
history, team and closing), so the audit log says when the demo made them. Run once: a database that
already has an archive extract or an erasure candidate is left as it is."""

import datetime as dt

from django.db import transaction

from laget.accounts.models import Role
from laget.cases.models import CaseStatusChange, Concern, ConcernStatus
from laget.cases.services import case_open, case_transition
from laget.core import clock
from laget.demo.cases import _worker
from laget.lifecycle import erasure
from laget.lifecycle.models import ArchiveExtract, ErasureCandidate, HoldReason
from laget.lifecycle.services import archive_extract_build
from laget.people.models import Person
from laget.records.models import Case, CaseStatus, TeamMember
from laget.rectification import selectors as rectification_selectors
from laget.rectification import services as rectification_services
from laget.sharing import services as sharing_services

#: how long ago the demo's old cases were opened and closed (past the 36 months of the schedule)
OPENED_MONTHS_AGO = 44
CLOSED_MONTHS_AGO = 38


def _date_back(case: Case, *, opened: dt.datetime, closed: dt.datetime) -> None:
    changes = list(CaseStatusChange.objects.filter(case=case).order_by("changed_at", "id"))
    step = (closed - opened) / max(1, len(changes) - 1)
    for index, change in enumerate(changes):
        CaseStatusChange.objects.filter(pk=change.pk).update(changed_at=opened + step * index)
    Case.objects.filter(pk=case.pk).update(created_at=opened, closed_at=closed)
    TeamMember.objects.filter(case=case).update(joined_on=opened.astimezone(clock.OSLO).date())


def _old_case(coordinator, person: Person, *, opened: dt.datetime, closed: dt.datetime) -> Case:
    case = case_open(actor=coordinator.actor, person=person)
    sharing_services.entry_add(
        actor=coordinator.actor, case=case, category="plan",
        text="Syntetisk: samarbeidsavtale inngått; oppfølging på skole og fritid.")
    for status, reason in ((CaseStatus.ACTIVE, "Kartlegging viser behov for koordinert innsats."),
                           (CaseStatus.CLOSING, "Målene i planen er nådd."),
                           (CaseStatus.CLOSED, "Avsluttet etter siste teammøte.")):
        case_transition(actor=coordinator.actor, case=case, to=status, reason=reason)
    _date_back(case, opened=opened, closed=closed)
    case.refresh_from_db()
    return case


def _rectification(coordinator, code: str) -> bool:
    """A request about a school's entry on one of the bydel's open cases, for the school."""
    for case in Case.objects.filter(district_id=code, status=CaseStatus.ACTIVE).order_by(
            "created_at", "id"):
        shown = rectification_selectors.requestable_entries_for(actor=coordinator.actor,
                                                                case=case)
        school = [s for s in shown if s.entry.source_agency.type == "skole"]
        if school:
            rectification_services.request_register(
                actor=coordinator.actor, case=case, entry_ids=[school[0].entry.pk],
                kind="correction", what_is_wrong="Syntetisk: fraværet er regnet med en uke "
                "personen var syk med legeerklæring.",
                should_say="Fravær uten den dokumenterte sykdomsuken.")
            return True
    return False


@transaction.atomic
def build_lifecycle(*, districts: dict[str, str]) -> dict[str, int]:
    """See the module's docstring. Returns what was made."""
    if ArchiveExtract.objects.exists() or ErasureCandidate.objects.exists():
        return {}
    code, slug = next(iter(districts.items()))
    coordinator = _worker(f"koordinator.{slug}")
    leader = _worker(f"leder.{slug}")
    assert leader.actor.role == Role.LEADER
    now = clock.now()
    opened = clock.add_months(now, -OPENED_MONTHS_AGO)
    closed = clock.add_months(now, -CLOSED_MONTHS_AGO)
    # persons of the bydel without a case, in the SaLTo age range today
    free = [p for p in Person.objects.filter(district_id=code, is_synthetic=True)
            .exclude(cases__isnull=False).order_by("national_id", "given_name")
            if 13 <= p.age_on(clock.today()) <= 22]
    if len(free) < 3:
        return {}
    old = [_old_case(coordinator, person, opened=opened, closed=closed + dt.timedelta(days=n))
           for n, person in enumerate(free[:2])]
    archive_extract_build(actor=leader.actor, case_ids=[c.pk for c in old])
    dismissed = free[2]
    assessed = clock.add_months(now, -8)
    Concern.objects.create(
        district_id=code, person=dismissed, national_id=dismissed.national_id,
        given_name=dismissed.given_name, family_name=dismissed.family_name,
        birth_date=dismissed.birth_date, submitted_at=assessed - dt.timedelta(days=5),
        text="Syntetisk: bekymring for skulk; vurdert uten grunnlag for SaLTo-sak.",
        submitted_by=coordinator.actor.user, submitting_agency=coordinator.actor.agency,
        status=ConcernStatus.DISMISSED, assessed_by=coordinator.actor.user,
        assessed_at=assessed, assessment="Skolen følger opp selv; ikke grunnlag for sak.")
    found = erasure.find_due(now=now)
    erasure.hold_place(actor=leader.actor, kind="case", object_id=old[0].pk,
                       reason=HoldReason.COMPLAINT,
                       note="Syntetisk: klage til Statsforvalteren under behandling.",
                       ends_on=clock.today() + dt.timedelta(days=120))
    requests = int(_rectification(coordinator, code))
    return {"old_cases": len(old), "candidates": found, "holds": 1, "rectifications": requests}
