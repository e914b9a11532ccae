"""The weapon trigger's follow-up on the case page: the checkpoints the police's weapon trigger
starts (C7) with their due dates from settings, whether each is met, and whether the case has had
the trigger before. Selectors only: nothing here writes, and nothing reads entries.

The checkpoints, counted from the newest open weapon-trigger marker's `valid_from` (the trigger
day):

* "Barnevernet informert" — due `LAGET_WEAPON_BARNEVERN_DAYS` days after (default 0: the same
  day). Met when barnevern has acknowledged a report about the case sent since the trigger day
  (laget.cases.barnevern: the police's weapon trigger sends one), or when someone from a
  barnevern agency is, or has been, on the case's team at some time since the trigger day (a
  team member from barnevern sees the case and its weapon trigger; an earlier membership that
  ended before the trigger does not count). It is shown only to the case's coordinator and to
  barnevern itself: to anyone else it would reveal whether barnevern is involved.
* "Oppfølgingsmøte" — due `LAGET_WEAPON_MEETING_DAYS` days after (default 7). Met by a meeting on
  the case, planned or held (not cancelled), created on or after the trigger day and starting no
  later than the end of the due day.

A checkpoint is overdue when it is not met and its due day has passed."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType
from laget.cases.access import may_see_workflow
from laget.cases.models import BarnevernReport, Meeting, MeetingStatus
from laget.core import clock
from laget.records.models import Case, CaseMarker, MarkerKind, TeamMember
from laget.records.services import is_district_coordinator

BARNEVERN = "barnevern"
MEETING = "meeting"


@dataclass(frozen=True)
class Checkpoint:
    key: str
    label: str
    due_on: dt.date
    met: bool
    overdue: bool


@dataclass(frozen=True)
class WeaponFollowUp:
    marker: CaseMarker
    since: dt.date
    checkpoints: list[Checkpoint]
    #: How many weapon triggers the case has had, this one included.
    triggers: int

    @property
    def repeated(self) -> bool:
        return self.triggers > 1

    @property
    def overdue(self) -> bool:
        return any(c.overdue for c in self.checkpoints)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.OSLO)


def open_weapon_trigger(*, case: Case, on: dt.date | None = None) -> CaseMarker | None:
    """The case's newest weapon trigger open on the day (today unless given)."""
    day = on or clock.today()
    return (CaseMarker.objects.filter(case=case, kind=MarkerKind.WEAPON_TRIGGER,
                                      valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
            .order_by("-valid_from", "-created_at").first())


def barnevern_informed(*, case: Case, since: dt.date, today: dt.date) -> bool:
    """Barnevern acknowledged a report about the case sent from `since` on, or someone from
    barnevern has been on the team on some day from `since` to today."""
    if BarnevernReport.objects.filter(case=case, sent_at__gte=_day_start(since),
                                      received_at__isnull=False).exists():
        return True
    return (TeamMember.objects.filter(case=case, agency__type=AgencyType.BARNEVERN,
                                      joined_on__lte=today)
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=since)).exists())


def meeting_held_or_planned(*, case: Case, since: dt.date, due_on: dt.date) -> bool:
    """A meeting, planned or held, created from the trigger day on and starting by the due day."""
    return (Meeting.objects.filter(case=case, created_at__gte=_day_start(since),
                                   starts_at__lt=_day_start(due_on + dt.timedelta(days=1)))
            .exclude(status=MeetingStatus.CANCELLED).exists())


def sees_barnevern_checkpoint(actor: Actor, case: Case) -> bool:
    """The coordinator and barnevern itself: to anyone else, the checkpoint would tell whether
    barnevern is involved in the case."""
    agency = actor.agency
    return is_district_coordinator(actor, case.district_id) or bool(
        agency is not None and agency.type == AgencyType.BARNEVERN)


def case_checkpoints(*, case: Case, marker: CaseMarker, today: dt.date) -> list[Checkpoint]:
    """Both checkpoints of an open weapon trigger, whoever reads (the caller decides who may
    see the barnevern one)."""
    since = marker.valid_from
    due = since + dt.timedelta(days=settings.LAGET_WEAPON_BARNEVERN_DAYS)
    met = barnevern_informed(case=case, since=since, today=today)
    checkpoints = [Checkpoint(BARNEVERN, _("Barnevernet informert"), due, met,
                              not met and due < today)]
    due = since + dt.timedelta(days=settings.LAGET_WEAPON_MEETING_DAYS)
    met = meeting_held_or_planned(case=case, since=since, due_on=due)
    checkpoints.append(Checkpoint(MEETING, _("Oppfølgingsmøte"), due, met,
                                  not met and due < today))
    return checkpoints


def weapon_followup_for(*, actor: Actor, case: Case) -> WeaponFollowUp | None:
    """The open weapon trigger's checkpoints, or None when the case has none open or the actor
    does not see the case's workflow."""
    if not may_see_workflow(actor, case):
        return None
    marker = open_weapon_trigger(case=case)
    if marker is None:
        return None
    checkpoints = [c for c in case_checkpoints(case=case, marker=marker, today=clock.today())
                   if c.key != BARNEVERN or sees_barnevern_checkpoint(actor, case)]
    triggers = CaseMarker.objects.filter(case=case, kind=MarkerKind.WEAPON_TRIGGER).count()
    return WeaponFollowUp(marker=marker, since=marker.valid_from, checkpoints=checkpoints,
                          triggers=triggers)
