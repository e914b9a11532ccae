"""One decision, two forms.

`visible_to(actor, purpose)` is a filter the database evaluates for every list, search and export;
`explain(actor, entry, purpose)` is the same decision for one entry with each condition met or
missing, the rule or consent that decided, and its citation. Both are built from the same rule
snapshot, and a property test checks that they agree on every case.

The decision, for an actor (a user acting in one agency and role) and a purpose:
1. Only case roles (caseworker, coordinator, leader) read entries at all.
2. An agency always sees its own entries, also after its people have left the team.
3. For another agency's entry the user must personally be on the case's team (that day).
4. Among the rules in force that name the source agency type, the user's agency type, the entry's
   category and the purpose, and whose conditions hold: a deny rule decides "no"; otherwise an
   allow rule decides "yes"; otherwise a consent-required rule decides "yes" when a live consent
   covers the category, the recipient type and the purpose; otherwise "no" (deny by default).
   An allow rule that no lawyer has reviewed counts as consent-required unless
   LAGET_RULES_UNREVIEWED_IN_FORCE (the demo) is on.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import reduce
from operator import or_

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, UUIDField, Value, When
from django.db.models.functions import Cast
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Role
from laget.core import clock, requestcontext
from laget.records.models import CaseMarker, Entry, MarkerKind, TeamMember
from laget.records.vocabulary import InfoCategory
from laget.sharing.models import AgeBand, ConsentGrant, Effect, Rule, RulebookVersion
from laget.sharing.rulebook import unreviewed_allow_is_draft, version_at

CASE_ROLES = frozenset({Role.CASEWORKER, Role.COORDINATOR, Role.LEADER})
#: Grouping key in visible_to() for consent-required rules whose consent must come from both.
CONSENT_FROM_BOTH = "consent_from_both"
_ALL_CATEGORIES = tuple(InfoCategory.values)


def years_before(day: dt.date, years: int) -> dt.date:
    """The latest birth date of someone who is at least `years` old on `day` (born 29 February:
    a year is complete on 1 March, as Person.age_on)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


# --- the rule snapshot --------------------------------------------------------------------------

@dataclass(frozen=True)
class RuleView:
    """An immutable copy of one rule row, shared by both forms of the decision."""

    pk: int
    rule_id: str
    sources: frozenset[str]
    recipients: frozenset[str]
    categories: frozenset[str]
    purposes: frozenset[str]
    age_min: int | None
    age_max: int | None
    programme: str
    weapon_trigger: bool
    effect: str
    consent_requires: str
    reviewed: bool
    citation: str
    citation_status: str
    explanation_nb: str
    explanation_en: str
    valid_from: dt.date
    valid_to: dt.date | None

    @classmethod
    def of(cls, rule: Rule) -> "RuleView":
        return cls(
            pk=rule.pk, rule_id=rule.rule_id, sources=frozenset(rule.sources),
            recipients=frozenset(rule.recipients), categories=frozenset(rule.categories),
            purposes=frozenset(rule.purposes), age_min=rule.age_min, age_max=rule.age_max,
            programme=rule.programme, weapon_trigger=rule.weapon_trigger, effect=rule.effect,
            consent_requires=rule.consent_requires, reviewed=bool(rule.reviewed_by),
            citation=rule.citation,
            citation_status=rule.citation_status, explanation_nb=rule.explanation_nb,
            explanation_en=rule.explanation_en, valid_from=rule.valid_from,
            valid_to=rule.valid_to,
        )

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def effective_effect(self, *, draft_in_force: bool) -> str:
        if self.effect == Effect.ALLOW and not self.reviewed and not draft_in_force:
            return Effect.CONSENT_REQUIRED
        return self.effect

    @property
    def is_draft(self) -> bool:
        return not self.reviewed

    @property
    def breadth(self) -> int:
        """How much the rule covers; where several rules decide alike, the narrowest (most
        specific citation) is the one shown."""
        return (len(self.sources) * len(self.recipients) * len(self.categories)
                * len(self.purposes))

    def consent_counts(self, *, given_by: str, band: str) -> bool:
        """Whether a live consent given by `given_by` in age band `band` meets this rule."""
        return self.consent_requires != "both" or given_by == "both" or band == AgeBand.ADULT

    @property
    def explanation(self) -> str:
        from django.utils.translation import get_language

        return self.explanation_en if (get_language() or "nb").startswith("en") else (
            self.explanation_nb
        )


