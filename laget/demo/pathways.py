"""The demo's offer catalogue and referrals: the synthetic example catalogue
(`data/pathways/example_offers.csv` — clubs with opening hours, sport, jobs, a job centre, a mentor
programme, an alternative arena and parent support in each pilot bydel) loaded through the real
import, then in each pilot bydel one young person referred to the youth club with a consent, the
club's answer and some weeks of attendance, through the real services and then dated back.
Idempotent: the import updates by external_ref, and a bydel with referrals is left alone."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import transaction

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Membership, Role
from laget.core import clock
from laget.core.errors import DomainError
from laget.pathways import services
from laget.pathways.importer import offers_import
from laget.pathways.models import Offer, OfferKind, Referral
from laget.people.models import Guardian
from laget.records.models import Case, CaseStatus, TeamMember
from laget.sharing import services as sharing_services

EXAMPLE = Path(settings.BASE_DIR) / "data" / "pathways" / "example_offers.csv"
#: the referral is this many days old; attendance is recorded weekly after it
REFERRED_DAYS_AGO = 45


def _actor(user_id: int, agency_id: object) -> Actor | None:
    membership = (Membership.objects.select_related("agency", "user")
                  .filter(user_id=user_id, agency_id=agency_id).first())
    return Actor(membership.user, membership) if membership else None


def build_pathways(*, districts: dict[str, str]) -> int:
    """Load the catalogue and seed referrals; returns the referrals created."""
    offers_import(text=EXAMPLE.read_text(encoding="utf-8"), actor=None,
                  file_name=EXAMPLE.name)
    created = 0
    today = clock.today()
    for code, slug in districts.items():
        if Referral.objects.filter(case__district_id=code).exists():
            continue
        club = Offer.objects.filter(district_id=code, kind=OfferKind.CLUB).first()
        staff = Membership.objects.filter(agency__code=f"fritid-{slug}",
                                          role=Role.CASEWORKER).first()
        if club is None or staff is None:
            continue
        provider = Actor(staff.user, staff)
        start = today - dt.timedelta(days=REFERRED_DAYS_AGO)
        for case in Case.objects.filter(district_id=code).exclude(
                status=CaseStatus.CLOSED).select_related("person").order_by("created_at", "id"):
            if not club.age_min <= case.person.age_on(start) <= club.age_max:
                continue
            lead = TeamMember.objects.active().filter(
                case=case, agency__type=AgencyType.BYDEL, agency__district_id=code).first()
            coordinator = _actor(lead.user_id, lead.agency_id) if lead else None
            if coordinator is None:
                continue
            guardian = case.person.guardians.filter(parental_responsibility=True).first()
            try:
                created += _refer(case, club, coordinator, provider, guardian, start)
            except DomainError:
                continue  # this case does not fit (no guardian, closed): try the next one
            break
    return created


@transaction.atomic
def _refer(case: Case, club: Offer, coordinator: Actor, provider: Actor,
           guardian: Guardian | None, start: dt.date) -> int:
    """One referral with its consent, the club's yes and weekly attendance since `start` (all or
    nothing). Made now — the sharing engine decides under the rulebook in force, which the demo
    loaded today — and then dated back to `start`, as the demo's workflow dates its cases back."""
    today = clock.today()
    sharing_services.consent_register(
        actor=coordinator, case=case, given_by="both",
        guardian_ids=[guardian.pk] if guardian else [], method="signed_form",
        categories=["identitet", "aktivitet"], recipients=["fritid"], purposes=["oppfolging"],
        valid_from=today, valid_to=today + dt.timedelta(days=365),
        youth_view="Vil gjerne begynne på klubben.")
    referral = services.referral_create(
        actor=coordinator, case=case, offer=club,
        text="Ønsker et fast sted å være etter skolen, liker musikk og fotball. Trenger litt "
             "ekstra oppfølging de første gangene.")
    services.referral_decide(actor=provider, referral=referral, decision="accept")
    began = dt.datetime.combine(start, dt.time(10), tzinfo=clock.OSLO)
    Referral.objects.filter(pk=referral.pk).update(
        created_at=began, decided_at=began + dt.timedelta(days=2))
    referral.refresh_from_db()
    for week in range(1, REFERRED_DAYS_AGO // 7 + 1):
        services.attendance_record(actor=provider, referral=referral,
                                   on=start + dt.timedelta(days=7 * week),
                                   attended=week % 4 != 0)
    return 1
