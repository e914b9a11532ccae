"""Writes that the sharing engine owns: entries (added, corrected — never edited), consents
(registered, withdrawn), and emergency access (opened, reviewed). Atomic and audited."""

import datetime as dt
import errno
import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, Role, User
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.people.models import Guardian
from laget.records.access import entries_opened
from laget.records.models import Case, Entry, EntryAttachment, TeamMember
from laget.records.services import case_require_open, is_district_coordinator
from laget.records.vocabulary import (
    AGENCY_TYPE_REVEALS,
    EXISTENCE_CONFIDENTIAL,
    RECIPIENTS,
    InfoCategory,
    SharingPurpose,
)
from laget.sharing.engine import (
    Context,
    age_on,
    context_at,
    current_entries,
    decide,
    explain_many,
    load_facts,
    may_read_entries,
    visible_to,
)
from laget.sharing.guide import consent_needed_from, consent_satisfies
from laget.sharing.models import (
    BasisKind,
    Consent,
    ConsentGivenBy,
    ConsentGrant,
    ConsentMethod,
    Disclosure,
    EmergencyAccess,
    ReviewOutcome,
    WithdrawnBy,
)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_CONTENT_TYPES = frozenset({
    "application/pdf", "image/png", "image/jpeg", "text/plain",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
})


def sniffed_content_type(data: bytes) -> str | None:
    """The type the bytes themselves show (filetype's signatures; Word as a zip holding
    word/document.xml), or text/plain for UTF-8 text with no control characters but tab and line
    breaks; None for anything else. The declared type must agree: a renamed executable or an HTML
    page sent as text is refused."""
    kind = filetype.guess_mime(data)
    if kind is not None:
        return kind if kind in ALLOWED_CONTENT_TYPES else None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        return None
    if text.lstrip()[:1] == "<":  # markup would be text to us but a page to a browser
        return None
    return "text/plain"


@dataclass(frozen=True)
class NewAttachment:
    name: str
    content_type: str
    data: bytes


def _require_writer(actor: Actor, case: Case) -> None:
    """Team members in a case role, and the case's own coordinator, may add to a case."""
    if not may_read_entries(actor) or actor.membership is None:
        raise DomainError(_("Rollen din kan ikke registrere opplysninger."), code="role")
    case_require_open(case)
    on_team = TeamMember.objects.active().filter(
        case=case, user_id=actor.user.pk, agency_id=actor.membership.agency_id
    ).exists()
    if not (on_team or is_district_coordinator(actor, case.district_id)):
        raise DomainError(_("Du må være med i teamet for å registrere opplysninger."),
                          code="not_on_team")


#: errors of a full disk (or quota): the upload is refused with a message, not a 500
_STORAGE_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


