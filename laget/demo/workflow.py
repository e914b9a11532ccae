"""The demo cases' workflow, written through the real services (audited) as it would have
happened over the last two months: each open case's plan (goals and tasks, some done, some
overdue), a team meeting held three weeks ago whose decision became a task, the next meeting
this week or next, contacts with guardians, concerns waiting on the coordinator's desk, and one
case handed over to another bydel. The demo's clock is turned back while it writes, so the
timeline reads in order; skipped when the bydel's cases already have plans."""

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, Membership, User
from laget.areas.models import District, Subdistrict
from laget.cases import plan as plans
from laget.cases.concerns import concern_submit
from laget.cases.guardians import guardian_contact_add
from laget.cases.handover import case_handover
from laget.cases.meetings import DecisionInput, Invite, meeting_minutes_record, meeting_schedule
from laget.cases.models import CaseStatusChange, ContactChannel, Plan
from laget.core import clock
from laget.fasttrack.services import (
    fasttrack_open_from_request,
    milestone_record,
    youth_case_open,
)
from laget.people.models import Person
from laget.policing.models import FastTrackRequest
from laget.policing.services import registration_create
from laget.records.models import Case, CaseStatus, TeamMember
from laget.sharing.selectors import team_for

#: how long ago the demo cases were opened
OPENED_DAYS_AGO = 60

GOALS = [
    ("Stabilt oppmøte på skolen", "Oppmøte over 90 % fire uker på rad"),
    ("Fast fritidsaktivitet", "Deltar på en aktivitet minst én gang i uken"),
    ("Ingen nye lovbrudd", "Ingen nye anmeldelser de neste seks månedene"),
]
TASKS = {
    "skole": ["Ukentlig samtale med kontaktlærer", "Tilbud om leksehjelp to dager i uken"],
    "fritid": ["Følge til første trening", "Melde på sommeraktivitet"],
    "politi": ["Bekymringssamtale med den unge og foresatte"],
    "nav": ["Kartlegge ønske om sommerjobb"],
    "bydel": ["Innkalle til oppfølgingsmøte", "Sende planen til familien"],
}
OUTCOMES = ["Gjennomført; avtalt ny samtale om to uker.",
            "Gjennomført. Den unge møtte og var positiv."]


@contextmanager
def _at(day: dt.date, hour: int = 10) -> Iterator[None]:
    with clock.frozen(dt.datetime.combine(day, dt.time(hour), tzinfo=clock.OSLO)):
        yield


def _actor(user: User, agency_id: object) -> Actor:
    membership = (Membership.objects.select_related("agency")
                  .filter(user=user, agency_id=agency_id).first())
    return Actor(user, membership)


def _weekday(day: dt.date) -> dt.date:
    """The day, or the Monday after it if it is a Saturday or Sunday."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _backdate(case: Case, opened: dt.date) -> None:
    """Move the case's opening (and its first team) back to `opened`, before its workflow."""
    at = dt.datetime.combine(opened, dt.time(9), tzinfo=clock.OSLO)
    Case.objects.filter(pk=case.pk).update(created_at=at)
    case.created_at = at
    TeamMember.objects.filter(case=case).update(joined_on=opened, created_at=at)
    changes = list(CaseStatusChange.objects.filter(case=case).order_by("changed_at", "id"))
    for number, change in enumerate(changes):
        CaseStatusChange.objects.filter(pk=change.pk).update(
            changed_at=at + dt.timedelta(days=2 * number, hours=1))


def build_workflow(*, rng: random.Random, districts: dict[str, str]) -> int:
    """Plans, meetings and contacts for the pilot bydeler's demo cases. Returns cases filled."""
    today = clock.today()
    filled = 0
    for code, slug in districts.items():
        cases = list(Case.objects.filter(district_id=code).select_related("person")
                     .order_by("created_at", "id"))
        if not cases or Plan.objects.filter(case__district_id=code).exists():
            continue
        opened = today - dt.timedelta(days=OPENED_DAYS_AGO)
        for index, case in enumerate(cases):
            _backdate(case, opened)
            if case.status == CaseStatus.CLOSED:
                continue
            _fill(case, index, rng, opened, today)
            filled += 1
        _concerns(code, slug, rng, today)
        _police(code, slug, today)
        _fast_track(code, slug, today)
    _handover(districts)
    return filled


def _team(case: Case) -> dict[str, TeamMember]:
    members = {}
    for member in TeamMember.objects.filter(case=case).select_related("user", "agency"):
        members.setdefault(member.agency.type, member)
    return members