_SNAPSHOTS: dict[uuid.UUID, tuple[RuleView, ...]] = {}


def _snapshot(version: RulebookVersion) -> tuple[RuleView, ...]:
    # A version's rules never change once loaded, so a snapshot per version id is safe to keep.
    rules = _SNAPSHOTS.get(version.pk)
    if rules is None:
        rules = tuple(RuleView.of(rule) for rule in version.rules.order_by("position"))
        _SNAPSHOTS[version.pk] = rules
    return rules


@dataclass(frozen=True)
class Context:
    """The moment a decision is taken for, and the rulebook in force then."""

    at: dt.datetime
    day: dt.date
    version: RulebookVersion | None
    rules: tuple[RuleView, ...]
    joint_from_age: int
    adult_from_age: int
    draft_in_force: bool

    def band(self, age: int) -> str:
        if age >= self.adult_from_age:
            return AgeBand.ADULT
        if age >= self.joint_from_age:
            return AgeBand.AGE_16_17
        return AgeBand.UNDER_16

    def candidates(self, recipient: str, purpose: str) -> list[RuleView]:
        return [r for r in self.rules if recipient in r.recipients and purpose in r.purposes]


def context_at(at: dt.datetime | None = None) -> Context:
    """The rules in force and the consent settings at `at` (now: once per read-only request)."""
    if at is None:
        return requestcontext.memoized(("sharing.context",), lambda: _context_at(clock.now()))
    return _context_at(at)


def _context_at(at: dt.datetime) -> Context:
    day = at.astimezone(clock.OSLO).date()
    version = version_at(at)
    rules = tuple(r for r in _snapshot(version) if r.in_force(day)) if version else ()
    consent = version.consent_settings if version else {}
    return Context(
        at=at, day=day, version=version, rules=rules,
        joint_from_age=int(consent.get("joint_from_age", 16)),
        adult_from_age=int(consent.get("adult_from_age", 18)),
        draft_in_force=unreviewed_allow_is_draft(),
    )


def may_read_entries(actor: Actor | None) -> bool:
    return bool(actor and actor.membership and actor.role in CASE_ROLES)


# --- form 1: the filter -------------------------------------------------------------------------

def _marker_exists(kind: str, programme: str, day: dt.date) -> Exists:
    return Exists(
        CaseMarker.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day),
            case_id=OuterRef("case_id"), kind=kind, programme=programme, valid_from__lte=day,
        )
    )


def _rule_q(rule: RuleView, day: dt.date) -> Q:
    q = Q(category__in=sorted(rule.categories))
    if rule.sources != frozenset(AgencyType.values):
        q &= Q(source_agency__type__in=sorted(rule.sources))
    if rule.age_min is not None:
        q &= Q(case__person__birth_date__lte=years_before(day, rule.age_min))
    if rule.age_max is not None:
        q &= Q(case__person__birth_date__gt=years_before(day, rule.age_max + 1))
    if rule.programme:
        q &= Q(_marker_exists(MarkerKind.PROGRAMME, rule.programme, day))
    if rule.weapon_trigger:
        q &= Q(_marker_exists(MarkerKind.WEAPON_TRIGGER, "", day))
    return q


