"""Intensive follow-up in the demo: up to two youths in the first pilot bydel enrolled through
the real services (audited) by the SaLTo team's decision at their last held team meeting, each
with a follow-up team from the school and the youth club and a week plan with visible gaps
(Friday evening and the weekend), so that the plan and the heat-map have something to show.
Enrolment happens today, not with the clock turned back: the rulebook in force today is what the
programme's consent is checked against. Skipped when the bydel already has an enrolment."""

import datetime as dt

from django.conf import settings

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Membership
from laget.cases.models import Meeting, MeetingStatus
from laget.core import clock
from laget.intensive import services
from laget.intensive.models import Enrolment, FollowUpMember, SlotKind
from laget.records.models import Case, CaseStatus, TeamMember
from laget.sharing.engine import age_on


def _actor(member: TeamMember) -> Actor:
    return Actor(member.user, Membership.objects.select_related("agency")
                 .filter(user=member.user, agency=member.agency).first())


def build_intensive(*, districts: dict[str, str]) -> int:
    """Enrol up to two youths in the first pilot bydel. Returns the number enrolled."""
    code = next(iter(districts))
    if Enrolment.objects.filter(case__district_id=code).exists():
        return 0
    today = clock.today()
    enrolled = 0
    for case in (Case.objects.filter(district_id=code, status=CaseStatus.ACTIVE)
                 .select_related("person").order_by("created_at", "id")):
        if enrolled == 2:
            break
        team = {}
        for member in TeamMember.objects.active(today).filter(case=case).select_related(
                "user", "agency"):
            team.setdefault(member.agency.type, member)
        if not {AgencyType.BYDEL, AgencyType.SKOLE, AgencyType.FRITID} <= set(team):
            continue
        age = age_on(case.person.birth_date, today)
        guardians = [g.pk for g in case.person.guardians.filter(parental_responsibility=True)]
        if not settings.LAGET_SALTO_MIN_AGE <= age <= settings.LAGET_SALTO_MAX_AGE or (
                age < 18 and not guardians):
            continue
        given_by = "guardian" if age < 16 else "both" if age < 18 else "youth"
        _enrol(case, team, today, given_by, guardians if age < 18 else [])
        enrolled += 1
    return enrolled


def _enrol(case: Case, team: dict[str, TeamMember], today: dt.date, given_by: str,
           guardians: list) -> None:
    coordinator = _actor(team[AgencyType.BYDEL])
    meeting = (Meeting.objects.filter(case=case, status=MeetingStatus.HELD)
               .order_by("-starts_at").first())
    decided_on = meeting.starts_at.astimezone(clock.OSLO).date() if meeting else today
    enrolment = services.enrolment_create(
        actor=coordinator, case=case, decided_on=decided_on, meeting=meeting, starts_on=today,
        members=[team[AgencyType.SKOLE], team[AgencyType.FRITID]],
        consent=services.ConsentGiven(
            given_by=given_by, guardian_ids=guardians, method="signed_form",
            valid_to=today + dt.timedelta(days=182),
            youth_view="Vil være med hvis fotballen er med i planen."))
    club = FollowUpMember.objects.get(enrolment=enrolment, team_member=team[AgencyType.FRITID])
    school = team[AgencyType.SKOLE].agency
    plan = [(day, 8, 15, SlotKind.SKOLE, None, school, "Skoledag") for day in range(5)]
    plan += [
        (0, 16, 18, SlotKind.TRENING, club, None, "Fotballtrening"),
        (1, 15, 17, SlotKind.AKTIVITET, None, school, "Leksehjelp"),
        (1, 18, 21, SlotKind.AKTIVITET, club, None, "Ungdomsklubben"),
        (2, 16, 18, SlotKind.TRENING, club, None, "Fotballtrening"),
        (3, 15, 16, SlotKind.MOTE, None, coordinator.agency, "Samtale med koordinator"),
        (3, 17, 21, SlotKind.AKTIVITET, club, None, "Ungdomsklubben"),
        (0, 18, 23, SlotKind.HJEMME, None, None, "Middag og hjemme"),
        (2, 18, 23, SlotKind.HJEMME, None, None, "Hjemme"),
        (6, 12, 15, SlotKind.AKTIVITET, club, None, "Svømmehallen"),
    ]
    for weekday, begin, end, kind, responsible, agency, text in plan:
        services.slot_add(actor=coordinator, enrolment=enrolment, slot=services.SlotInput(
            weekday=weekday, start_hour=begin, end_hour=end, kind=kind,
            responsible=responsible, responsible_agency=agency, description=text))