@contextmanager
def _stored_files() -> Iterator[list[str]]:
    """The names of the files a write stores, removed again when the write fails (its
    transaction rolls back; the files would stay). Entered outside the write's transaction so that
    a failed commit removes them too."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            _remove_file(name)
        raise


def _remove_file(name: str) -> None:
    storage = EntryAttachment._meta.get_field("file").storage  # type: ignore[union-attr]
    with suppress(OSError):
        storage.delete(name)
    with suppress(OSError, NotImplementedError):  # the entry's folder, if now empty
        os.rmdir(storage.path(os.path.dirname(name)))


def _attach(entry: Entry, files: Sequence[NewAttachment], stored: list[str]) -> None:
    for item in files:
        if len(item.data) > MAX_ATTACHMENT_BYTES:
            raise DomainError(_("Vedlegget er større enn 10 MB."), code="attachment_size")
        if item.content_type not in ALLOWED_CONTENT_TYPES:
            raise DomainError(_("Vedlegg må være PDF, PNG, JPEG, tekst eller Word."),
                              code="attachment_type")
        if sniffed_content_type(item.data) != item.content_type:
            raise DomainError(_("Innholdet i vedlegget stemmer ikke med filtypen."),
                              code="attachment_content")
        attachment = EntryAttachment(
            id=uuid.uuid4(), entry=entry, name=item.name[:200] or "vedlegg",
            content_type=item.content_type, size=len(item.data),
            sha256=EntryAttachment.digest(item.data),
        )
        # A fresh uuid: the storage keeps this name (no suffix), so a half-written file can be
        # found and removed.
        name = attachment.file.field.generate_filename(attachment, str(attachment.pk))
        try:
            attachment.file.save(str(attachment.pk), ContentFile(item.data), save=False)
        except OSError as error:
            _remove_file(name)
            if error.errno in _STORAGE_FULL:
                raise DomainError(
                    _("Vedlegget kunne ikke lagres fordi lagringsplassen er full. Ingenting ble "
                      "registrert. Prøv igjen senere, og si fra til brukerstøtte om det "
                      "gjentar seg."), code="attachment_storage") from error
            raise
        stored.append(attachment.file.name)
        attachment.save()


def entry_add(
    *, actor: Actor, case: Case, category: str, text: str,
    purpose: str = SharingPurpose.FOREBYGGING, attachments: Sequence[NewAttachment] = (),
) -> Entry:
    """Add an entry from the actor's agency to the case."""
    with _stored_files() as stored, transaction.atomic():
        _require_writer(actor, case)
        if category not in InfoCategory.values:
            raise DomainError(_("Ukjent kategori."), code="category")
        if purpose not in SharingPurpose.values:
            raise DomainError(_("Ukjent formål."), code="purpose")
        text = text.strip()
        if not text:
            raise DomainError(_("Skriv opplysningen."), code="text")
        assert actor.membership is not None
        with entries_opened():
            entry = Entry.objects.create(
                case=case, source_agency=actor.membership.agency, category=category,
                purpose=purpose, text=text, author=actor.user,
            )
            _attach(entry, attachments, stored)
        audit_record(action=Action.ENTRY_CREATE, actor=actor, obj=entry,
                     persons=[case.person_id], purpose=purpose,
                     details={"category": category, "attachments": len(attachments)})
    return entry


def entry_correct(
    *, actor: Actor, case: Case, entry_id: uuid.UUID | str, text: str,
    attachments: Sequence[NewAttachment] = (),
) -> Entry:
    """Correct one of the actor's agency's entries: a new entry supersedes the old one; both
    stay in the history."""
    with _stored_files() as stored, transaction.atomic():
        _require_writer(actor, case)
        assert actor.membership is not None
        with entries_opened():
            old = (
                Entry.objects.select_for_update()
                .filter(case=case, pk=entry_id, source_agency_id=actor.membership.agency_id)
                .first()
            )
            if old is None:
                raise NotFound()
            if Entry.objects.filter(supersedes=old).exists():
                raise DomainError(
                    _("Opplysningen er allerede rettet; rett den nyeste versjonen."),
                    code="superseded")
            text = text.strip()
            if not text:
                raise DomainError(_("Skriv opplysningen."), code="text")
            entry = Entry.objects.create(
                case=case, source_agency=old.source_agency, category=old.category,
                purpose=old.purpose, text=text, author=actor.user, supersedes=old,
            )
            _attach(entry, attachments, stored)
        audit_record(action=Action.ENTRY_CORRECT, actor=actor, obj=entry,
                     persons=[case.person_id], purpose=old.purpose,
                     details={"supersedes": str(old.pk)})
    return entry