def _covers(wide: RuleView, narrow: RuleView) -> bool:
    """Every entry that `narrow` matches, `wide` matches too (on any day, for any case)."""
    return (
        wide.sources >= narrow.sources and wide.categories >= narrow.categories
        and (wide.age_min is None
             or (narrow.age_min is not None and narrow.age_min >= wide.age_min))
        and (wide.age_max is None
             or (narrow.age_max is not None and narrow.age_max <= wide.age_max))
        and (not wide.programme or wide.programme == narrow.programme)
        and (not wide.weapon_trigger or narrow.weapon_trigger)
    )


def _fewest(rules: Iterable[RuleView]) -> list[RuleView]:
    """The same disjunction with fewer terms, for the planner: a rule that another rule of the
    same effect covers adds nothing, and rules that differ only in their categories are one term
    with the union of them. (explain() still reports every rule.)"""
    kept: list[RuleView] = []
    for rule in rules:
        if any(_covers(k, rule) for k in kept):
            continue
        kept = [k for k in kept if not _covers(rule, k)] + [rule]
    merged: dict[tuple[object, ...], RuleView] = {}
    for rule in kept:
        key = (rule.sources, rule.age_min, rule.age_max, rule.programme, rule.weapon_trigger)
        same = merged.get(key)
        merged[key] = rule if same is None else replace(
            same, categories=same.categories | rule.categories)
    return list(merged.values())


def _live_consent(
    ctx: Context, recipient: str, purpose: str, on_team: Q, *, both: bool = False
) -> Exists:
    """A live consent covers the entry's category for the recipient type and purpose, in the
    person's current age band. `on_team` limits the grants to the cases the caller is on (the
    filter requires that anyway): the subquery then needs no outer row but the case, the
    category and the person's band, and the database can hash the few grants once instead of
    probing per entry. The band comes from the entry's own case's person (the grant's case is
    the same case), so the subquery joins neither cases nor persons."""
    joint = years_before(ctx.day, ctx.joint_from_age)
    adult = years_before(ctx.day, ctx.adult_from_age)
    born = OuterRef("case__person__birth_date")
    band = Q(consent__age_band=Case(
        When(GreaterThan(born, joint), then=Value(AgeBand.UNDER_16)),
        When(GreaterThan(born, adult), then=Value(AgeBand.AGE_16_17)),
        default=Value(AgeBand.ADULT),
    ))
    if both:  # a minor's consent must come from the young person and the guardians together
        band &= Q(consent__given_by="both") | Q(consent__age_band=AgeBand.ADULT)
    return Exists(
        ConsentGrant.objects.filter(
            Q(consent__withdrawn_at__isnull=True) | Q(consent__withdrawn_at__gt=ctx.at),
            band, on_team,
            case_id=OuterRef("case_id"), category=OuterRef("category"), recipient=recipient,
            purpose=purpose, consent__valid_from__lte=ctx.day, consent__valid_to__gte=ctx.day,
        )
    )


def _any(qs: Iterable[Q]) -> Q | None:
    items = list(qs)
    return reduce(or_, items) if items else None


def _team_cases(actor: Actor, day: dt.date) -> QuerySet[TeamMember]:
    assert actor.membership is not None
    return TeamMember.objects.active(day).filter(
        user_id=actor.user.pk, agency_id=actor.membership.agency_id
    )


def team_exists(actor: Actor, day: dt.date, case_ref: str = "case_id") -> Exists:
    return Exists(_team_cases(actor, day).filter(case_id=OuterRef(case_ref)))


