"""The daily reminders of the SaLTo workflow, sent through the notification outbox: overdue
tasks to the people responsible and the case's coordinators, and a warning to the coordinators
before a person with an open case turns 18. The texts hold no personal data — a count, a number
of days and a link — and each message's idempotency key makes a second run the same day (or a
second scheduler) send nothing more."""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laget.accounts.models import AgencyType, Membership, Role, User
from laget.cases.models import Task
from laget.cases.weapon import BARNEVERN, case_checkpoints
from laget.core import clock
from laget.notify.services import notify_user
from laget.records.models import OPEN_STATUSES, Case, CaseMarker, MarkerKind, TeamMember

#: The age of majority (vergemålsloven § 2): guardians' consents and portal access end.
AGE_OF_MAJORITY = 18


def birthday(born: dt.date, years: int) -> dt.date:
    """The day a person born on `born` turns `years`: the same date, or 1 March for someone born
    on 29 February in a year without it (as `Person.age_on` counts: the year is complete when
    the calendar has passed the last day of it)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return dt.date(born.year + years, 3, 1)


def majority_warning_due(*, born: dt.date, today: dt.date, days_ahead: int) -> dt.date | None:
    """The 18th birthday if it comes within the next `days_ahead` days (tomorrow at the
    earliest), else None. On the first day of that window it is exactly `days_ahead` days off;
    the later days of the window catch up a run that was missed (the key keeps it to one)."""
    turns = birthday(born, AGE_OF_MAJORITY)
    return turns if today < turns <= today + dt.timedelta(days=days_ahead) else None


def _years_earlier(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without it
        return dt.date(day.year - years, 2, 28)


def majority_birth_dates(*, today: dt.date, days_ahead: int) -> tuple[dt.date, dt.date]:
    """A range of birth dates (with a margin) holding everyone who turns 18 within the window;
    `majority_warning_due` decides exactly."""
    first = _years_earlier(today + dt.timedelta(days=1), AGE_OF_MAJORITY)
    last = _years_earlier(today + dt.timedelta(days=days_ahead), AGE_OF_MAJORITY)
    return first - dt.timedelta(days=2), last + dt.timedelta(days=2)


def case_coordinators(
    cases: Iterable[tuple[uuid.UUID, str]], *, day: dt.date,
) -> dict[uuid.UUID, set[int]]:
    """The coordinators of each (case id, district code): the members of its team from a bydel
    agency of the case's district who are coordinators there; for a case with none on its team,
    every coordinator of the district's bydel agencies. User ids by case id."""
    cases = list(cases)
    coordinator_there = Membership.objects.active(day).filter(
        user_id=OuterRef("user_id"), agency_id=OuterRef("agency_id"), role=Role.COORDINATOR)
    result: dict[uuid.UUID, set[int]] = defaultdict(set)
    for case_id, user_id in (
        TeamMember.objects.active(day)
        .filter(case_id__in=[case_id for case_id, _district in cases],
                agency__type=AgencyType.BYDEL, agency__district_id=F("case__district_id"))
        .filter(Exists(coordinator_there))
        .values_list("case_id", "user_id")
    ):
        result[case_id].add(user_id)
    orphans = {district for case_id, district in cases if not result[case_id]}
    if orphans:
        by_district: dict[str, set[int]] = defaultdict(set)
        for district, user_id in Membership.objects.active(day).filter(
                role=Role.COORDINATOR, agency__type=AgencyType.BYDEL,
                agency__district_id__in=orphans).values_list("agency__district_id", "user_id"):
            by_district[district].add(user_id)
        for case_id, district in cases:
            if not result[case_id]:
                result[case_id] = set(by_district[district])
    return dict(result)


def _active_users(ids: Iterable[int]) -> list[User]:
    return list(User.objects.filter(pk__in=set(ids), is_active=True).order_by("pk"))


def overdue_task_reminders_send(*, today: dt.date | None = None) -> int:
    """One message per person with overdue tasks on open cases, saying how many: the task's
    assignee (while on the team for the task's agency), else the agency's members on the team;
    and the case's coordinators. At most one a day per person. Returns messages queued."""
    today = today or clock.today()
    tasks = list(
        Task.objects.overdue(today).filter(plan__case__status__in=OPEN_STATUSES)
        .values_list("pk", "assignee_id", "agency_id", "plan__case_id", "plan__case__district_id")
    )
    if not tasks:
        return 0
    case_ids = {case_id for _pk, _assignee, _agency, case_id, _district in tasks}
    on_team: dict[tuple[uuid.UUID, uuid.UUID], set[int]] = defaultdict(set)
    for case_id, agency_id, user_id in TeamMember.objects.active(today).filter(
            case_id__in=case_ids).values_list("case_id", "agency_id", "user_id"):
        on_team[(case_id, agency_id)].add(user_id)
    coordinators = case_coordinators(
        {(case_id, district) for _pk, _a, _g, case_id, district in tasks}, day=today)

    overdue_for: dict[int, set[uuid.UUID]] = defaultdict(set)
    for pk, assignee_id, agency_id, case_id, _district in tasks:
        members = on_team[(case_id, agency_id)]
        responsible = {assignee_id} if assignee_id in members else members
        for user_id in responsible | coordinators.get(case_id, set()):
            overdue_for[user_id].add(pk)

    sent = 0
    link = reverse("web:start")
    with translation.override(settings.LANGUAGE_CODE):
        for user in _active_users(overdue_for):
            count = len(overdue_for[user.pk])
            with transaction.atomic():
                message = notify_user(
                    user=user, key=f"cases.overdue:{user.pk}:{today.isoformat()}",
                    subject=_("Forfalte oppgaver i Laget"),
                    body=ngettext(
                        "Du har %(count)s forfalt oppgave i Laget, i en sak du er ansvarlig "
                        "for eller koordinerer.",
                        "Du har %(count)s forfalte oppgaver i Laget, i saker du er ansvarlig "
                        "for eller koordinerer.", count) % {"count": count},
                    link=link,
                )
            sent += message is not None
    return sent


