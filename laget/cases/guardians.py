"""The guardians as the case's team sees them, and the contact history with them."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases.access import may_see_workflow
from laget.cases.models import ContactChannel, GuardianContact
from laget.core import clock
from laget.core.errors import DomainError
from laget.people.models import Guardian
from laget.records.models import Case
from laget.records.services import case_require_open

NOTE_MAX_LENGTH = 2000
#: Guardians' say in the case (consent on the child's behalf, the family pages) ends here.
AGE_OF_MAJORITY = 18


def majority_day(birth_date: dt.date) -> dt.date:
    """The day a person turns 18 (born 29 February: 1 March in other years)."""
    try:
        return birth_date.replace(year=birth_date.year + AGE_OF_MAJORITY)
    except ValueError:
        return dt.date(birth_date.year + AGE_OF_MAJORITY, 3, 1)


def guardians_have_access(case: Case, on: dt.date | None = None) -> bool:
    """Whether the guardians still act for the person: until the day the person turns 18."""
    return (on or clock.today()) < majority_day(case.person.birth_date)


@dataclass(frozen=True)
class GuardianPanel:
    guardians: list[Guardian]
    contacts: list[GuardianContact]
    #: False once the person is 18: consents from guardians lapse and their access ends
    access: bool
    majority_on: dt.date


def guardian_panel_for(*, actor: Actor, case: Case) -> GuardianPanel | None:
    """Guardians with parental responsibility, language and interpreter need, and the contact
    history — for those who see the case's workflow (the caller's case read is audited)."""
    if not may_see_workflow(actor, case):
        return None
    guardians = list(case.person.guardians.order_by("-parental_responsibility", "family_name"))
    contacts = list(case.guardian_contacts.select_related("guardian", "by_user", "by_agency")
                    .order_by("-contacted_on", "-created_at")[:50])
    return GuardianPanel(guardians=guardians, contacts=contacts,
                         access=guardians_have_access(case),
                         majority_on=majority_day(case.person.birth_date))


@transaction.atomic
def guardian_contact_add(
    *, actor: Actor, case: Case, guardian: Guardian, contacted_on: dt.date, channel: str,
    interpreter_used: bool = False, note: str = "",
) -> GuardianContact:
    """Record a contact with a guardian: anyone on the team (or the case's coordinator)."""
    if not may_see_workflow(actor, case):
        raise DomainError(_("Du må være med i teamet for å registrere kontakt."),
                          code="not_on_team")
    case_require_open(case)
    if guardian.person_id != case.person_id:
        raise DomainError(_("Den foresatte hører ikke til denne saken."), code="guardian")
    if channel not in ContactChannel.values:
        raise DomainError(_("Ukjent kanal."), code="channel")
    if contacted_on > clock.today():
        raise DomainError(_("Datoen for kontakten kan ikke være fram i tid."), code="future")
    if contacted_on < case.created_at.date() - dt.timedelta(days=365):
        raise DomainError(_("Datoen er mer enn et år før saken ble åpnet."), code="past")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(_("Notatet kan være høyst %(n)s tegn.") % {"n": NOTE_MAX_LENGTH},
                          code="note")
    assert actor.membership is not None
    contact = GuardianContact.objects.create(
        case=case, guardian=guardian, contacted_on=contacted_on, channel=channel,
        interpreter_used=interpreter_used, note=note, by_user=actor.user,
        by_agency=actor.membership.agency)
    audit_record(action=Action.GUARDIAN_CONTACT, actor=actor, obj=contact,
                 persons=[case.person_id], purpose=Purpose.FOREBYGGING,
                 details={"channel": channel})
    return contact