def visible_to(actor: Actor | None, purpose: str, *, ctx: Context | None = None) -> Q:
    """A filter on entries that the database evaluates: the entries `actor` may read for
    `purpose`. Deny by default."""
    if not may_read_entries(actor):
        return Q(pk__in=[])
    assert actor is not None and actor.membership is not None
    ctx = ctx or context_at()
    agency = actor.membership.agency
    own = Q(source_agency_id=agency.pk)
    rules = ctx.candidates(agency.type, purpose)
    grouped: dict[str, list[RuleView]] = defaultdict(list)
    for rule in rules:
        effect = rule.effective_effect(draft_in_force=ctx.draft_in_force)
        if effect == Effect.CONSENT_REQUIRED and rule.consent_requires == "both":
            effect = CONSENT_FROM_BOTH
        grouped[effect].append(rule)
    by_effect = {effect: [_rule_q(rule, ctx.day) for rule in _fewest(group)]
                 for effect, group in grouped.items()}
    allow = _any(by_effect.get(Effect.ALLOW, ()))
    on_team = Q(case_id__in=_team_cases(actor, ctx.day).values("case_id"))
    # Where a rule says a minor's consent must come from both, that stricter demand holds even
    # if a general consent rule matches too.
    need_both = _any(by_effect.get(CONSENT_FROM_BOTH, ()))
    need_consent = _any(by_effect.get(Effect.CONSENT_REQUIRED, ()))
    if need_consent is not None:
        if need_both is not None:
            need_consent &= ~need_both
        need_consent &= Q(_live_consent(ctx, agency.type, purpose, on_team))
    if need_both is not None:
        need_both &= Q(_live_consent(ctx, agency.type, purpose, on_team, both=True))
    basis = _any(q for q in (allow, need_consent, need_both) if q is not None)
    if basis is None:
        return own
    deny = _any(by_effect.get(Effect.DENY, ()))
    if deny is not None:
        basis &= ~deny
    return own | (Q(team_exists(actor, ctx.day)) & basis)


# --- form 2: the explanation --------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    code: str
    label: str
    met: bool


@dataclass(frozen=True)
class RuleMatch:
    rule: RuleView
    effect: str
    checks: tuple[Check, ...]

    @property
    def matches(self) -> bool:
        return all(check.met for check in self.checks)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    basis: str  # own | rule | consent | none
    rule: RuleView | None = None
    consent_id: uuid.UUID | None = None
    checks: tuple[Check, ...] = ()
    considered: tuple[RuleMatch, ...] = ()
    remedy: str = ""  # what would make it available: consent | team | ""
    purpose: str = ""

    @property
    def reason(self) -> str:
        if self.basis == "own":
            return str(_("Opplysningen er registrert av din egen virksomhet."))
        if self.basis == "consent":
            return str(_("Delt med samtykke."))
        if not self.allowed and self.remedy == "consent":
            # The rule names the law, but it allows only with a consent that is not there: its
            # own text ("X may share …") would read as if the reader had access.
            return str(_("Opplysningen kan bare deles med samtykke, og ingen gyldig samtykke "
                         "dekker den."))
        if self.rule is not None:
            return self.rule.explanation
        if self.remedy == "team":
            return str(_("Du er ikke med i teamet rundt saken."))
        if self.remedy == "role":
            return str(_("Rollen din gir ikke tilgang til opplysninger i saker."))
        return str(_("Ingen regel eller samtykke gir grunnlag for å dele opplysningen med deg."))


@dataclass
class CaseFacts:
    """What the decision needs to know about one case besides the entry itself."""

    birth_date: dt.date
    on_team: bool = False
    programmes: set[str] = field(default_factory=set)
    weapon_trigger: bool = False
    #: (category, consent id, age band, given by) of live consents for the actor's agency type
    #: and purpose
    consents: list[tuple[str, uuid.UUID, str, str]] = field(default_factory=list)


def load_facts(
    actor: Actor, purpose: str, cases: dict[uuid.UUID, dt.date], ctx: Context, *,
    groups: list[tuple[uuid.UUID, str, str]] | None = None,
) -> dict[uuid.UUID, CaseFacts]:
    """Facts for several cases at once, in one query (a UNION ALL of the actor's team
    memberships, the cases' markers and their live consent grants). `cases` maps case id → birth
    date. With `groups` (a list, for one case, inside `entries_opened()`), the same query also
    fills it with the (source agency, its type, category) groups of other agencies' entries on
    the case."""
    assert actor.membership is not None
    if groups is None:
        key = ("sharing.facts", actor.user.pk, actor.membership.pk, purpose, ctx.at,
               tuple(sorted(cases.items())))
        return requestcontext.memoized(key, lambda: _load_facts(actor, purpose, cases, ctx, None))
    return _load_facts(actor, purpose, cases, ctx, groups)