@transaction.atomic
def concern_entry_add(
    *, actor: Actor, case: Case, category: str, text: str, author: User, source_agency: Agency,
) -> Entry:
    """A concern's text as an entry on the case from the agency that submitted it. The submitter
    need not be on the team: a concern is the agency's information, delivered to the bydel, and
    the rules decide who on the team reads it. `actor` is who delivers it (the submitter when it
    lands on an open case, the coordinator who opens a case from it); `author` wrote it."""
    if category not in InfoCategory.values:
        raise DomainError(_("Ukjent kategori."), code="category")
    text = text.strip()
    if not text:
        raise DomainError(_("Skriv opplysningen."), code="text")
    case_require_open(case)
    with entries_opened():
        entry = Entry.objects.create(
            case=case, source_agency=source_agency, category=category,
            purpose=SharingPurpose.FOREBYGGING, text=text, author=author,
        )
    audit_record(action=Action.ENTRY_CREATE, actor=actor, obj=entry, persons=[case.person_id],
                 purpose=SharingPurpose.FOREBYGGING,
                 details={"category": category, "attachments": 0, "from_concern": True})
    return entry


# --- consent -------------------------------------------------------------------------------------

def _codes(values: Sequence[str], allowed: Sequence[str], message: str) -> list[str]:
    values = list(dict.fromkeys(values))
    if not values or any(v not in allowed for v in values):
        raise DomainError(message, code="scope")
    return values


@dataclass(frozen=True)
class ConsentTerms:
    """A consent's scope, checked: the codes de-duplicated, the person's age and band."""

    categories: list[str]
    recipients: list[str]
    purposes: list[str]
    age: int
    band: str


def consent_terms_check(
    *, case: Case, given_by: str, categories: Sequence[str], recipients: Sequence[str],
    purposes: Sequence[str], valid_from: dt.date, valid_to: dt.date, youth_view: str = "",
) -> ConsentTerms:
    """The checks a consent's terms must pass, registered or proposed (laget.sharing.proposals):
    who must give it by the person's age (rulebook consent settings) for every category, the
    period, and the young person heard from the settings' age when the guardians give it."""
    if given_by not in ConsentGivenBy.values:
        raise DomainError(_("Oppgi hvem som har gitt samtykket."), code="given_by")
    categories = _codes(categories, InfoCategory.values, _("Ukjent eller manglende kategori."))
    recipients = _codes(recipients, RECIPIENTS, _("Ukjent eller manglende mottaker."))
    purposes = _codes(purposes, SharingPurpose.values, _("Ukjent eller manglende formål."))
    if valid_to < valid_from:
        raise DomainError(_("Sluttdatoen er før startdatoen."), code="period")
    today = clock.today()
    if valid_to < today:
        raise DomainError(_("Samtykket er allerede utløpt."), code="period")
    ctx = context_at()
    age = age_on(case.person.birth_date, max(valid_from, today))
    band = ctx.band(age)
    for category in categories:
        needed = consent_needed_from(ctx, category, band)
        if not consent_satisfies(given_by, needed):
            raise DomainError(
                _("For %(category)s må samtykket gis av %(who)s når personen er %(age)s år.")
                % {"category": InfoCategory(category).label,
                   "who": ConsentGivenBy(needed).label.lower(), "age": age},
                code="given_by",
            )
    heard_from = int(ctx.version.consent_settings.get("youth_heard_from_age", 12)
                     if ctx.version else 12)
    if given_by == ConsentGivenBy.GUARDIAN and age >= heard_from and not youth_view.strip():
        raise DomainError(_("Den unge skal høres fra %(age)s år: skriv ned den unges syn.")
                          % {"age": heard_from}, code="youth_view")
    return ConsentTerms(categories, recipients, purposes, age, band)


