"""The family support in the demo, written through the real services (audited) with the clock
turned back: in the first pilot bydel a guardian referred to a parent-support programme (after
the guardians' consent) who attended three sessions and completed it, and one relocation
application with the protected flag, decided partly and partly paid; interpreter bookings in the
first two pilot bydeler. A parent-support programme is added to the catalogue only when it has
none. Skipped when the demo already has referrals or applications."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, Membership, Role
from laget.core import clock
from laget.familysupport import services
from laget.familysupport.models import (
    InterpreterBooking,
    ParentSupportReferral,
    RelocationApplication,
)
from laget.pathways.models import Offer, OfferKind
from laget.people.models import Guardian
from laget.records.models import Case
from laget.sharing.services import consent_register


@contextmanager
def _at(day: dt.date, hour: int = 10) -> Iterator[None]:
    with clock.frozen(dt.datetime.combine(day, dt.time(hour), tzinfo=clock.OSLO)):
        yield


def _actor(code: str, role: str) -> Actor | None:
    membership = (Membership.objects.select_related("agency", "user")
                  .filter(agency__code=code, role=role).order_by("created_at").first())
    return Actor(membership.user, membership) if membership else None


def _open_cases(district: str) -> list[Case]:
    # the demo opens a bydel's cases at one frozen moment: order by the person too, so that the
    # same cases are chosen on every database
    return list(Case.objects.filter(district_id=district).open().select_related("person")
                .order_by("created_at", "person__birth_date", "person__family_name",
                          "person__given_name"))


def _parent_offer(slug: str, district: str) -> Offer | None:
    offer = Offer.objects.filter(kind=OfferKind.PARENT_SUPPORT, active=True).first()
    if offer is not None:
        return offer
    provider = Agency.objects.filter(code=f"fritid-{slug}").first()
    if provider is None:
        return None
    return Offer.objects.create(
        provider=provider, kind=OfferKind.PARENT_SUPPORT, district_id=district,
        name="Foreldreveiledning i grupper (demo)", age_min=10, age_max=18,
        description="Åtte samlinger for foreldre med tolk ved behov.", languages=["ar", "so"])


def _parent_support(slug: str, district: str, cases: list[Case], today: dt.date) -> Case | None:
    coordinator = _actor(f"bydel-{slug}", Role.COORDINATOR)
    offer = _parent_offer(slug, district)
    if coordinator is None or offer is None:
        return None
    provider = (Membership.objects.select_related("agency", "user")
                .filter(agency=offer.provider, role__in=[Role.CASEWORKER, Role.COORDINATOR,
                                                         Role.LEADER]).first())
    for case in cases:
        responsible = list(Guardian.objects.filter(person=case.person,
                                                   parental_responsibility=True))
        referable = [g for g in responsible if not g.restricted_contact]
        if referable and provider is not None:
            break
    else:
        return None
    start = today - dt.timedelta(days=45)
    with _at(start):
        consent_register(
            actor=coordinator, case=case, given_by="both",
            guardian_ids=[g.pk for g in responsible], method="signed_form",
            categories=["identitet", "familie"], recipients=[offer.provider.type],
            purposes=["oppfolging"], valid_from=start, valid_to=start + dt.timedelta(days=365),
            youth_view="Synes det er greit at mor får veiledning.")
        [referral] = services.parent_referral_create(
            actor=coordinator, case=case, guardian_ids=[referable[0].pk], offer=offer,
            text="Mor ønsker hjelp til grensesetting og samarbeid med skolen.")
    provider_actor = Actor(provider.user, provider)
    with _at(start + dt.timedelta(days=2)):
        services.parent_referral_answer(actor=provider_actor, referral=referral, accept=True)
    for days in (9, 16, 23):
        with _at(start + dt.timedelta(days=days), hour=18):
            services.parent_session_record(actor=provider_actor, referral=referral,
                                           held_on=start + dt.timedelta(days=days))
    with _at(start + dt.timedelta(days=30)):
        services.parent_outcome_record(actor=provider_actor, referral=referral,
                                       outcome="completed", benefit=4,
                                       note="Fullførte; vil gjerne ha oppfølgingssamtale.")
    return case


def _relocation(slug: str, district: str, case: Case, today: dt.date) -> None:
    coordinator = _actor(f"bydel-{slug}", Role.COORDINATOR)
    leader = _actor(f"bydel-{slug}", Role.LEADER)
    handler = _actor(f"bydel-{slug}", Role.CASEWORKER)
    guardians = list(Guardian.objects.filter(person=case.person, parental_responsibility=True))
    if coordinator is None or leader is None or not guardians:
        return
    start = today - dt.timedelta(days=30)
    with _at(start):
        application = services.relocation_create(
            actor=coordinator, case=case, guardian_ids=[g.pk for g in guardians],
            leader=leader.user, handlers=[handler.user] if handler else [],
            grounds="Den unge er rekruttert inn i et miljø i nærområdet og har fått trusler. "
                    "Familien ønsker å flytte for å gi en ny start.",
            reasons=["kriminelt_miljo", "trusler"], destination_number="1108", protected=True,
            cost_moving=18_000, cost_deposit=36_000, cost_other=6_000)
    with _at(start + dt.timedelta(days=7)):
        services.relocation_decide(
            actor=leader, application=application, decision="partly", amount=54_000,
            reason="Flytting og depositum dekkes; andre kostnader dekkes ikke.",
            decided_on=start + dt.timedelta(days=7))
    with _at(start + dt.timedelta(days=12)):
        services.relocation_payment_add(actor=coordinator, application=application,
                                        paid_on=start + dt.timedelta(days=12), amount=36_000,
                                        purpose="Depositum for ny bolig")


BOOKINGS = [  # (days ago, minutes, language, mode, qualification, cost)
    (20, 90, "so", "oppmote", "A", 1_650),
    (13, 60, "ar", "video", "C", 900),
    (6, 45, "ti", "telefon", "none", 550),
]


def _interpreters(slug: str, cases: list[Case], today: dt.date) -> None:
    coordinator = _actor(f"bydel-{slug}", Role.COORDINATOR)
    if coordinator is None or not cases:
        return
    for index, (days, minutes, language, mode, qualification, cost) in enumerate(BOOKINGS):
        case = cases[index % len(cases)]
        when = today - dt.timedelta(days=days)
        meeting = case.meetings.filter(starts_at__date__lte=when).order_by("-starts_at").first()
        with _at(when - dt.timedelta(days=2)):
            services.interpreter_book(
                actor=coordinator, case=case,
                kind="meeting" if meeting else "conversation", meeting=meeting,
                starts_at=dt.datetime.combine(when, dt.time(13), tzinfo=clock.OSLO),
                duration_minutes=minutes, language_code=language,
                interpreter_name=f"Tolk {index + 1} (demo)", qualification=qualification,
                mode=mode, cost_nok=cost, budget_year=when.year)


def build_familysupport(*, districts: dict[str, str]) -> None:
    if (ParentSupportReferral.objects.exists() or RelocationApplication.objects.exists()
            or InterpreterBooking.objects.exists()):
        return
    today = clock.today()
    pilots = list(districts.items())
    for position, (district, slug) in enumerate(pilots[:2]):
        cases = _open_cases(district)
        if not cases:
            continue
        if position == 0:
            referred = _parent_support(slug, district, cases, today)
            others = [c for c in cases if c != referred and Guardian.objects.filter(
                person=c.person, parental_responsibility=True).exists()]
            if others:
                _relocation(slug, district, others[0], today)
        _interpreters(slug, cases, today)