def _load_facts(
    actor: Actor, purpose: str, cases: dict[uuid.UUID, dt.date], ctx: Context,
    groups: list[tuple[uuid.UUID, str, str]] | None,
) -> dict[uuid.UUID, CaseFacts]:
    assert actor.membership is not None
    agency = actor.membership.agency
    facts = {case_id: CaseFacts(birth_date=born) for case_id, born in cases.items()}
    if not facts:
        return facts
    ids = list(facts)
    # NULL typed as uuid: PostgreSQL types a UNION's columns from its first branch.
    blank, no_consent = Value(""), Cast(Value(None), output_field=UUIDField())
    team = TeamMember.objects.active(ctx.day).filter(
        case_id__in=ids, user_id=actor.user.pk, agency_id=agency.pk
    ).order_by().values_list("case_id", Value("team"), blank, blank, no_consent, blank)
    markers = CaseMarker.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=ctx.day), case_id__in=ids,
        valid_from__lte=ctx.day,
    ).order_by().values_list("case_id", "kind", "programme", blank, no_consent, blank)
    grants = ConsentGrant.objects.filter(
        Q(consent__withdrawn_at__isnull=True) | Q(consent__withdrawn_at__gt=ctx.at),
        case_id__in=ids, recipient=agency.type, purpose=purpose,
        consent__valid_from__lte=ctx.day, consent__valid_to__gte=ctx.day,
    ).order_by().values_list("case_id", Value("consent"), "category", "consent__age_band",
                             "consent_id", "consent__given_by")
    parts = [markers, grants]
    if groups is not None:
        parts.append(
            Entry.objects.filter(case_id__in=ids).exclude(source_agency_id=agency.pk)
            .order_by().values_list("case_id", Value("group"), "category", "source_agency__type",
                                    "source_agency_id", blank).distinct()
        )
    rows = team.union(*parts, all=True).order_by()
    # Several consents may cover an entry; any one is a basis. Pick the same one every time.
    for case_id, kind, first, band, consent_id, given_by in sorted(rows, key=_fact_order):
        case = facts[case_id]
        if kind == "group":
            assert groups is not None
            groups.append((consent_id, band, first))
        elif kind == "team":
            case.on_team = True
        elif kind == "consent":
            case.consents.append((first, consent_id, band, given_by))
        elif kind == MarkerKind.WEAPON_TRIGGER:
            case.weapon_trigger = True
        else:
            case.programmes.add(first)
    return facts


def _fact_order(row: tuple[object, ...]) -> tuple[str, ...]:
    return tuple("" if value is None else str(value) for value in row)


def match_rule(
    rule: RuleView, *, source_type: str, category: str, age: int, programmes: set[str],
    weapon_trigger: bool, draft_in_force: bool,
) -> RuleMatch:
    checks = [
        Check("source", str(_("Kilden er av en type regelen gjelder for")),
              source_type in rule.sources),
        Check("category", str(_("Kategorien er omfattet")), category in rule.categories),
    ]
    if rule.age_min is not None:
        checks.append(Check("age_min", str(_("Personen er minst %(n)s år") % {"n": rule.age_min}),
                            age >= rule.age_min))
    if rule.age_max is not None:
        checks.append(Check("age_max", str(_("Personen er høyst %(n)s år") % {"n": rule.age_max}),
                            age <= rule.age_max))
    if rule.programme:
        checks.append(Check("programme", str(_("Saken er med i programmet %(p)s")
                                             % {"p": rule.programme}),
                            rule.programme in programmes))
    if rule.weapon_trigger:
        checks.append(Check("weapon_trigger", str(_("Saken har en åpen våpenutløser")),
                            weapon_trigger))
    return RuleMatch(
        rule=rule, effect=rule.effective_effect(draft_in_force=draft_in_force), checks=tuple(checks)
    )