def _fill(case: Case, index: int, rng: random.Random, opened: dt.date, today: dt.date) -> None:
    team = _team(case)
    lead = team["bydel"]
    coordinator = _actor(lead.user, lead.agency_id)
    start = opened + dt.timedelta(days=3)
    with _at(start):
        goals = [plans.goal_create(actor=coordinator, case=case, title=title,
                                   indicator=indicator, expected_version=None)
                 for title, indicator in GOALS[: 2 + index % 2]]
        tasks = []
        for kind, titles in TASKS.items():
            member = team.get(kind)
            if member is None:
                continue
            for number, title in enumerate(titles):
                due = start + dt.timedelta(days=rng.choice([40, 65, 75, 90, 120]))
                task = plans.task_create(
                    actor=coordinator, case=case, title=title, agency=member.agency,
                    assignee=member.user, due_on=due, goal=goals[number % len(goals)],
                    family_visible=kind != "politi")
                tasks.append((task, member))
    # some done along the way; the others open, and those due by now are overdue
    for task, member in tasks[::3]:
        done_on = min(task.due_on or today, today - dt.timedelta(days=1))
        with _at(done_on, 14):
            plans.task_complete(actor=_actor(member.user, member.agency_id), task=task,
                                outcome=rng.choice(OUTCOMES))
    guardians = [g for g in case.person.guardians.all() if not g.restricted_contact]
    if guardians:
        with _at(start + dt.timedelta(days=1), 15):
            guardian_contact_add(actor=coordinator, case=case, guardian=guardians[0],
                                 contacted_on=start + dt.timedelta(days=1),
                                 channel=ContactChannel.PHONE,
                                 interpreter_used=guardians[0].interpreter_needed,
                                 note="Fortalt om SaLTo og avtalt møte.")
    # the team as the coordinator sees it (barnevern or health only with a basis)
    visible = team_for(actor=coordinator, case=case, purpose="forebygging")
    minor = case.person.age_on(today + dt.timedelta(days=14)) < 18
    invite = Invite(team_member_ids=[m.pk for m in visible], young_person=True,
                    guardian_ids=[g.pk for g in guardians if g.parental_responsibility][:2]
                    if minor else [])
    held_on = _weekday(today - dt.timedelta(days=21))
    with _at(held_on - dt.timedelta(days=7), 9):
        meeting = meeting_schedule(
            actor=coordinator, case=case, place="Bydelshuset, møterom 2", invite=invite,
            starts_at=dt.datetime.combine(held_on, dt.time(13), tzinfo=clock.OSLO))
    school = team.get("skole")
    decisions = [DecisionInput(text="Teamet møtes igjen om fire uker.")]
    if school is not None:
        decisions.append(DecisionInput(
            text="Skolen lager en plan for morgenoppmøte.", agency=school.agency,
            assignee=school.user, due_on=held_on + dt.timedelta(days=15 + (index * 5) % 20)))
    with _at(held_on, 15):
        meeting_minutes_record(
            actor=coordinator, meeting=meeting,
            minutes="Gjennomgang av planen. Familien er fornøyd med leksehjelpen.",
            attendance={p.pk: True for p in meeting.participants.all()}, decisions=decisions)
    next_on = _weekday(today + dt.timedelta(days=2 + index % 9))
    meeting_schedule(actor=coordinator, case=case, place="Skolen, grupperom", invite=invite,
                     starts_at=dt.datetime.combine(next_on, dt.time(14), tzinfo=clock.OSLO))


def _concerns(code: str, slug: str, rng: random.Random, today: dt.date) -> None:
    """Concerns from the school and the police about young persons without a case: new on the
    coordinator's desk (and one about a person with a case, which lands on it)."""
    district = District.objects.get(pk=code)
    without_case = [p for p in Person.objects.filter(district_id=code, is_synthetic=True,
                                                     cases__isnull=True)
                    .order_by("national_id", "given_name")
                    if settings.LAGET_SALTO_MIN_AGE <= p.age_on(today) <= 17][:3]
    with_case = Case.objects.filter(district_id=code).exclude(status=CaseStatus.CLOSED)\
        .select_related("person").first()
    subjects = [*without_case, *([with_case.person] if with_case else [])]
    texts = ["Har vært borte fra skolen mye de siste ukene og blir sett sammen med eldre ungdom.",
             "Ble stanset sent på kvelden sammen med en gruppe som er kjent for ran.",
             "Forteller om press fra eldre gutter i nabolaget."]
    for number, person in enumerate(subjects):
        user = User.objects.get(username=f"{'skole' if number % 2 == 0 else 'politi'}.{slug}")
        membership = Membership.objects.select_related("agency").filter(user=user).first()
        with _at(today - dt.timedelta(days=number + 1), 11):
            concern_submit(actor=Actor(user, membership), district=district,
                           given_name=person.given_name, family_name=person.family_name,
                           national_id=person.national_id or "",
                           birth_date=None if person.national_id else person.birth_date,
                           text=rng.choice(texts))