@transaction.atomic
def consent_register(
    *, actor: Actor | None, case: Case, given_by: str, guardian_ids: Sequence[uuid.UUID | str],
    method: str, categories: Sequence[str], recipients: Sequence[str], purposes: Sequence[str],
    valid_from: dt.date, valid_to: dt.date, youth_view: str = "",
    details: dict[str, Any] | None = None, prepared_by: tuple[User, Agency] | None = None,
) -> Consent:
    """Register a consent after checking who must give it by the person's age (rulebook consent
    settings): under 16 every guardian with parental responsibility; 16–17 the young person and
    the guardians; from 18 the person alone (health: the young person from 16).

    `actor` None: the family gave it themselves on the family pages from a coordinator's
    proposal (laget.sharing.proposals has checked who answered, and names them in `details` for
    the audit event); `prepared_by` is the member of staff and agency whose proposal it was and
    who hold the record, as no member of staff registers it."""
    if actor is not None:
        _require_writer(actor, case)
        assert actor.membership is not None
        author, agency = actor.user, actor.membership.agency
    elif not details or prepared_by is None:
        raise DomainError(_("Oppgi hvem som har gitt samtykket."), code="given_by")
    else:
        case_require_open(case)
        author, agency = prepared_by
    if method not in ConsentMethod.values:
        raise DomainError(_("Oppgi hvordan samtykket er gitt."), code="method")
    terms = consent_terms_check(
        case=case, given_by=given_by, categories=categories, recipients=recipients,
        purposes=purposes, valid_from=valid_from, valid_to=valid_to, youth_view=youth_view)
    categories, recipients, purposes = terms.categories, terms.recipients, terms.purposes
    person = case.person
    guardians = list(Guardian.objects.filter(person=person, pk__in=list(guardian_ids)))
    if len(guardians) != len(set(map(str, guardian_ids))):
        raise DomainError(_("Ukjent foresatt."), code="guardians")
    if given_by in (ConsentGivenBy.GUARDIAN, ConsentGivenBy.BOTH):
        responsible = set(
            Guardian.objects.filter(person=person, parental_responsibility=True)
            .values_list("pk", flat=True)
        )
        if not responsible:
            raise DomainError(_("Personen har ingen registrerte foresatte med foreldreansvar."),
                              code="guardians")
        if not responsible <= {g.pk for g in guardians}:
            raise DomainError(
                _("Alle foresatte med foreldreansvar må samtykke (ved felles foreldreansvar er "
                  "det ikke nok med én)."), code="guardians")
    summary = _("Samtykke til deling av %(categories)s med %(recipients)s for %(purposes)s, "
                "gyldig %(start)s–%(end)s.") % {
        "categories": ", ".join(categories), "recipients": ", ".join(recipients),
        "purposes": ", ".join(purposes), "start": valid_from.isoformat(),
        "end": valid_to.isoformat(),
    }
    with entries_opened():
        entry = Entry.objects.create(
            case=case, source_agency=agency, category=InfoCategory.FAMILIE,
            purpose=SharingPurpose.OPPFOLGING, text=summary, author=author,
        )
    consent = Consent.objects.create(
        case=case, entry=entry, given_by=given_by, age_band=terms.band, method=method,
        youth_view=youth_view.strip(), categories=categories, recipients=recipients,
        purposes=purposes, valid_from=valid_from, valid_to=valid_to, registered_by=author,
        agency=agency,
    )
    consent.guardians.set(guardians)
    ConsentGrant.objects.bulk_create([
        ConsentGrant(consent=consent, case=case, category=c, recipient=r, purpose=p)
        for c in categories for r in recipients for p in purposes
    ])
    audit_record(action=Action.CONSENT_REGISTER, actor=actor, obj=consent,
                 persons=[person.pk], purpose=Purpose.OPPFOLGING,
                 details={"categories": categories, "recipients": recipients,
                          "purposes": purposes, "given_by": given_by, **(details or {})})
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Actor | None, consent: Consent, withdrawn_by: str,
                     details: dict[str, Any] | None = None) -> Consent:
    """Withdraw a consent; it stops counting on the very next read. Past sharing stays lawful.

    `actor` None: the guardian or young person withdraws it themselves on the family pages
    (laget.family has checked that they may, and names them in `details` for the audit event);
    no member of staff records it."""
    if actor is not None:
        _require_writer(actor, consent.case)
    elif not details:
        raise DomainError(_("Oppgi hvem som trakk samtykket tilbake."), code="withdrawn_by")
    if withdrawn_by not in WithdrawnBy.values:
        raise DomainError(_("Oppgi hvem som trakk samtykket tilbake."), code="withdrawn_by")
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise DomainError(_("Samtykket er allerede trukket tilbake."), code="withdrawn")
    locked.withdrawn_at = clock.now()
    locked.withdrawn_by = withdrawn_by
    locked.withdrawal_recorded_by = actor.user if actor is not None else None
    locked.updated_at = locked.withdrawn_at
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_recorded_by",
                               "updated_at"])
    audit_record(action=Action.CONSENT_WITHDRAW, actor=actor, obj=locked,
                 persons=[consent.case.person_id], purpose=Purpose.OPPFOLGING,
                 details={"withdrawn_by": withdrawn_by, **(details or {})})
    return locked


