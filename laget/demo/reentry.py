"""Reentry in the demo, through the real services (audited): five synthetic young adults of the
first pilot bydel. One is released in ten days and handed over to NAV with the checklist half done
(the NAV advisor's alert), one is registered for release in ten weeks, one was released (clock
turned back) with the 3-month outcome recorded. The police have registered two of them in one
(fictional) network and a third in conflict with it; kriminalomsorgen has placed two in
sections, and the two agencies have exchanged a message each way (one read). Skipped when any
release exists."""

import datetime as dt

from laget.accounts.actor import Actor
from laget.accounts.models import Membership, User
from laget.core import clock
from laget.core.errors import DomainError
from laget.people.models import Person
from laget.reentry import exchange, placement, services
from laget.reentry.models import AffiliationKind, Release

NETWORK = ("nordre", "Nordre nettverket (demo)")


def _actor(username: str) -> Actor | None:
    user = User.objects.filter(username=username).first()
    membership = (Membership.objects.select_related("agency").filter(user=user).first()
                  if user else None)
    return Actor(user, membership) if membership else None


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=clock.OSLO)


def build_reentry(*, districts: dict[str, str]) -> int:
    """Returns the number of releases registered."""
    if Release.objects.exists():
        return 0
    code, slug = next(iter(districts.items()))
    ko, nav, police = (_actor("kriminalomsorg"), _actor(f"nav.{slug}"),
                       _actor(f"politi.{slug}"))
    if ko is None or nav is None or police is None:
        return 0
    today = clock.today()
    persons = [p for p in Person.objects.filter(
        district_id=code, is_synthetic=True, national_id__isnull=False).order_by("national_id")
        if 19 <= p.age_on(today) <= 23][:5]
    if len(persons) < 5:
        return 0
    soon, later, released, held, rival = persons
    office, district = nav.agency, soon.district

    def register(person: Person, expected: dt.date, reason: str = "") -> Release:
        return services.release_register(
            actor=ko, national_id=person.national_id or "", given_name="", family_name="",
            expected_date=expected, kind="parole", conditions="Meldeplikt hos friomsorgen.",
            municipality="Oslo", district=district, short_notice_reason=reason)

    first = register(soon, today + dt.timedelta(days=10), "Dommen ble rettskraftig sent.")
    plan = services.release_handover(actor=ko, release=first, nav_office=office,
                                     owner=nav.user)
    services.plan_update(actor=nav, plan=plan, data={
        "work": "Arbeidstrening hos en demoarbeidsgiver fra uke 2.",
        "housing": "Søknad om kommunal bolig sendt.", "first_day_contact": "Nils Navrådgiver",
        "id_documents": True, "bank_account": True})
    register(later, today + dt.timedelta(weeks=10))

    start = today - dt.timedelta(days=200)
    with clock.frozen(_at(start)):
        past = register(released, start + dt.timedelta(days=60))
        past_plan = services.release_handover(actor=ko, release=past, nav_office=office,
                                              owner=nav.user)
        services.plan_update(actor=nav, plan=past_plan, data={
            "education": "Fullføre videregående, privatisteksamen.", "id_documents": True,
            "bank_account": True, "housing_confirmed": True,
            "first_meeting_on": past.expected_date + dt.timedelta(days=1)})
    with clock.frozen(_at(past.expected_date)):
        services.release_confirm(actor=ko, release=past, actual_date=past.expected_date)
    services.outcome_record(actor=nav, plan=past_plan, milestone=3, occupation="education",
                            housing_stable=True, new_conviction=False)

    code_, name = NETWORK
    for person, kind in ((soon, AffiliationKind.MEMBER), (held, AffiliationKind.MEMBER),
                         (rival, AffiliationKind.CONFLICT)):
        placement.network_register(actor=police, person=person, network_code=code_,
                                   network_name=name, kind=kind)
    placement.placement_create(actor=ko, person=held, section="Avdeling B", kind="placement")
    placement.placement_create(actor=ko, person=soon, section="Avdeling A", kind="placement")

    # the exchange needs the rules in force (the demo's unreviewed rules count)
    try:
        to_ko = exchange.message_send(
            actor=police, person=held, receiver=ko.agency, category="network",
            purpose="forebygging", text="Registrert i Nordre nettverket (demo).")
        exchange.message_read_for(actor=ko, message_id=to_ko.pk)
        exchange.message_send(
            actor=ko, person=soon, receiver=police.agency, category="release",
            purpose="forebygging", text="Ventes løslatt om ti dager, bosatt i bydelen.")
    except DomainError:
        pass
    return 3
