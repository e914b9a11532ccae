"""What the case pages need besides the sharing selectors: consents about to lapse when the young
person changes age band, who may be added to a team, and who may end a membership. Entries are
never read here: only through laget.sharing.selectors."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, Membership, Role, User
from laget.records.models import Case, TeamMember
from laget.records.services import CASE_ROLES, is_district_coordinator
from laget.sharing.engine import context_at
from laget.sharing.models import AgeBand, Consent


def birthday(birth_date: dt.date, years: int) -> dt.date:
    """The day a person turns `years` (born 29 February: on 1 March in other years, as the
    sharing engine counts age)."""
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:
        return dt.date(birth_date.year + years, 3, 1)


@dataclass(frozen=True)
class LapsingConsent:
    consent: Consent
    lapses_on: dt.date
    turns: int
    lapsed: bool


def consents_lapsing(*, consents: Iterable[Consent], birth_date: dt.date) -> list[LapsingConsent]:
    """Live consents given in a younger age band (under 16, 16–17) that lapse when the person
    turns 16 or 18 within LAGET_CONSENT_LAPSE_WARNING_DAYS, or that already have lapsed so."""
    ctx = context_at()
    day = ctx.day
    horizon = day + dt.timedelta(days=settings.LAGET_CONSENT_LAPSE_WARNING_DAYS)
    turns_at = {AgeBand.UNDER_16: ctx.joint_from_age, AgeBand.AGE_16_17: ctx.adult_from_age}
    result = []
    for consent in consents:
        years = turns_at.get(consent.age_band)
        if years is None or consent.is_withdrawn:
            continue
        if not consent.valid_from <= day <= consent.valid_to:
            continue
        lapses_on = birthday(birth_date, years)
        if lapses_on <= horizon and lapses_on <= consent.valid_to:
            result.append(LapsingConsent(consent, lapses_on, years, lapsed=lapses_on <= day))
    return sorted(result, key=lambda item: item.lapses_on)


def may_add_members(*, actor: Actor, case: Case) -> bool:
    """The case's coordinator (a coordinator or leader in its bydel) or an agency's leader."""
    return is_district_coordinator(actor, case.district_id) or actor.role == Role.LEADER


def team_agency_choices(*, actor: Actor, case: Case) -> QuerySet[Agency]:
    """Agencies whose people the actor may add: for the case's coordinator every agency with
    someone in a case role; for another agency's leader only their own."""
    agencies = Agency.objects.filter(
        pk__in=Membership.objects.active().filter(role__in=CASE_ROLES).values("agency_id")
    ).order_by("name")
    if is_district_coordinator(actor, case.district_id):
        return agencies
    if actor.role == Role.LEADER and actor.agency is not None:
        return agencies.filter(pk=actor.agency.pk)
    return agencies.none()


def team_user_choices(*, agency: Agency) -> QuerySet[User]:
    """The agency's people in a case role today."""
    return User.objects.filter(
        pk__in=Membership.objects.active().filter(agency=agency, role__in=CASE_ROLES)
        .values("user_id"),
        is_active=True,
    ).order_by("last_name", "first_name", "pk")


def may_end_membership(*, actor: Actor, case: Case, member: TeamMember) -> bool:
    """Mirrors records.services.team_member_end, to show the button only where it works."""
    return bool(
        is_district_coordinator(actor, case.district_id)
        or (actor.agency == member.agency and actor.role == Role.LEADER)
        or actor.user.pk == member.user_id
    )
