"""Reports to barnevern (melding til barnevernet): another agency tells the barnevern service of
a child's bydel what happened, under the duty to report (barnevernsloven § 13-2; for the police
also straffeprosessloven § 232 a) — today the police's weapon trigger sends one. The sharing
engine decides whether there is a basis (`sharing.engine.report_basis`): a reviewed rule that
allows it without consent or a team. Where there is none, nothing is sent and the sender is
told to report the usual way.

Barnevern staff of the bydel (case roles in a barnevern agency of that district) are told by a
staff notification (no personal data), read the report — an audited read on the report's rule —
and acknowledge receipt; the weapon follow-up on the case counts a report as «barnevern
informed» once it is acknowledged."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType, Membership
from laget.areas.models import District
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.services import audit_record
from laget.cases.models import BarnevernReport
from laget.core import clock
from laget.core.errors import NotFound
from laget.notify.services import notify_user
from laget.people.models import Person
from laget.records.models import Case
from laget.records.services import CASE_ROLES
from laget.sharing.engine import age_on, report_basis

#: from this age barnevernsloven's duty to report no longer applies
AGE_OF_MAJORITY = 18


@dataclass(frozen=True)
class ReportOutcome:
    """The report sent, or why none was (then the sender reports the usual way)."""

    report: BarnevernReport | None
    manual_reason: str = ""


def is_barnevern(actor: Actor) -> bool:
    return (actor.membership is not None and actor.role in CASE_ROLES
            and actor.membership.agency.type == AgencyType.BARNEVERN)


def _recipients(district: District) -> list[Membership]:
    return list(Membership.objects.active(clock.today())
                .filter(agency__type=AgencyType.BARNEVERN, agency__district=district,
                        role__in=CASE_ROLES, user__is_active=True)
                .select_related("user").order_by("user_id"))


def barnevern_report_send(
    *, actor: Actor, source_agency: Agency, district: District, person: Person | None,
    given_name: str, family_name: str, birth_date: dt.date, national_id: str, text: str,
    category: str, case: Case | None, origin_id: uuid.UUID,
) -> ReportOutcome:
    """Send a report about a child to the barnevern service of `district`, in the caller's
    transaction, if a rule gives the basis (see the module docstring). One report per
    `origin_id`: a repeat returns the report already sent."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("barnevern_report_send must run inside the caller's transaction")
    if age_on(birth_date, clock.today()) >= AGE_OF_MAJORITY:
        return ReportOutcome(None, _("Personen er 18 år eller eldre; ingen melding til "
                                     "barnevernet."))
    existing = BarnevernReport.objects.filter(origin_id=origin_id).first()
    if existing is not None:
        return ReportOutcome(existing)
    rule = report_basis(source_type=source_agency.type, recipient_type=AgencyType.BARNEVERN,
                        category=category, purpose=Purpose.MELDING_BARNEVERN,
                        birth_date=birth_date)
    if rule is None:
        return ReportOutcome(None, _(
            "Laget har ingen gjennomgått regel som gir grunnlag for å sende meldingen. Meld til "
            "barnevernet på vanlig måte."))
    report = BarnevernReport.objects.create(
        district=district, person=person, national_id=national_id or "", given_name=given_name,
        family_name=family_name, birth_date=birth_date, case=case, text=text,
        source_agency=source_agency, sent_by=actor.user, basis_rule=rule.rule_id,
        basis_citation=rule.citation[:200], origin_id=origin_id)
    audit_record(action=Action.BARNEVERN_REPORT_SEND, actor=actor, obj=report,
                 persons=[person.pk] if person else [], basis=rule.rule_id,
                 purpose=Purpose.MELDING_BARNEVERN)
    recipients = _recipients(district)
    link = reverse("web:barnevern_report", kwargs={"report_id": report.pk})
    for membership in recipients:
        notify_user(user=membership.user, key=f"bvreport:{report.pk}:{membership.user_id}",
                    subject=_("Ny melding til barnevernet"),
                    body=_("En annen virksomhet har sendt en melding til barnevernet i bydelen. "
                           "Åpne den i Laget for å lese den og bekrefte at den er mottatt."),
                    link=link)
    if not recipients:
        return ReportOutcome(report, _(
            "Ingen i barnevernet i bydelen bruker Laget ennå. Meldingen er lagret, men ring "
            "barnevernet også."))
    return ReportOutcome(report)


def _for_reader(actor: Actor) -> QuerySet[BarnevernReport]:
    if not is_barnevern(actor):
        return BarnevernReport.objects.none()
    assert actor.membership is not None
    return (BarnevernReport.objects.filter(district_id=actor.membership.agency.district_id)
            .select_related("source_agency", "sent_by", "received_by", "district"))


def reports_for(*, actor: Actor, limit: int = 100) -> list[BarnevernReport]:
    """The reports to the reader's barnevern service: not yet received first, then the newest
    (audited: the persons listed)."""
    reports = list(_for_reader(actor).order_by(F("received_at").desc(nulls_first=True),
                                               "-sent_at", "id")[:limit])
    if reports:
        audit_record(action=Action.BARNEVERN_REPORT_VIEW, actor=actor,
                     persons=[r.person_id for r in reports if r.person_id],
                     purpose=Purpose.MELDING_BARNEVERN, details={"list": len(reports)})
    return reports


def unreceived_count_for(*, actor: Actor) -> int:
    """How many reports wait for the reader's service to acknowledge them (no names: not
    audited)."""
    return _for_reader(actor).filter(received_at__isnull=True).count()


def report_get_for(*, actor: Actor, report_id: uuid.UUID | str) -> BarnevernReport:
    """One report to the reader's barnevern service (audited, on the report's rule)."""
    report = _for_reader(actor).filter(pk=report_id).first()
    if report is None:
        audit_record(action=Action.BARNEVERN_REPORT_VIEW, actor=actor, outcome=Outcome.DENIED,
                     purpose=Purpose.MELDING_BARNEVERN, details={"object_id": str(report_id)})
        raise NotFound()
    audit_record(action=Action.BARNEVERN_REPORT_VIEW, actor=actor, obj=report,
                 persons=[report.person_id] if report.person_id else [],
                 basis=report.basis_rule, purpose=Purpose.MELDING_BARNEVERN)
    return report


@transaction.atomic
def barnevern_report_receive(*, actor: Actor, report_id: uuid.UUID | str) -> BarnevernReport:
    """Barnevern acknowledges the report (once; a repeat changes nothing)."""
    report = _for_reader(actor).select_for_update(of=("self",)).filter(pk=report_id).first()
    if report is None:
        raise NotFound()
    if report.received_at is None:
        report.received_at, report.received_by = clock.now(), actor.user
        report.updated_at = report.received_at
        report.save(update_fields=["received_at", "received_by", "updated_at"])
        audit_record(action=Action.BARNEVERN_REPORT_RECEIVE, actor=actor, obj=report,
                     persons=[report.person_id] if report.person_id else [],
                     basis=report.basis_rule, purpose=Purpose.MELDING_BARNEVERN)
    return report


def report_status_for_sender(*, report_id: uuid.UUID | str | None) -> BarnevernReport | None:
    """The sender's view of its own report: sent, and whether barnevern has received it."""
    if not report_id:
        return None
    return (BarnevernReport.objects.filter(pk=report_id).select_related("district")
            .only("id", "sent_at", "received_at", "district__name").first())