def strictest_consent_rules(matching: Iterable[RuleMatch]) -> list[RuleMatch]:
    """The matching consent-required rules that decide who must consent: those demanding consent
    from both the young person and the guardians if any does, else all; narrowest first."""
    needs = sorted((m for m in matching if m.effect == Effect.CONSENT_REQUIRED),
                   key=lambda m: m.rule.breadth)
    strict = [m for m in needs if m.rule.consent_requires == "both"]
    return strict or needs


def decide(
    *, actor: Actor | None, purpose: str, source_agency_id: uuid.UUID, source_type: str,
    category: str, facts: CaseFacts | None, ctx: Context,
) -> Decision:
    """The decision in Python, on facts already loaded. `explain` and the batch forms use it."""
    role_ok = may_read_entries(actor)
    checks = [Check("role", str(_("Rollen gir tilgang til saksopplysninger")), role_ok)]
    if not role_ok or actor is None or actor.membership is None or facts is None:
        return Decision(False, "none", checks=tuple(checks), remedy="role", purpose=purpose)
    agency = actor.membership.agency
    own = source_agency_id == agency.pk
    checks.append(Check("own", str(_("Opplysningen er din egen virksomhets")), own))
    if own:
        return Decision(True, "own", checks=tuple(checks), purpose=purpose)
    checks.append(Check("team", str(_("Du er personlig med i teamet rundt saken")), facts.on_team))
    if not facts.on_team:
        return Decision(False, "none", checks=tuple(checks), remedy="team", purpose=purpose)
    age = age_on(facts.birth_date, ctx.day)
    considered = tuple(
        match_rule(r, source_type=source_type, category=category, age=age,
                   programmes=facts.programmes, weapon_trigger=facts.weapon_trigger,
                   draft_in_force=ctx.draft_in_force)
        for r in ctx.candidates(agency.type, purpose)
    )
    matching = sorted((m for m in considered if m.matches), key=lambda m: m.rule.breadth)
    band = ctx.band(age)
    for effect in (Effect.DENY, Effect.ALLOW):
        hit = next((m for m in matching if m.effect == effect), None)
        if hit is not None:
            return Decision(effect == Effect.ALLOW, "rule", rule=hit.rule, checks=tuple(checks),
                            considered=considered, purpose=purpose)
    needs = strictest_consent_rules(matching)
    if needs:
        rule = needs[0].rule
        consent_id = next((cid for cat, cid, cband, given_by in facts.consents
                           if cat == category and cband == band
                           and rule.consent_counts(given_by=given_by, band=band)), None)
        checks.append(Check("consent", str(_("Et gyldig samtykke dekker opplysningen")),
                            consent_id is not None))
        if consent_id is not None:
            return Decision(True, "consent", rule=rule, consent_id=consent_id,
                            checks=tuple(checks), considered=considered, purpose=purpose)
        return Decision(False, "none", rule=rule, checks=tuple(checks),
                        considered=considered, remedy="consent", purpose=purpose)
    return Decision(False, "none", checks=tuple(checks), considered=considered, purpose=purpose)


def explain_many(
    actor: Actor | None, entries: Iterable[Entry], purpose: str, *, ctx: Context | None = None
) -> dict[uuid.UUID, Decision]:
    """Decisions for entries already loaded with case__person and source_agency (four queries
    in all, whatever the number of entries)."""
    ctx = ctx or context_at()
    entries = list(entries)
    facts: dict[uuid.UUID, CaseFacts] = {}
    if may_read_entries(actor) and entries:
        assert actor is not None
        facts = load_facts(
            actor, purpose, {e.case_id: e.case.person.birth_date for e in entries}, ctx
        )
    return {
        e.pk: decide(actor=actor, purpose=purpose, source_agency_id=e.source_agency_id,
                     source_type=e.source_agency.type, category=e.category,
                     facts=facts.get(e.case_id), ctx=ctx)
        for e in entries
    }


