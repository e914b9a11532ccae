"""Deadline alerts of the youth fast track, through the notification outbox: a warning
LAGET_FASTTRACK_WARN_DAYS before each running stage's due date, and an alert on the day it is
due, to the agency responsible for the stage — the unit's prosecutors for the police stages, the
named court's, konfliktråd's or kriminalomsorg's case roles for theirs. The texts say what kind
of case and which deadline, and link to the case by its UUID; no names, no numbers. Each
message's key (case, stage, due date, user) makes a second run — or a second scheduler — send
nothing more; a run that was missed catches up the next hour."""

import datetime as dt
import uuid
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laget.accounts.models import Membership, Role, User
from laget.core import clock
from laget.fasttrack.access import SIDE_FIELD
from laget.fasttrack.deadlines import Responsible, StageStatus
from laget.fasttrack.models import CaseStatus, Milestone, YouthCase
from laget.fasttrack.selectors import case_stages
from laget.notify.services import notify_user
from laget.records.services import CASE_ROLES

#: the fast track's case page, until the web layer names its route `web:fasttrack_case`
CASE_PATH = "/hurtigspor/{case_id}/"


def case_link(case_id: uuid.UUID) -> str:
    try:
        return reverse("web:fasttrack_case", kwargs={"case_id": case_id})
    except NoReverseMatch:
        return CASE_PATH.format(case_id=case_id)


def _roles(side: str) -> frozenset[str]:
    return frozenset({Role.PROSECUTOR}) if side == Responsible.POLICE else CASE_ROLES


def _recipients(agency_ids: set[uuid.UUID], day: dt.date,
                ) -> dict[tuple[uuid.UUID, str], list[User]]:
    """Active users by (agency, role) for the agencies in question."""
    result: dict[tuple[uuid.UUID, str], list[User]] = defaultdict(list)
    for membership in (Membership.objects.active(day)
                       .filter(agency_id__in=agency_ids, user__is_active=True)
                       .select_related("user").order_by("user_id")):
        result[(membership.agency_id, membership.role)].append(membership.user)
    return result


def due_alerts(stage: StageStatus, *, today: dt.date, warn_days: int) -> str | None:
    """Which alert a running stage calls for today: "warn" from `warn_days` before its due date,
    "due" from the due date on, None otherwise (done, no target, or not yet)."""
    if not stage.running or stage.due is None:
        return None
    if today >= stage.due:
        return "due"
    if today >= stage.due - dt.timedelta(days=warn_days):
        return "warn"
    return None


def _message(kind: str, stage: StageStatus, today: dt.date) -> tuple[str, str]:
    assert stage.due is not None
    values = {"stage": str(stage.stage.label).lower(),
              "date": formats.date_format(stage.due, "j. F Y"),
              "citation": stage.stage.citation}
    if kind == "warn":
        days = (stage.due - today).days
        return (_("Frist i hurtigsporet nærmer seg"),
                ngettext("En ungdomssak i hurtigsporet har frist for %(stage)s om %(days)s dag "
                         "(%(date)s; %(citation)s).",
                         "En ungdomssak i hurtigsporet har frist for %(stage)s om %(days)s dager "
                         "(%(date)s; %(citation)s).", days) % {**values, "days": days})
    return (_("Frist i hurtigsporet er nådd"),
            _("Fristen for %(stage)s i en ungdomssak i hurtigsporet er %(date)s "
              "(%(citation)s).") % values)


def deadline_alerts_send(*, today: dt.date | None = None) -> int:
    """Queue the warnings and deadline alerts due today. Returns messages queued."""
    today = today or clock.today()
    warn_days = settings.LAGET_FASTTRACK_WARN_DAYS
    cases = list(YouthCase.objects.filter(status=CaseStatus.OPEN).order_by("pk"))
    milestones: dict[uuid.UUID, list[Milestone]] = defaultdict(list)
    for milestone in Milestone.objects.filter(case__status=CaseStatus.OPEN):
        milestones[milestone.case_id].append(milestone)
    due = []
    for case in cases:
        for stage in case_stages(case, milestones[case.pk], today=today):
            kind = due_alerts(stage, today=today, warn_days=warn_days)
            agency_id = getattr(case, f"{SIDE_FIELD[stage.stage.responsible]}_id")
            if kind is not None and agency_id is not None:
                due.append((case, stage, kind, agency_id))
    if not due:
        return 0
    users = _recipients({agency_id for _c, _s, _k, agency_id in due}, today)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for case, stage, kind, agency_id in due:
            subject, body = _message(kind, stage, today)
            seen: set[int] = set()
            for role in sorted(_roles(stage.stage.responsible)):
                for user in users.get((agency_id, role), ()):
                    if user.pk in seen:
                        continue
                    seen.add(user.pk)
                    with transaction.atomic():
                        message = notify_user(
                            user=user, subject=subject, body=body, link=case_link(case.pk),
                            key=(f"fasttrack.{kind}:{case.pk}:{stage.stage.code}:"
                                 f"{stage.due.isoformat() if stage.due else ''}:{user.pk}"))
                    sent += message is not None
    return sent