@transaction.atomic
def consent_end(*, actor: Actor, consent: Consent, ends_on: dt.date,
                details: dict[str, Any] | None = None) -> Consent:
    """End a consent that was given for a programme when the programme ends (laget.intensive):
    from `ends_on` it no longer counts — its last day becomes the day before. This is not a
    withdrawal (the family did not take it back); a consent already over by then is left as it
    is. A consent cannot end before its second day, as its period would be empty. The case's
    bydel coordinator ends it, also on a closed case (the programme's end is recorded then too)."""
    if not is_district_coordinator(actor, consent.case.district_id):
        raise DomainError(_("Bare sakens koordinator kan avslutte samtykket."),
                          code="not_allowed")
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    last_day = ends_on - dt.timedelta(days=1)
    if locked.withdrawn_at is not None or locked.valid_to <= last_day:
        return locked
    if last_day < locked.valid_from:
        raise DomainError(_("Samtykket kan tidligst avsluttes dagen etter at det begynte."),
                          code="period")
    locked.valid_to = last_day
    locked.updated_at = clock.now()
    locked.save(update_fields=["valid_to", "updated_at"])
    audit_record(action=Action.CONSENT_END, actor=actor, obj=locked,
                 persons=[consent.case.person_id], purpose=Purpose.OPPFOLGING,
                 details={"valid_to": last_day.isoformat(), **(details or {})})
    return locked


# --- emergency access ----------------------------------------------------------------------------

def _may_know_source(actor: Actor, case: Case, source: Agency, ctx: Context) -> bool:
    """Whether the actor may learn that barnevern or a health service is involved at all (as
    hidden_summary_for and team_for decide it)."""
    revealed = AGENCY_TYPE_REVEALS.get(source.type)
    if not revealed:
        return True
    for purpose in (Purpose.FOREBYGGING, Purpose.FARE_LIV_HELSE):
        facts = load_facts(actor, purpose, {case.pk: case.person.birth_date}, ctx)[case.pk]
        if decide(actor=actor, purpose=purpose, source_agency_id=source.pk,
                  source_type=source.type, category=revealed, facts=facts, ctx=ctx).allowed:
            return True
    return False