def majority_warnings_send(*, today: dt.date | None = None) -> int:
    """Warn the coordinators of every open case whose person turns 18 within
    LAGET_CONSENT_LAPSE_WARNING_DAYS (30): guardians' consents lapse and their access ends. One
    warning per coordinator per case and birthday. Returns messages queued."""
    today = today or clock.today()
    days_ahead = settings.LAGET_CONSENT_LAPSE_WARNING_DAYS
    first, last = majority_birth_dates(today=today, days_ahead=days_ahead)
    due = []
    for case_id, district, born in (
        Case.objects.filter(status__in=OPEN_STATUSES, person__birth_date__range=(first, last))
        .values_list("pk", "district_id", "person__birth_date")
    ):
        turns = majority_warning_due(born=born, today=today, days_ahead=days_ahead)
        if turns is not None:
            due.append((case_id, district, turns))
    if not due:
        return 0
    coordinators = case_coordinators([(case_id, district) for case_id, district, _t in due],
                                     day=today)
    users = {user.pk: user for user in _active_users(
        user_id for ids in coordinators.values() for user_id in ids)}
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for case_id, _district, turns in due:
            days = (turns - today).days
            for user_id in sorted(coordinators.get(case_id, ()), key=str):
                user = users.get(user_id)
                if user is None:
                    continue
                with transaction.atomic():
                    message = notify_user(
                        user=user,
                        key=f"cases.turning18:{case_id}:{turns.isoformat()}:{user.pk}",
                        subject=_("En person i en av sakene dine fyller snart 18 år"),
                        body=ngettext(
                            "En person i en av sakene dine fyller 18 år om %(days)s dag.",
                            "En person i en av sakene dine fyller 18 år om %(days)s dager.",
                            days) % {"days": days}
                        + " " + _("Samtykker fra foresatte faller bort, og de foresattes tilgang "
                                  "avsluttes. Gå gjennom samtykkene og planen med den unge "
                                  "før fødselsdagen."),
                        link=reverse("web:case_detail", kwargs={"case_id": case_id}),
                    )
                sent += message is not None
    return sent


def weapon_checkpoint_alerts_send(*, today: dt.date | None = None) -> int:
    """When a weapon trigger's checkpoint is missed (laget.cases.weapon: barnevern informed, the
    follow-up meeting), the case's coordinators are told once per checkpoint, and for the
    barnevern checkpoint also barnevern's case roles in the case's bydel (a report may be waiting
    for them to confirm). No personal data: what kind of deadline, and a link. Returns messages
    queued."""
    today = today or clock.today()
    markers = list(CaseMarker.objects.filter(
        kind=MarkerKind.WEAPON_TRIGGER, valid_from__lte=today, case__status__in=OPEN_STATUSES)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .select_related("case").order_by("case_id", "-valid_from"))
    newest: dict[uuid.UUID, CaseMarker] = {}
    for marker in markers:
        newest.setdefault(marker.case_id, marker)
    missed = []
    for marker in newest.values():
        for checkpoint in case_checkpoints(case=marker.case, marker=marker, today=today):
            if checkpoint.overdue:
                missed.append((marker, checkpoint))
    if not missed:
        return 0
    coordinators = case_coordinators({(m.case_id, m.case.district_id) for m, _c in missed},
                                      day=today)
    barnevern: dict[str, set[int]] = defaultdict(set)
    for district, user_id in Membership.objects.active(today).filter(
            agency__type=AgencyType.BARNEVERN,
            agency__district_id__in={m.case.district_id for m, _c in missed},
            role__in=[Role.CASEWORKER, Role.COORDINATOR, Role.LEADER],
    ).values_list("agency__district_id", "user_id"):
        barnevern[district].add(user_id)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for marker, checkpoint in missed:
            recipients = set(coordinators.get(marker.case_id, set()))
            if checkpoint.key == BARNEVERN:
                recipients |= barnevern[marker.case.district_id]
                body = _("En sak med våpenutløser har ikke fått bekreftet at barnevernet er "
                         "informert innen fristen. Se saken i Laget.")
                link = reverse("web:case_detail", kwargs={"case_id": marker.case_id})
            else:
                body = _("En sak med våpenutløser har ikke fått et oppfølgingsmøte innen "
                         "fristen. Se saken i Laget.")
                link = reverse("web:case_detail", kwargs={"case_id": marker.case_id})
            for user in _active_users(recipients):
                with transaction.atomic():
                    message = notify_user(
                        user=user, key=f"cases.weapon:{marker.pk}:{checkpoint.key}:{user.pk}",
                        subject=_("En frist etter våpenutløseren er passert"), body=body,
                        link=link)
                sent += message is not None
    return sent
