"""The police's network registrations and kriminalomsorgen's placement check.

The police register that a person belongs to a criminal network, or is in conflict with one
(`NetworkAffiliation`, police intelligence). When kriminalomsorgen places or transfers a person
into a section of its unit, Laget warns if the section already holds someone the police have
registered in the same network, or on the other side of a conflict. The reason — who, which
network — is shown only to the police and to a kriminalomsorg case role of the unit for whom the
sharing engine finds a rule (politi → kriminalomsorg, category politi, purpose straffesak);
others learn only that a warning exists. Placing against a warning needs a stated reason, kept on
the placement and logged."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType
from laget.audit.actions import Action
from laget.audit.actions import Outcome as AuditOutcome
from laget.audit.services import audit_record
from laget.cases import concerns
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.people.models import Person
from laget.records.vocabulary import InfoCategory, SharingPurpose
from laget.reentry import access
from laget.reentry.models import AffiliationKind, NetworkAffiliation, Placement, PlacementKind
from laget.sharing.engine import RuleView, report_basis

PURPOSE = SharingPurpose.STRAFFESAK
REASON_MAX_LENGTH = 1000


# --- the police's registrations -------------------------------------------------------------

def _require_police(actor: Actor) -> None:
    if not access.is_police(actor):
        raise DomainError(_("Bare politiet kan registrere nettverkstilknytning."), code="role")


@transaction.atomic
def network_register(*, actor: Actor, person: Person, network_code: str, network_name: str,
                     kind: str, valid_from: dt.date | None = None) -> NetworkAffiliation:
    _require_police(actor)
    if kind not in AffiliationKind.values:
        raise DomainError(_("Velg tilknytning."), code="kind")
    network_name = concerns.text_clean(network_name, _("nettverk"), 100)
    network_code = concerns.text_clean(network_code, _("nettverkskode"), 40).lower()
    valid_from = valid_from or clock.today()
    if valid_from > clock.today():
        raise DomainError(_("Datoen kan ikke ligge fram i tid."), code="valid_from")
    if NetworkAffiliation.objects.filter(person=person, network_code=network_code, kind=kind,
                                         valid_to__isnull=True).exists():
        raise DomainError(_("Denne tilknytningen er allerede registrert."), code="duplicate")
    affiliation = NetworkAffiliation.objects.create(
        person=person, network_code=network_code, network_name=network_name, kind=kind,
        unit=actor.agency, registered_by=actor.user, valid_from=valid_from)
    audit_record(action=Action.REENTRY_NETWORK, actor=actor, obj=affiliation, persons=[person],
                 purpose=PURPOSE, details={"event": "register", "kind": kind})
    return affiliation


@transaction.atomic
def network_end(*, actor: Actor, affiliation: NetworkAffiliation) -> None:
    _require_police(actor)
    if affiliation.valid_to is not None:
        raise DomainError(_("Tilknytningen er allerede avsluttet."), code="ended")
    affiliation.valid_to = max(clock.today(), affiliation.valid_from)
    affiliation.updated_at = clock.now()
    affiliation.save(update_fields=["valid_to", "updated_at"])
    audit_record(action=Action.REENTRY_NETWORK, actor=actor, obj=affiliation,
                 persons=[affiliation.person_id], purpose=PURPOSE, details={"event": "end"})


def networks_for_police(*, actor: Actor) -> list[NetworkAffiliation]:
    """The current registrations (the police's own intelligence; for the police only)."""
    if not access.is_police(actor):
        return []
    rows = list(NetworkAffiliation.objects.filter(valid_to__isnull=True)
                .select_related("person", "unit").order_by("network_code", "person__family_name"))
    audit_record(action=Action.REENTRY_LIST, actor=actor, persons=[a.person_id for a in rows],
                 purpose=PURPOSE, details={"list": "networks", "count": len(rows)})
    return rows


def network_get_for(*, actor: Actor, affiliation_id: uuid.UUID) -> NetworkAffiliation:
    affiliation = NetworkAffiliation.objects.filter(pk=affiliation_id).first()
    if affiliation is None or not access.is_police(actor):
        audit_record(action=Action.REENTRY_VIEW, actor=actor, outcome=AuditOutcome.DENIED,
                     purpose=PURPOSE, details={"object_id": str(affiliation_id)})
        raise NotFound()
    return affiliation


# --- the check -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Conflict:
    other: Person
    network_name: str
    same_network: bool  # else: a conflict between the two sides


@dataclass(frozen=True)
class PlacementCheck:
    warning: bool
    reason_visible: bool
    conflicts: list[Conflict]  # empty unless reason_visible
    basis: str


def _active(day: dt.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def _normalise(section: str) -> str:
    return " ".join(section.split()).casefold()


def _conflicts(person: Person, unit_id: uuid.UUID, section: str, day: dt.date) -> list[Conflict]:
    mine = list(NetworkAffiliation.objects.filter(_active(day), person=person)
                .values_list("network_code", "kind"))
    if not mine:
        return []
    held = [p for p in Placement.objects.filter(unit_id=unit_id, placed_to__isnull=True)
            .exclude(person=person).select_related("person")
            if _normalise(p.section) == _normalise(section)]
    if not held:
        return []
    theirs = NetworkAffiliation.objects.filter(
        _active(day), person_id__in=[p.person_id for p in held],
        network_code__in=[code for code, _kind in mine])
    found = []
    for aff in theirs.select_related("person").order_by("person__family_name", "network_code"):
        for code, kind in mine:
            if code != aff.network_code:
                continue
            both_members = kind == aff.kind == AffiliationKind.MEMBER
            opposed = {kind, aff.kind} == {AffiliationKind.MEMBER, AffiliationKind.CONFLICT}
            if both_members or opposed:
                found.append(Conflict(aff.person, aff.network_name, both_members))
    return found


def reason_basis(actor: Actor, person: Person) -> RuleView | str | None:
    """Why the actor may see the reason: "own" for the police, the rule for kriminalomsorgen of
    the unit, or None."""
    if access.is_police(actor):
        return "own"
    if access.is_kriminalomsorg(actor):
        return report_basis(source_type=AgencyType.POLITI,
                            recipient_type=AgencyType.KRIMINALOMSORG,
                            category=InfoCategory.POLITI, purpose=PURPOSE,
                            birth_date=person.birth_date)
    return None


def _basis_name(basis: RuleView | str | None) -> str:
    return basis.rule_id if isinstance(basis, RuleView) else (basis or "")


def placement_check(*, actor: Actor, person: Person, section: str) -> PlacementCheck:
    """The check for placing `person` in `section` of the actor's unit, audited: with the persons
    named when the reason is shown, else only the person being placed."""
    if not access.is_kriminalomsorg(actor):
        raise DomainError(_("Bare kriminalomsorgen plasserer innsatte."), code="role")
    assert actor.agency is not None
    section = concerns.text_clean(section, _("avdeling"), 60)
    conflicts = _conflicts(person, actor.agency.pk, section, clock.today())
    basis = reason_basis(actor, person) if conflicts else None
    visible = basis is not None
    audit_record(action=Action.REENTRY_PLACEMENT, actor=actor,
                 persons=[person, *(c.other for c in conflicts)] if visible else [person],
                 purpose=PURPOSE, basis=_basis_name(basis),
                 details={"event": "check", "warning": bool(conflicts),
                          "reason_shown": visible})
    return PlacementCheck(bool(conflicts), visible, conflicts if visible else [],
                          _basis_name(basis))


@transaction.atomic
def placement_create(*, actor: Actor, person: Person, section: str, kind: str,
                     override_reason: str = "") -> Placement:
    """Place or transfer `person` into `section` of the actor's unit (ending a current
    placement). Against a warning only with `override_reason`."""
    if not access.is_kriminalomsorg(actor):
        raise DomainError(_("Bare kriminalomsorgen plasserer innsatte."), code="role")
    assert actor.agency is not None
    if kind not in PlacementKind.values:
        raise DomainError(_("Velg innsettelse eller overføring."), code="kind")
    section = concerns.text_clean(section, _("avdeling"), 60)
    override_reason = concerns.text_clean(override_reason, _("grunnen"), REASON_MAX_LENGTH,
                                          required=False)
    # lock the person's placements so two placements of one person cannot race
    current = (Placement.objects.select_for_update().filter(person=person, placed_to__isnull=True)
               .first())
    today = clock.today()
    conflicts = _conflicts(person, actor.agency.pk, section, today)
    if conflicts and not override_reason:
        raise DomainError(_("Advarsel: avdelingen har allerede en innsatt som politiet har "
                            "registrert i samme kriminelle nettverk eller i konflikt med "
                            "personen. Skriv en grunn for å plassere likevel."),
                          code="placement_warning")
    if current is not None:
        current.placed_to, current.updated_at = today, clock.now()
        current.save(update_fields=["placed_to", "updated_at"])
    placement = Placement.objects.create(
        person=person, unit=actor.agency, section=section, kind=kind, placed_by=actor.user,
        placed_from=today, warned=bool(conflicts),
        override_reason=override_reason if conflicts else "")
    audit_record(action=Action.REENTRY_PLACEMENT, actor=actor, obj=placement, persons=[person],
                 purpose=PURPOSE, details={"event": kind, "warning": bool(conflicts)})
    if conflicts:
        audit_record(action=Action.REENTRY_PLACEMENT_OVERRIDE, actor=actor, obj=placement,
                     persons=[person], purpose=PURPOSE,
                     details={"conflicts": len(conflicts)})
    return placement


def placements_for_unit(*, actor: Actor) -> list[Placement]:
    """The unit's current placements, with whether each was made against a warning."""
    if not access.is_kriminalomsorg(actor):
        return []
    rows = list(Placement.objects.filter(unit=actor.agency, placed_to__isnull=True)
                .select_related("person", "placed_by").order_by("section", "person__family_name"))
    audit_record(action=Action.REENTRY_LIST, actor=actor, persons=[p.person_id for p in rows],
                 purpose=PURPOSE, details={"list": "placements", "count": len(rows)})
    return rows