@transaction.atomic
def emergency_open_group(
    *, actor: Actor, case: Case, source_agency_id: uuid.UUID | str, category: str, reason: str
) -> list[Entry]:
    """Open, because of danger to life or health, the current entries of one source agency and
    category on the case: the group the hidden summary names, so that no entry id is ever shown
    to someone without a basis. Only a team member, with a reason; each entry
    the actor has no basis for gets an EmergencyAccess for the source agency's leader to review.
    An entry a rule already lets the actor read for this purpose is read on that rule instead.
    One Disclosure per entry, one audit event. Existence-confidential categories are never
    opened this way (the summary never names them)."""
    reason = reason.strip()
    if len(reason) < 10:
        raise DomainError(_("Beskriv faren for liv eller helse (minst 10 tegn)."), code="reason")
    if category in EXISTENCE_CONFIDENTIAL or category not in InfoCategory.values:
        raise NotFound()
    if not may_read_entries(actor) or actor.membership is None or not TeamMember.objects.active(
    ).filter(case=case, user_id=actor.user.pk, agency_id=actor.membership.agency_id).exists():
        raise NotFound()
    purpose = Purpose.FARE_LIV_HELSE
    ctx = context_at()
    with entries_opened():
        entries = list(
            Entry.objects.select_related("case__person", "source_agency", "author")
            .filter(current_entries(), case=case, source_agency_id=source_agency_id,
                    category=category)
            .exclude(source_agency_id=actor.membership.agency_id)
            .order_by("-created_at", "-id")
        )
        if not entries:
            raise NotFound()
        if not _may_know_source(actor, case, entries[0].source_agency, ctx):
            raise NotFound()
        covered = set(
            Entry.objects.filter(visible_to(actor, purpose, ctx=ctx),
                                 pk__in=[e.pk for e in entries])
            .values_list("pk", flat=True)
        )
        decisions = explain_many(actor, [e for e in entries if e.pk in covered], purpose,
                                 ctx=ctx)
    if not all(d.allowed for d in decisions.values()):
        raise RuntimeError("visible_to() and explain() disagree")
    due = clock.today() + dt.timedelta(days=settings.LAGET_EMERGENCY_REVIEW_DAYS)
    accesses = {
        e.pk: EmergencyAccess.objects.create(
            user=actor.user, agency=actor.membership.agency, entry=e, case=case,
            source_agency=e.source_agency, reason=reason, review_due=due,
        )
        for e in entries if e.pk not in covered
    }
    rules = sorted({d.rule.rule_id for d in decisions.values() if d.rule is not None})
    event = audit_record(
        action=Action.EMERGENCY_ACCESS, actor=actor, obj=case, persons=[case.person_id],
        purpose=purpose, basis=",".join((["nodtilgang"] if accesses else []) + rules),
        details={"entries": len(entries), "category": category,
                 "emergency_access": [str(a.pk) for a in accesses.values()]},
    )
    now = clock.now()
    disclosures = []
    for e in entries:
        decision = decisions.get(e.pk)
        disclosures.append(Disclosure(
            at=now, user=actor.user, agency=actor.membership.agency, entry=e, case=case,
            source_agency=e.source_agency, purpose=purpose, audit_event=event,
            basis_kind=decision.basis if decision else BasisKind.EMERGENCY,
            rule_id=decision.rule.pk if decision and decision.rule else None,
            consent_id=decision.consent_id if decision else None,
        ))
    Disclosure.objects.bulk_create(disclosures)
    return entries


@transaction.atomic
def emergency_review(
    *, actor: Actor, access_id: uuid.UUID | str, outcome: str, note: str = ""
) -> EmergencyAccess:
    """The source agency's leader reviews an emergency access."""
    if actor.role != Role.LEADER or actor.membership is None:
        raise NotFound()
    access = (
        EmergencyAccess.objects.select_for_update()
        .filter(pk=access_id, source_agency_id=actor.membership.agency_id).first()
    )
    if access is None:
        raise NotFound()
    if access.reviewed_at is not None:
        raise DomainError(_("Nødtilgangen er allerede vurdert."), code="reviewed")
    if outcome not in ReviewOutcome.values:
        raise DomainError(_("Velg en vurdering."), code="outcome")
    if outcome == ReviewOutcome.NOT_JUSTIFIED and not note.strip():
        raise DomainError(_("Begrunn hvorfor nødtilgangen ikke var berettiget."), code="note")
    access.reviewed_at = clock.now()
    access.reviewed_by = actor.user
    access.review_outcome = outcome
    access.review_note = note.strip()
    access.updated_at = access.reviewed_at
    access.save(update_fields=["reviewed_at", "reviewed_by", "review_outcome", "review_note",
                               "updated_at"])
    audit_record(action=Action.EMERGENCY_REVIEW, actor=actor, obj=access,
                 persons=[access.case.person_id], purpose=Purpose.TILSYN,
                 details={"outcome": outcome})
    return access
