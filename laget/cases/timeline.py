"""A case's timeline: everything that happened on it that the reader may see, newest first —
status moves, the team coming and going, tasks, meetings, handovers, contacts with guardians, and
the entries the sharing engine lets them read. Entries they may not read are not lines of their
own: the case page counts them with the reason (sharing.selectors.hidden_summary_for)."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.cases.access import known_agency_ids, may_see_workflow
from laget.cases.models import Handover, Meeting, MeetingStatus, Task, TaskStatus
from laget.core import clock
from laget.records.models import Case
from laget.sharing import selectors as sharing


@dataclass(frozen=True)
class TimelineItem:
    at: dt.datetime
    kind: str
    title: str
    detail: str = ""
    #: for an entry line: the entry, which the page links to
    entry_id: uuid.UUID | None = None


def _when(day: dt.date, recorded: dt.datetime) -> dt.datetime:
    """A dated fact (a contact, a join) at the moment it was recorded when that was the same day,
    so the day's lines keep their order; else at the start of its day."""
    if recorded.astimezone(clock.OSLO).date() == day:
        return recorded
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.OSLO)


def _name(user: object) -> str:
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]


def timeline_for(*, actor: Actor, case: Case, purpose: str, limit: int = 200,
                 entries: bool = True) -> list[TimelineItem]:
    """The newest `limit` items of the case's timeline as `actor` may see it. Without `entries`
    (the case page, which lists the entries beside it) only the workflow's own lines."""
    if not may_see_workflow(actor, case):
        return []
    known = known_agency_ids(actor, case, purpose)
    items: list[TimelineItem] = []
    for change in case.status_changes.select_related("changed_by"):
        title = (_("Status: %(from)s → %(to)s") % {"from": change.get_from_status_display(),
                                                     "to": change.get_to_status_display()}
                 if change.from_status else
                 _("Sak åpnet (%(status)s)") % {"status": change.get_to_status_display()})
        items.append(TimelineItem(change.changed_at, "status", title,
                                  f"{_name(change.changed_by)}: {change.reason}".rstrip(": ")))
    for member in sharing.team_for(actor=actor, case=case, purpose=purpose, history=True):
        who = f"{_name(member.user)} ({member.agency.name})"
        items.append(TimelineItem(_when(member.joined_on, member.created_at), "team",
                                  _("%(who)s ble med i teamet") % {"who": who}))
        if member.left_on is not None and member.left_on <= clock.today():
            items.append(TimelineItem(_when(member.left_on, member.updated_at), "team",
                                      _("%(who)s gikk ut av teamet") % {"who": who}))
    tasks = (Task.objects.filter(plan__case=case, agency_id__in=known)
             .select_related("agency"))
    for task in tasks:
        items.append(TimelineItem(task.created_at, "task",
                                  _("Ny oppgave: %(title)s") % {"title": task.title},
                                  task.agency.name))
        if task.status == TaskStatus.DONE and task.completed_at:
            items.append(TimelineItem(task.completed_at, "task",
                                      _("Oppgave utført: %(title)s") % {"title": task.title},
                                      task.outcome))
    for meeting in Meeting.objects.filter(case=case):
        label = {MeetingStatus.PLANNED: _("Møte planlagt"), MeetingStatus.HELD: _("Møte holdt"),
                 MeetingStatus.CANCELLED: _("Møte avlyst")}[MeetingStatus(meeting.status)]
        items.append(TimelineItem(meeting.starts_at, "meeting", label, meeting.place))
    for handover in Handover.objects.filter(case=case).select_related("from_district",
                                                                      "to_district"):
        items.append(TimelineItem(
            handover.handed_over_at, "handover",
            _("Saken ble overført fra %(from)s til %(to)s")
            % {"from": handover.from_district.name, "to": handover.to_district.name}))
    contacts = (case.guardian_contacts.filter(by_agency_id__in=known)
                .select_related("guardian", "by_agency"))
    for contact in contacts:
        items.append(TimelineItem(
            _when(contact.contacted_on, contact.created_at), "guardian",
            _("Kontakt med %(name)s (%(channel)s)")
            % {"name": str(contact.guardian), "channel": contact.get_channel_display()},
            contact.by_agency.name))
    shown_entries = (sharing.case_entries_recent_for(actor=actor, case=case, purpose=purpose,
                                                     limit=limit) if entries else [])
    for shown in shown_entries:
        entry = shown.entry
        items.append(TimelineItem(
            entry.created_at, "entry",
            _("Opplysning fra %(agency)s (%(category)s)")
            % {"agency": entry.source_agency.name, "category": entry.get_category_display()},
            entry_id=entry.pk))
    items.sort(key=lambda i: i.at, reverse=True)
    return items[:limit]