def _police(code: str, slug: str, today: dt.date) -> None:
    """The police unit's registrations: a stop and search of one young person with a case, and
    two days ago a knife on another — the weapon trigger with its report to barnevern (not yet
    acknowledged, so the case shows the checkpoint overdue) and the fast-track request."""
    user = User.objects.filter(username=f"politi.{slug}").first()
    membership = Membership.objects.select_related("agency").filter(user=user).first()
    if membership is None:
        return
    actor = Actor(user, membership)
    children = [c for c in Case.objects.filter(district_id=code, status=CaseStatus.ACTIVE)
                .select_related("person").order_by("created_at", "id")
                if c.person.national_id and c.person.age_on(today) < 18]
    # the knife preferably on someone old enough to be prosecuted (the fast track takes it up)
    children.sort(key=lambda c: not c.person.age_on(today) >= 15)
    cases = children[:2]
    place = Subdistrict.objects.filter(district_id=code).order_by("code").first()
    for days_ago, case, extra in (
            (2, cases[0] if cases else None,
             {"kind": "apprehension", "offence_category": "vapenloven", "weapon_type": "kniv",
              "grounds": "Kniv i jakkelomma ved kontroll ved T-banen.", "found_items": "Kniv"}),
            (1, cases[1] if len(cases) > 1 else None,
             {"kind": "stop_search", "grounds": "Lukt av cannabis i gruppa.",
              "found_items": "Ingenting."})):
        if case is None or place is None:
            continue
        with _at(today - dt.timedelta(days=days_ago), 21):
            registration_create(actor=actor, subdistrict=place, occurred_at=clock.now(),
                                given_name=case.person.given_name,
                                family_name=case.person.family_name,
                                national_id=case.person.national_id, **extra)


def _fast_track(code: str, slug: str, today: dt.date) -> None:
    """The prosecutor takes the weapon trigger's request up in the fast track, and follows an
    older case whose charge decision is overdue (strpl. § 249's six weeks passed)."""
    user = User.objects.filter(username=f"patale.{slug}").first()
    membership = Membership.objects.select_related("agency").filter(user=user).first()
    if membership is None:
        return
    actor = Actor(user, membership)
    court = Agency.objects.filter(code="domstol-oslo").first()
    number = 24_000_000 + int(code) % 1000 * 100
    for request in (FastTrackRequest.objects.filter(unit=membership.agency,
                                                    taken_up_at__isnull=True,
                                                    person__isnull=False)
                    .select_related("person", "registration")):
        if request.person.age_on(request.registration.occurred_at.date()) < 15:
            continue
        with _at(today - dt.timedelta(days=1), 9):
            case = fasttrack_open_from_request(actor=actor, request=request,
                                               police_case_number=str(number), court=court)
            milestone_record(actor=actor, case=case, kind="charged",
                             occurred_on=clock.today())
        number += 1
    person = (Person.objects.filter(district_id=code, is_synthetic=True,
                                    national_id__isnull=False)
              .exclude(national_id="").order_by("national_id").first())
    offence = today - dt.timedelta(days=70)
    if person is None or not 15 <= person.age_on(offence) <= 17:
        return
    with _at(today - dt.timedelta(days=60), 10):
        case = youth_case_open(actor=actor, person=person, police_case_number=str(number),
                               offence_on=offence, offence_categories=["ran"], court=court)
        milestone_record(actor=actor, case=case, kind="reported", occurred_on=offence)
        milestone_record(actor=actor, case=case, kind="charged",
                         occurred_on=clock.today())


def _handover(districts: dict[str, str]) -> None:
    """The first pilot bydel's last active case moves to the second bydel."""
    codes = list(districts)
    if len(codes) < 2 or Case.objects.filter(handovers__isnull=False).exists():
        return
    case = (Case.objects.filter(district_id=codes[0], status=CaseStatus.ACTIVE)
            .order_by("-created_at", "-id").first())
    if case is None:
        return
    source = User.objects.get(username=f"koordinator.{districts[codes[0]]}")
    target = User.objects.get(username=f"koordinator.{districts[codes[1]]}")
    case_handover(actor=_actor(source, Membership.objects.filter(user=source).first().agency_id),
                  case=case, to_district=District.objects.get(pk=codes[1]),
                  to_coordinator=target,
                  note="Familien har flyttet. Skolen er byttet fra mandag; ny kontaktlærer er "
                       "varslet. Foresatte ønsker tolk på møter.")