def explain(
    actor: Actor | None, entry: Entry, purpose: str, *, ctx: Context | None = None
) -> Decision:
    """The decision for one entry, with every condition met or missing and what decided."""
    return explain_many(actor, [entry], purpose, ctx=ctx)[entry.pk]


def current_entries() -> Exists:
    """Entries that no correction supersedes. NOT EXISTS, not `superseded_by__isnull=True`:
    PostgreSQL estimates the LEFT JOIN … IS NULL form at one row and plans the rest of the query
    for one row, a 15-fold slower plan for some users at city scale (bench/README.md)."""
    return ~Exists(Entry.objects.filter(supersedes_id=OuterRef("pk")))


# --- form 1, specialised to one case ------------------------------------------------------------

def visible_on_case(
    actor: Actor | None, case_id: uuid.UUID, birth_date: dt.date, purpose: str, *,
    ctx: Context | None = None,
) -> Q:
    """`visible_to()` for the entries of one case. The case's facts are loaded once (the three
    queries of `load_facts`), the decision is taken with `decide()` — explain's own function — for
    each (source agency, category) group present on the case (in the same query), and the
    database then only filters by the groups that are allowed. For a single case this is cheaper
    to plan than the general filter; the property test checks it agrees with explain().
    Must run inside `records.access.entries_opened()`."""
    if not may_read_entries(actor):
        return Q(pk__in=[])
    assert actor is not None and actor.membership is not None
    ctx = ctx or context_at()
    agency = actor.membership.agency
    own = Q(source_agency_id=agency.pk)
    groups: list[tuple[uuid.UUID, str, str]] = []
    facts = load_facts(actor, purpose, {case_id: birth_date}, ctx, groups=groups)[case_id]
    if not facts.on_team:
        return own
    allowed: dict[uuid.UUID, list[str]] = defaultdict(list)
    for source_id, source_type, category in groups:
        if decide(actor=actor, purpose=purpose, source_agency_id=source_id,
                  source_type=source_type, category=category, facts=facts, ctx=ctx).allowed:
            allowed[source_id].append(category)
    basis = _any(Q(source_agency_id=source_id, category__in=sorted(categories))
                 for source_id, categories in sorted(allowed.items()))
    return own if basis is None else own | basis


# --- a report sent to another agency ------------------------------------------------------------

def _matching_without_case(ctx: Context, *, source_type: str, recipient_type: str,
                           category: str, purpose: str, age: int) -> list[RuleMatch]:
    """The rules in force that match a disclosure outside a team — no programme, no weapon
    trigger — narrowest first."""
    return sorted(
        (m for m in (match_rule(r, source_type=source_type, category=category, age=age,
                                programmes=set(), weapon_trigger=False,
                                draft_in_force=ctx.draft_in_force)
                     for r in ctx.candidates(recipient_type, purpose))
         if m.matches),
        key=lambda m: m.rule.breadth)


def report_basis(
    *, source_type: str, recipient_type: str, category: str, purpose: str,
    birth_date: dt.date, ctx: Context | None = None,
) -> RuleView | None:
    """The rule that lets an agency of `source_type` send information of `category` about a
    person born on `birth_date` to an agency of `recipient_type` for `purpose` without consent
    and without a team — a duty to report such as barnevernsloven § 13-2 — or None. A matching
    deny rule wins, and a rule that only allows with consent (or an allow rule no lawyer has
    reviewed, outside the demo) is no basis: then the report is the sender's to make by hand."""
    ctx = ctx or context_at()
    matching = _matching_without_case(ctx, source_type=source_type,
                                      recipient_type=recipient_type, category=category,
                                      purpose=purpose, age=age_on(birth_date, ctx.day))
    if any(m.effect == Effect.DENY for m in matching):
        return None
    return next((m.rule for m in matching if m.effect == Effect.ALLOW), None)


