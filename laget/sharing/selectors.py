"""Reads through the sharing engine. Every function that returns entries filters with
`visible_to()` in the database, explains each returned entry with the same decision, and records
an audit event and a `Disclosure` per cross-agency entry in one transaction."""

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType, Role
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.services import audit_record
from laget.core import clock, requestcontext
from laget.core.errors import NotFound
from laget.core.keyset import KeysetPage, keyset_page
from laget.records.access import entries_opened
from laget.records.models import Case, Entry, EntryAttachment, TeamMember
from laget.records.services import is_district_coordinator
from laget.records.vocabulary import AGENCY_TYPE_REVEALS, EXISTENCE_CONFIDENTIAL, InfoCategory
from laget.sharing.engine import (
    CASE_ROLES,
    Context,
    Decision,
    context_at,
    current_entries,
    decide,
    explain_many,
    load_facts,
    may_read_entries,
    visible_on_case,
    visible_to,
)
from laget.sharing.models import BasisKind, Consent, Disclosure, EmergencyAccess

PAGE_SIZE = 25


# --- cases ---------------------------------------------------------------------------------------

def _case_visible(actor: Actor, day: object) -> Q:
    """Cases the actor may open: those they are personally on the team of, and for a bydel's
    coordinator or leader, the bydel's cases."""
    if not may_read_entries(actor):
        return Q(pk__in=[])
    assert actor.membership is not None
    agency = actor.membership.agency
    condition = Q(Exists(TeamMember.objects.active(day).filter(  # type: ignore[arg-type]
        case_id=OuterRef("pk"), user_id=actor.user.pk, agency_id=agency.pk)))
    if agency.type == AgencyType.BYDEL and actor.role in (Role.COORDINATOR, Role.LEADER):
        condition |= Q(district_id=agency.district_id)
    return condition


def case_list_for(*, actor: Actor, page: int | str = 1) -> Page:
    cases = (
        Case.objects.filter(_case_visible(actor, clock.today()))
        .select_related("person", "district")
        .order_by("-created_at", "-id")
    )
    result = Paginator(cases, PAGE_SIZE).get_page(page)
    audit_record(action=Action.CASE_LIST, actor=actor, purpose=Purpose.FOREBYGGING,
                 persons=[c.person_id for c in result.object_list],
                 details={"results": len(result.object_list)})
    return result


def case_page_for(*, actor: Actor, cursor: str | None, limit: int) -> KeysetPage[Case]:
    """The cases the actor may open, newest first, by cursor (the JSON API's list)."""
    result = keyset_page(
        Case.objects.filter(_case_visible(actor, clock.today())).select_related("person",
                                                                                "district"),
        cursor=cursor, limit=limit)
    audit_record(action=Action.CASE_LIST, actor=actor, purpose=Purpose.FOREBYGGING,
                 persons=[c.person_id for c in result.items],
                 details={"results": len(result.items)})
    return result


def case_get_for(*, actor: Actor, case_id: uuid.UUID | str, purpose: str) -> Case:
    """The case if the actor may open it; else NotFound, audited, never confirming existence."""
    case = (
        Case.objects.filter(_case_visible(actor, clock.today()), pk=case_id)
        .select_related("person", "district").first()
    )
    if case is None:
        audit_record(action=Action.CASE_ACCESS_DENIED, actor=actor, outcome=Outcome.DENIED,
                     purpose=purpose, details={"object_id": str(case_id)})
        raise NotFound()
    audit_record(action=Action.CASE_VIEW, actor=actor, obj=case, persons=[case.person_id],
                 purpose=purpose)
    return case


def case_open_for_person(*, actor: Actor, person_id: uuid.UUID | str) -> Case | None:
    """The person's open case, if the actor may open it (for a link from the person page, whose
    own read is audited there)."""
    return (
        Case.objects.filter(_case_visible(actor, clock.today()), person_id=person_id)
        .open().first()
    )


def case_ids_openable(*, actor: Actor, case_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Of these cases, those the actor may open (to link them; nothing about a case is read, so
    nothing is audited here: opening it is)."""
    return set(Case.objects.filter(_case_visible(actor, clock.today()), pk__in=list(case_ids))
               .values_list("pk", flat=True))


def is_team_member(*, actor: Actor, case: Case) -> bool:
    return bool(actor.membership) and TeamMember.objects.active().filter(
        case=case, user_id=actor.user.pk, agency_id=actor.membership.agency_id  # type: ignore[union-attr]
    ).exists()


#: The most cases one search shows (the caller says so when the limit is reached).
SEARCH_LIMIT = 50


def case_search_for(*, actor: Actor, name: str = "", national_id: str = "") -> list[Case]:
    """Cases the actor may open (the filter of case_list_for) whose person has the number, or
    whose names hold every word of `name`; open cases first. Audited without the query text."""
    cases = Case.objects.filter(_case_visible(actor, clock.today()))
    if national_id:
        cases = cases.filter(person__national_id=national_id)
    else:
        words = name.split()[:4]
        if not words:
            return []
        for word in words:
            cases = cases.filter(Q(person__given_name__icontains=word)
                                 | Q(person__family_name__icontains=word))
    result = list(
        cases.select_related("person", "district")
        .order_by(F("closed_at").desc(nulls_first=True), "person__family_name",
                  "person__given_name", "id")[:SEARCH_LIMIT]
    )
    audit_record(action=Action.CASE_SEARCH, actor=actor, purpose=Purpose.FOREBYGGING,
                 persons=[c.person_id for c in result],
                 details={"by": "national_id" if national_id else "name",
                          "results": len(result)})
    return result


def entry_latest_by_case_for(
    *, actor: Actor, case_ids: Iterable[uuid.UUID], purpose: str
) -> dict[uuid.UUID, dt.datetime]:
    """When each case last got an entry, for activity overviews: a time per case id, never
    content. Entries whose mere existence is confidential (barnevern, health, or anything from
    those agencies) count only when the actor may read them, so the time cannot hint at them."""
    ids = list(case_ids)
    if not ids or not may_read_entries(actor):
        return {}
    assert actor.membership is not None
    ctx = context_at()
    confidential = Q(category__in=sorted(EXISTENCE_CONFIDENTIAL)) | Q(
        source_agency__type__in=sorted(AGENCY_TYPE_REVEALS))
    own = actor.membership.agency_id
    with entries_opened():
        entries = Entry.objects.filter(case_id__in=ids).order_by()
        latest = {row["case_id"]: row["latest"] for row in
                  entries.exclude(confidential & ~Q(source_agency_id=own))
                  .values("case_id").annotate(latest=Max("created_at"))}
        # the confidential groups are decided per case as the engine does (facts of all the
        # cases in one query), not by the general filter over every case
        groups = list(entries.filter(confidential).exclude(source_agency_id=own)
                      .values("case_id", "source_agency_id", "source_agency__type", "category")
                      .annotate(latest=Max("created_at")))
    if groups:
        born = dict(Case.objects.filter(pk__in={g["case_id"] for g in groups})
                    .values_list("pk", "person__birth_date"))
        facts = load_facts(actor, purpose, born, ctx)
        for g in groups:
            if g["latest"] <= latest.get(g["case_id"], g["latest"]) and g["case_id"] in latest:
                continue
            if decide(actor=actor, purpose=purpose, source_agency_id=g["source_agency_id"],
                      source_type=g["source_agency__type"], category=g["category"],
                      facts=facts[g["case_id"]], ctx=ctx).allowed:
                latest[g["case_id"]] = max(g["latest"], latest.get(g["case_id"], g["latest"]))
    return latest


def entry_days_by_case(
    *, case_ids: Iterable[uuid.UUID], category: str, since: dt.date
) -> dict[uuid.UUID, list[dt.date]]:
    """The days (Oslo) on which current entries of one category were added to each case from
    `since`: for outcome series that count them (laget.intensive), never content, source or
    author. Not for the existence-confidential categories, whose mere count would reveal them;
    the caller shows the counts only to those who coordinate the case."""
    if category in EXISTENCE_CONFIDENTIAL:
        raise ValueError("counts of existence-confidential categories are not given out")
    ids = list(case_ids)
    days: dict[uuid.UUID, list[dt.date]] = {case_id: [] for case_id in ids}
    if not ids:
        return days
    start = dt.datetime.combine(since, dt.time(), tzinfo=clock.OSLO)
    with entries_opened():
        rows = (Entry.objects.filter(case_id__in=ids, category=category, created_at__gte=start,
                                     supersedes__isnull=True)
                .order_by().values_list("case_id", "created_at"))
        for case_id, created_at in rows:
            days[case_id].append(created_at.astimezone(clock.OSLO).date())
    return days


def involvements_known_for(
    *, actor: Actor, pairs: Iterable[tuple[Case, Agency]], purpose: str
) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """The (case id, agency id) pairs whose involvement the actor may know of, by team_for's
    rule: barnevern and health only for their own agency and those with a basis. For many cases
    at once, with one query for the facts (lists across cases stay free of N+1)."""
    own = actor.membership.agency_id if actor.membership is not None else None
    known: set[tuple[uuid.UUID, uuid.UUID]] = set()
    doubtful: list[tuple[Case, Agency]] = []
    for case, agency in pairs:
        if agency.type not in AGENCY_TYPE_REVEALS or agency.pk == own:
            known.add((case.pk, agency.pk))
        else:
            doubtful.append((case, agency))
    if not doubtful or not may_read_entries(actor):
        return known
    ctx = context_at()
    facts = load_facts(actor, purpose, {c.pk: c.person.birth_date for c, _a in doubtful}, ctx)
    for case, agency in doubtful:
        if decide(actor=actor, purpose=purpose, source_agency_id=agency.pk,
                  source_type=agency.type, category=AGENCY_TYPE_REVEALS[agency.type],
                  facts=facts[case.pk], ctx=ctx).allowed:
            known.add((case.pk, agency.pk))
    return known


# --- entries -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ShownEntry:
    entry: Entry
    decision: Decision


def _base_entries() -> QuerySet[Entry]:
    return Entry.objects.select_related("case__person", "source_agency", "author")




def _record_reads(
    *, actor: Actor, shown: Sequence[ShownEntry], purpose: str, action: Action,
    obj: object = None,
) -> None:
    """One audit event for the read and one Disclosure per cross-agency entry, together."""
    assert actor.membership is not None
    cross = [s for s in shown if s.decision.basis in (BasisKind.RULE, BasisKind.CONSENT)]
    event = audit_record(
        action=action, actor=actor, purpose=purpose, obj=obj,  # type: ignore[arg-type]
        persons={s.entry.case.person_id for s in shown},
        basis=",".join(sorted({s.decision.rule.rule_id for s in cross if s.decision.rule})),
        details={"entries": len(shown), "cross_agency": len(cross)},
    )
    now = clock.now()
    Disclosure.objects.bulk_create([
        Disclosure(
            at=now, user=actor.user, agency=actor.membership.agency, entry_id=s.entry.pk,
            case_id=s.entry.case_id, source_agency_id=s.entry.source_agency_id,
            basis_kind=s.decision.basis,
            rule_id=s.decision.rule.pk if s.decision.rule else None,
            consent_id=s.decision.consent_id if s.decision.basis == BasisKind.CONSENT else None,
            purpose=purpose, audit_event=event,
        )
        for s in cross
    ])


def _shown(actor: Actor, entries: Iterable[Entry], purpose: str, ctx: Context) -> list[ShownEntry]:
    entries = list(entries)
    decisions = explain_many(actor, entries, purpose, ctx=ctx)
    shown = [ShownEntry(e, decisions[e.pk]) for e in entries]
    # The filter and the explanation are one decision; if they ever disagree, show nothing.
    if not all(s.decision.allowed for s in shown):
        raise RuntimeError("visible_to() and explain() disagree")
    return shown


@transaction.atomic
def case_entries_for(
    *, actor: Actor, case: Case, purpose: str, page: int | str = 1, history: bool = False
) -> tuple[Page, list[ShownEntry]]:
    """One page of the case's entries the actor may read, newest first."""
    ctx = context_at()
    with entries_opened():
        visible = visible_on_case(actor, case.pk, case.person.birth_date, purpose, ctx=ctx)
        entries = _base_entries().filter(visible, case=case)
        if not history:
            entries = entries.filter(current_entries())
        result = Paginator(entries.order_by("-created_at", "-id"), PAGE_SIZE).get_page(page)
        shown = _shown(actor, result.object_list, purpose, ctx)
    _record_reads(actor=actor, shown=shown, purpose=purpose, action=Action.ENTRY_LIST, obj=case)
    return result, shown


@transaction.atomic
def case_entries_page_for(
    *, actor: Actor, case: Case, purpose: str, cursor: str | None, limit: int
) -> tuple[KeysetPage[Entry], list[ShownEntry]]:
    """The case's current entries the actor may read, newest first, by cursor (the JSON API)."""
    ctx = context_at()
    with entries_opened():
        visible = visible_on_case(actor, case.pk, case.person.birth_date, purpose, ctx=ctx)
        result = keyset_page(_base_entries().filter(visible, current_entries(), case=case),
                             cursor=cursor, limit=limit)
        shown = _shown(actor, result.items, purpose, ctx)
    _record_reads(actor=actor, shown=shown, purpose=purpose, action=Action.ENTRY_LIST, obj=case)
    return result, shown


@transaction.atomic
def case_entries_recent_for(
    *, actor: Actor, case: Case, purpose: str, limit: int
) -> list[ShownEntry]:
    """The newest `limit` current entries on the case that the actor may read (the timeline)."""
    ctx = context_at()
    with entries_opened():
        visible = visible_on_case(actor, case.pk, case.person.birth_date, purpose, ctx=ctx)
        entries = (_base_entries().filter(visible, current_entries(), case=case)
                   .order_by("-created_at", "-id")[:limit])
        shown = _shown(actor, entries, purpose, ctx)
    _record_reads(actor=actor, shown=shown, purpose=purpose, action=Action.ENTRY_LIST, obj=case)
    return shown


@transaction.atomic
def my_entries_for(
    *, actor: Actor, purpose: str, page: int | str = 1
) -> tuple[Page, list[ShownEntry]]:
    """Entries on the cases the actor is personally on the team of, newest first."""
    ctx = context_at()
    if not may_read_entries(actor):
        return Paginator([], PAGE_SIZE).get_page(1), []
    with entries_opened():
        entries = (
            _base_entries()
            .filter(visible_to(actor, purpose, ctx=ctx), current_entries())
            .filter(case__in=_my_case_ids(actor, ctx))
            .order_by("-created_at", "-id")
        )
        result = Paginator(entries, PAGE_SIZE).get_page(page)
        shown = _shown(actor, result.object_list, purpose, ctx)
    _record_reads(actor=actor, shown=shown, purpose=purpose, action=Action.ENTRY_LIST)
    return result, shown


def _my_case_ids(actor: Actor, ctx: Context) -> QuerySet[TeamMember]:
    assert actor.membership is not None
    return TeamMember.objects.active(ctx.day).filter(
        user_id=actor.user.pk, agency_id=actor.membership.agency_id
    ).values("case_id")


def entry_get_for(
    *, actor: Actor, case: Case, entry_id: uuid.UUID | str, purpose: str
) -> ShownEntry:
    """One entry the actor may read (with its decision), or NotFound, audited. The refusal is
    recorded outside the read's transaction: raising NotFound must not roll its event back."""
    ctx = context_at()
    with transaction.atomic():
        with entries_opened():
            entry = (
                _base_entries()
                .filter(visible_to(actor, purpose, ctx=ctx), case=case, pk=entry_id)
                .first()
            )
            shown = _shown(actor, [entry], purpose, ctx) if entry is not None else []
        if shown:
            _record_reads(actor=actor, shown=shown, purpose=purpose, action=Action.ENTRY_VIEW,
                          obj=entry)
            return shown[0]
    audit_record(action=Action.ENTRY_ACCESS_DENIED, actor=actor, outcome=Outcome.DENIED,
                 purpose=purpose, persons=[case.person_id], details={"object_id": str(entry_id)})
    raise NotFound()


def _version_links(case_id: uuid.UUID
                   ) -> tuple[dict[uuid.UUID, uuid.UUID | None], dict[uuid.UUID, list[uuid.UUID]]]:
    """Which entry of the case each entry corrected, and which corrected it: the whole chain of
    versions in one query (corrections stay on their case)."""
    older = dict(Entry.objects.filter(case_id=case_id).values_list("pk", "supersedes_id"))
    newer: dict[uuid.UUID, list[uuid.UUID]] = {}
    for pk, supersedes in older.items():
        if supersedes:
            newer.setdefault(supersedes, []).append(pk)
    return older, newer


def _versions_of(pk: uuid.UUID, older: dict[uuid.UUID, uuid.UUID | None],
                 newer: dict[uuid.UUID, list[uuid.UUID]]) -> list[uuid.UUID]:
    """The versions an entry corrected (all the way back) and those that corrected it."""
    chain, cursor = [], older.get(pk)
    while cursor is not None:
        chain.append(cursor)
        cursor = older.get(cursor)
    return chain + newer.get(pk, [])


def entry_history_for(*, actor: Actor, shown: ShownEntry, purpose: str) -> list[ShownEntry]:
    """The versions of an entry the actor may read: what it corrected and what corrected it.
    The entry page reads them as part of its own view (recorded by the caller's events)."""
    ctx = context_at()
    with entries_opened():
        chain = _versions_of(shown.entry.pk, *_version_links(shown.entry.case_id))
        entries = list(
            _base_entries().filter(visible_to(actor, purpose, ctx=ctx), pk__in=chain)
            .order_by("-created_at")
        )
        result = _shown(actor, entries, purpose, ctx)
    if result:
        _record_reads(actor=actor, shown=result, purpose=purpose, action=Action.ENTRY_VIEW,
                      obj=shown.entry)
    return result


@dataclass(frozen=True)
class EntryWithHistory:
    shown: ShownEntry
    history: list[ShownEntry]


def entries_with_history_for(
    *, actor: Actor, case: Case, entry_ids: Iterable[uuid.UUID], purpose: str, obj: object = None
) -> dict[uuid.UUID, EntryWithHistory]:
    """`entry_get_for` and `entry_history_for` for several entries of one case, in a fixed number
    of queries (a rectification request's entries): each entry the actor may read, with the
    versions it corrected and those that corrected it. One audit event for the read (on `obj`);
    the entries the actor may not read are absent, their refusal one event."""
    ctx = context_at()
    wanted = list(dict.fromkeys(entry_ids))
    with transaction.atomic():
        with entries_opened():
            links = _version_links(case.pk)
            chains = {pk: _versions_of(pk, *links) for pk in wanted}
            ids = set(wanted).union(*chains.values())
            entries = list(_base_entries().filter(visible_to(actor, purpose, ctx=ctx), case=case,
                                                  pk__in=ids).order_by("-created_at"))
            shown = _shown(actor, entries, purpose, ctx)
        by_id = {s.entry.pk: s for s in shown}
        result = {pk: EntryWithHistory(by_id[pk], [s for s in shown if s.entry.pk in chains[pk]])
                  for pk in wanted if pk in by_id}
        if shown:
            _record_reads(actor=actor, shown=shown, purpose=purpose, action=Action.ENTRY_VIEW,
                          obj=obj)
    refused = [str(pk) for pk in wanted if pk not in result]
    if refused:
        audit_record(action=Action.ENTRY_ACCESS_DENIED, actor=actor, outcome=Outcome.DENIED,
                     purpose=purpose, persons=[case.person_id],
                     details={"object_ids": refused})
    return result


def attachment_get_for(
    *, actor: Actor, case: Case, entry_id: uuid.UUID | str, attachment_id: uuid.UUID | str,
    purpose: str,
) -> EntryAttachment:
    shown = entry_get_for(actor=actor, case=case, entry_id=entry_id, purpose=purpose)
    attachment = EntryAttachment.objects.filter(entry_id=shown.entry.pk, pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    audit_record(action=Action.ATTACHMENT_VIEW, actor=actor, obj=attachment,
                 persons=[case.person_id], purpose=purpose)
    return attachment


# --- what the actor cannot see -------------------------------------------------------------------

@dataclass(frozen=True)
class HiddenGroup:
    source_agency_id: uuid.UUID
    source_agency: str
    category: str
    category_label: str
    count: int
    reason: str
    remedy: str  # consent | team | ""


def hidden_summary_for(*, actor: Actor, case: Case, purpose: str) -> list[HiddenGroup]:
    """Entries on the case the actor cannot read, grouped by source and category, with the reason
    and what would make them available. Categories whose existence is confidential are left out
    entirely."""
    ctx = context_at()
    if not may_read_entries(actor):
        return []
    with entries_opened():
        # The one-case form of the filter: decided per group, no join to the person's birth date.
        visible = visible_on_case(actor, case.pk, case.person.birth_date, purpose, ctx=ctx)
        rows = list(
            Entry.objects.filter(current_entries(), case=case)
            .exclude(visible)
            .exclude(category__in=sorted(EXISTENCE_CONFIDENTIAL))
            .values("source_agency_id", "source_agency__name", "source_agency__type", "category")
            .annotate(n=Count("id"))
            .order_by("source_agency__name", "category")
        )
    if not rows:
        return []
    facts = load_facts(actor, purpose, {case.pk: case.person.birth_date}, ctx)[case.pk]
    labels = dict(InfoCategory.choices)
    groups = []
    for row in rows:
        # An entry of any category from barnevern or health reveals that they are involved: such
        # a source is named only to those with a basis for its category (as in team_for).
        revealed = AGENCY_TYPE_REVEALS.get(row["source_agency__type"])
        if revealed and not decide(
            actor=actor, purpose=purpose, source_agency_id=row["source_agency_id"],
            source_type=row["source_agency__type"], category=revealed, facts=facts, ctx=ctx,
        ).allowed:
            continue
        decision = decide(actor=actor, purpose=purpose, source_agency_id=row["source_agency_id"],
                          source_type=row["source_agency__type"], category=row["category"],
                          facts=facts, ctx=ctx)
        groups.append(HiddenGroup(
            source_agency_id=row["source_agency_id"], source_agency=row["source_agency__name"],
            category=row["category"], category_label=str(labels[row["category"]]),
            count=row["n"], reason=decision.reason, remedy=decision.remedy,
        ))
    return groups


def team_for(*, actor: Actor, case: Case, purpose: str, history: bool = False
             ) -> list[TeamMember]:
    """The case's current team as the actor may see it: a member from barnevern or health is
    listed only to their own agency, to those with a basis for that category, and to the case's
    coordinator, who put the team together. With `history`,
    everyone who has been on the team (for the timeline), under the same rule. A page asks
    several times (team panel, plan, meetings, timeline): once per read-only request."""
    if actor.membership is None:
        return []
    key = ("sharing.team", actor.user.pk, actor.membership.pk, case.pk, purpose, history)
    return list(requestcontext.memoized(
        key, lambda: _team_for(actor=actor, case=case, purpose=purpose, history=history)))


def _team_for(*, actor: Actor, case: Case, purpose: str, history: bool) -> list[TeamMember]:
    ctx = context_at()
    members_qs = TeamMember.objects.filter(case=case)
    if not history:
        members_qs = members_qs.active(ctx.day)
    members = list(members_qs.select_related("user", "agency"))
    if not may_read_entries(actor) or actor.membership is None:
        return []
    # The case's own coordinator puts the team together (and so knows who is on it); everyone
    # else sees barnevern or health only from their own agency or with a basis for the category.
    if is_district_coordinator(actor, case.district_id):
        return members
    facts = load_facts(actor, purpose, {case.pk: case.person.birth_date}, ctx)[case.pk]
    shown = []
    for member in members:
        category = AGENCY_TYPE_REVEALS.get(member.agency.type)
        if category and member.agency_id != actor.membership.agency_id:
            decision = decide(actor=actor, purpose=purpose, source_agency_id=member.agency_id,
                              source_type=member.agency.type, category=category, facts=facts,
                              ctx=ctx)
            if not decision.allowed:
                continue
        shown.append(member)
    return shown


# --- consents and emergency reviews --------------------------------------------------------------

def consent_list_for(*, actor: Actor, case: Case) -> list[Consent]:
    """The case's consents whose record (an entry) the actor may read."""
    ctx = context_at()
    with entries_opened():
        visible = Entry.objects.filter(visible_to(actor, Purpose.OPPFOLGING, ctx=ctx), case=case)
        consents = list(
            Consent.objects.filter(case=case, entry__in=visible.values("pk"))
            .select_related("agency", "registered_by")
            .prefetch_related("guardians")
        )
    audit_record(action=Action.CONSENT_VIEW, actor=actor, obj=case, persons=[case.person_id],
                 purpose=Purpose.OPPFOLGING, details={"consents": len(consents)})
    return consents


def consent_get_for(*, actor: Actor, case: Case, consent_id: uuid.UUID | str) -> Consent:
    ctx = context_at()
    with entries_opened():
        visible = Entry.objects.filter(visible_to(actor, Purpose.OPPFOLGING, ctx=ctx), case=case)
        consent = (
            Consent.objects.filter(case=case, pk=consent_id, entry__in=visible.values("pk"))
            .select_related("agency", "registered_by", "case__person")
            .prefetch_related("guardians").first()
        )
    if consent is None:
        audit_record(action=Action.ENTRY_ACCESS_DENIED, actor=actor, outcome=Outcome.DENIED,
                     purpose=Purpose.OPPFOLGING, persons=[case.person_id],
                     details={"object_id": str(consent_id)})
        raise NotFound()
    audit_record(action=Action.CONSENT_VIEW, actor=actor, obj=consent, persons=[case.person_id],
                 purpose=Purpose.OPPFOLGING)
    return consent


def emergency_reviews_for(*, actor: Actor) -> QuerySet[EmergencyAccess]:
    """Emergency accesses to the actor's agency's entries awaiting its leader's review."""
    if actor.role != Role.LEADER or actor.membership is None:
        return EmergencyAccess.objects.none()
    return (
        EmergencyAccess.objects.filter(source_agency=actor.membership.agency,
                                       reviewed_at__isnull=True)
        .select_related("user", "agency", "case__district")
    )


def emergency_overdue() -> QuerySet[EmergencyAccess]:
    """Reviews past their deadline, for the auditor (no personal data beyond who and when)."""
    return (
        EmergencyAccess.objects.filter(reviewed_at__isnull=True, review_due__lt=clock.today())
        .select_related("user", "agency", "source_agency")
    )


__all__ = [
    "CASE_ROLES", "HiddenGroup", "ShownEntry", "attachment_get_for", "case_entries_for",
    "case_get_for", "case_list_for", "case_open_for_person", "case_search_for", "consent_get_for",
    "consent_list_for", "emergency_overdue", "emergency_reviews_for", "entries_with_history_for",
    "entry_get_for",
    "entry_history_for", "entry_latest_by_case_for", "hidden_summary_for",
    "involvements_known_for", "is_team_member", "my_entries_for", "team_for",
]