# --- a referral: what one agency may disclose to another, by rule or consent -----------------

@dataclass(frozen=True)
class CategoryBasis:
    """Whether information of `category` may go to the recipient: the rule that decided (a deny,
    an allow, or the consent-required rule whose consent is or is not there) and the consent."""

    category: str
    allowed: bool
    rule: RuleView | None = None
    consent_id: uuid.UUID | None = None


#: a live consent grant as `disclosure_basis` reads it: (consent id, category, age band, given by)
LiveGrant = tuple[str, str, str, str]


def live_consent_grants(*, case_ids: Iterable[uuid.UUID], recipient_type: str, purpose: str,
                        ctx: Context) -> dict[uuid.UUID, list[LiveGrant]]:
    """The live consent grants of many cases to one recipient type and purpose, in one query:
    what `disclosure_basis` reads for each case, for a list of disclosures (no N+1)."""
    live = ConsentGrant.objects.filter(
        Q(consent__withdrawn_at__isnull=True) | Q(consent__withdrawn_at__gt=ctx.at),
        case_id__in=list(case_ids), recipient=recipient_type, purpose=purpose,
        consent__valid_from__lte=ctx.day, consent__valid_to__gte=ctx.day,
    ).values_list("case_id", "category", "consent_id", "consent__age_band", "consent__given_by")
    found: dict[uuid.UUID, list[LiveGrant]] = {}
    for case_id, cat, cid, cband, given_by in live:
        found.setdefault(case_id, []).append((str(cid), cat, cband, given_by))
    # several consents may cover a category; any one is a basis — pick the same one every time
    return {case_id: sorted(grants) for case_id, grants in found.items()}


def disclosure_basis(
    *, source_type: str, recipient_type: str, case_id: uuid.UUID, birth_date: dt.date,
    categories: Iterable[str], purpose: str, ctx: Context | None = None,
    grants: list[LiveGrant] | None = None,
) -> list[CategoryBasis]:
    """For a disclosure the sender makes about a person on a case (a referral to an activity):
    per category, whether a rule allows it outright or a live consent on the case covers it for
    the recipient's agency type and purpose (in the person's age band, and from both where the
    rule says so). A matching deny rule wins; nothing matching is no basis. The same order as
    `decide()`, without a team: the recipient is not on the case and learns nothing else. A list
    passes the case's `grants` from one `live_consent_grants` call for all its rows."""
    ctx = ctx or context_at()
    age = age_on(birth_date, ctx.day)
    band = ctx.band(age)
    if grants is None:
        grants = live_consent_grants(case_ids=[case_id], recipient_type=recipient_type,
                                     purpose=purpose, ctx=ctx).get(case_id, [])
    result = []
    for category in categories:
        matching = _matching_without_case(ctx, source_type=source_type,
                                          recipient_type=recipient_type, category=category,
                                          purpose=purpose, age=age)
        hit = (next((m for m in matching if m.effect == Effect.DENY), None)
               or next((m for m in matching if m.effect == Effect.ALLOW), None))
        if hit is not None:
            result.append(CategoryBasis(category, hit.effect == Effect.ALLOW, hit.rule))
            continue
        needs = strictest_consent_rules(matching)
        if not needs:
            result.append(CategoryBasis(category, False))
            continue
        rule = needs[0].rule
        consent_id = next((uuid.UUID(cid) for cid, cat, cband, given_by in grants
                           if cat == category and cband == band
                           and rule.consent_counts(given_by=given_by, band=band)), None)
        result.append(CategoryBasis(category, consent_id is not None, rule, consent_id))
    return result
