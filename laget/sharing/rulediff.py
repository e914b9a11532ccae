"""What loading a new rulebook would change, before it is loaded (`manage.py rules diff` and the
administrator's rulebook page).

For every (source agency type, recipient, category, purpose) the guide's answer under the version
in force is compared with the answer under the new file, over a small grid of the conditions that
matter for that combination: ages cut at the rules' age bounds and the consent age bands, each
programme a rule names, weapon trigger off/on where a rule names it, and consent none/both. A
combination whose rules are the same in both files (same conditions and effects, same consent
regime) cannot change and is not evaluated. For each changed combination the live data says how
many people and entries it concerns: active team members of the recipient's agency type on cases
with such entries, and current entries of that source type and category (aggregate counts only).
"""

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import product
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from laget.accounts.models import AgencyType
from laget.records.access import entries_opened
from laget.records.models import Entry, TeamMember
from laget.records.vocabulary import RECIPIENTS, ConsentState, InfoCategory, SharingPurpose
from laget.sharing.engine import Context, RuleView, context_at, current_entries
from laget.sharing.guide import CONSENT_REQUIRED, NO, YES, ask, consent_needed_from
from laget.sharing.models import AgeBand, Effect, RulebookVersion
from laget.sharing.rulebook import RulebookSpec, parse_rulebook, rule_rows
from laget.sharing.selectors_rules import rule_changed_fields

MAX_AGE = 120
RANK = {NO: 0, CONSENT_REQUIRED: 1, YES: 2}
CONSENT_GRID = (ConsentState.NONE.value, ConsentState.BOTH.value)
GAIN, LOSS, MIXED, CHANGE = "gain", "loss", "mixed", "change"


@dataclass(frozen=True, order=True)
class AgeSpan:
    """Whole years from `low` to `high` (both included; `high` None: and older)."""

    low: int
    high: int | None


@dataclass(frozen=True)
class Outcome:
    answer: str  # yes | no | consent_required
    consent_from: str = ""  # who must consent, when the answer is consent_required

    @property
    def rank(self) -> int:
        return RANK[self.answer]


@dataclass(frozen=True)
class Where:
    """A set of condition values where a transition happens. An empty tuple means any value of
    that condition."""

    ages: tuple[AgeSpan, ...]
    programmes: tuple[str, ...]  # "" is "no programme"
    weapon_trigger: tuple[bool, ...]
    consent: tuple[str, ...]


@dataclass(frozen=True)
class Transition:
    old: Outcome
    new: Outcome
    where: tuple[Where, ...]

    @property
    def direction(self) -> str:
        if self.new.rank > self.old.rank:
            return GAIN
        return LOSS if self.new.rank < self.old.rank else CHANGE


@dataclass(frozen=True)
class ComboChange:
    source: str
    recipient: str
    category: str
    purpose: str
    transitions: tuple[Transition, ...]
    users: int = 0
    entries: int = 0

    @property
    def direction(self) -> str:
        directions = {t.direction for t in self.transitions} - {CHANGE}
        if len(directions) > 1:
            return MIXED
        return directions.pop() if directions else CHANGE


@dataclass(frozen=True)
class RuleEdit:
    rule_id: str
    status: str  # added | removed | changed
    changed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RulebookDiff:
    file_name: str
    sha256: str
    version: str
    title: str
    current: RulebookVersion | None
    rules: tuple[RuleEdit, ...]
    consent_changed: bool
    changes: tuple[ComboChange, ...]

    @property
    def same_as_current(self) -> bool:
        return self.current is not None and self.current.sha256 == self.sha256

    def count(self, direction: str) -> int:
        return sum(1 for change in self.changes if change.direction == direction)

    @property
    def gains(self) -> int:
        return self.count(GAIN)

    @property
    def losses(self) -> int:
        return self.count(LOSS)

    @property
    def access_changes(self) -> tuple[ComboChange, ...]:
        """The combinations where someone gains or loses access."""
        return tuple(change for change in self.changes if change.direction != CHANGE)

    @property
    def consent_changes(self) -> list[tuple[tuple[Transition, ...], list[ComboChange]]]:
        """The combinations where only who must consent changes, grouped by the change (a new
        consent regime touches most combinations the same way)."""
        groups: dict[tuple[Transition, ...], list[ComboChange]] = defaultdict(list)
        for change in self.changes:
            if change.direction == CHANGE:
                groups[change.transitions].append(change)
        return sorted(groups.items(), key=lambda item: (-len(item[1]), repr(item[0])))


# --- the comparison -----------------------------------------------------------------------------

def context_of(spec: RulebookSpec, *, base: Context) -> Context:
    """The decision context a rulebook file would give at the moment of `base`, unloaded."""
    version = RulebookVersion(
        version=spec.version, title=spec.title,
        consent_settings=spec.consent.model_dump(mode="json"),
    )
    rules = tuple(RuleView.of(rule) for rule in rule_rows(spec, version))
    return Context(
        at=base.at, day=base.day, version=version,
        rules=tuple(rule for rule in rules if rule.in_force(base.day)),
        joint_from_age=spec.consent.joint_from_age, adult_from_age=spec.consent.adult_from_age,
        draft_in_force=base.draft_in_force,
    )


def _relevant(ctx: Context, source: str, recipient: str, category: str,
              purpose: str) -> list[RuleView]:
    return [
        rule for rule in ctx.candidates(recipient, purpose)
        if source in rule.sources and category in rule.categories
    ]


#: What a rule relevant to one combination contributes to the answer beyond these fields: its
#: conditions, effect and review status (and whatever the engine's rule snapshot adds later).
_NEUTRAL: dict[str, Any] = {
    "pk": 0, "rule_id": "", "sources": frozenset(), "recipients": frozenset(),
    "categories": frozenset(), "purposes": frozenset(), "citation": "", "citation_status": "",
    "explanation_nb": "", "explanation_en": "", "valid_from": dt.date.min, "valid_to": None,
}


def _signature(ctx: Context, rules: Sequence[RuleView], category: str) -> tuple[object, ...]:
    """Everything the guide's answer for one combination depends on."""
    effects = frozenset(
        (replace(rule, **_NEUTRAL), rule.effective_effect(draft_in_force=ctx.draft_in_force))
        for rule in rules
    )
    consent: tuple[object, ...] = ()
    if any(effect == Effect.CONSENT_REQUIRED for _rule, effect in effects):
        consent = (ctx.joint_from_age, ctx.adult_from_age,
                   *(consent_needed_from(ctx, category, band) for band in AgeBand))
    return effects, consent


@dataclass(frozen=True)
class _Grid:
    ages: tuple[AgeSpan, ...]
    programmes: tuple[str, ...]
    weapon_trigger: tuple[bool, ...]
    consent: tuple[str, ...] = CONSENT_GRID


def _grid(contexts: Iterable[Context], rules: Iterable[RuleView]) -> _Grid:
    rules = list(rules)
    cuts: set[int] = set()
    for ctx in contexts:
        cuts |= {ctx.joint_from_age, ctx.adult_from_age}
    for rule in rules:
        if rule.age_min is not None:
            cuts.add(rule.age_min)
        if rule.age_max is not None:
            cuts.add(rule.age_max + 1)
    starts = sorted({0} | {cut for cut in cuts if 0 < cut <= MAX_AGE})
    ages = tuple(
        AgeSpan(low, starts[i + 1] - 1 if i + 1 < len(starts) else None)
        for i, low in enumerate(starts)
    )
    programmes = ("", *sorted({rule.programme for rule in rules if rule.programme}))
    weapon = (False, True) if any(rule.weapon_trigger for rule in rules) else (False,)
    return _Grid(ages=ages, programmes=programmes, weapon_trigger=weapon)


def _outcome(ctx: Context, combo: tuple[str, str, str, str], age: int, programme: str,
             weapon_trigger: bool, consent: str) -> Outcome:
    source, recipient, category, purpose = combo
    answer = ask(source=source, recipient=recipient, category=category, purpose=purpose,
                 person_age=age, consent=consent, programme=programme or None,
                 weapon_trigger=weapon_trigger, ctx=ctx)
    consent_from = answer.consent_needed_from if answer.answer == CONSENT_REQUIRED else ""
    return Outcome(answer.answer, consent_from)


def _merge_ages(spans: Iterable[AgeSpan]) -> tuple[AgeSpan, ...]:
    merged: list[AgeSpan] = []
    for span in sorted(spans):
        last = merged[-1] if merged else None
        if last is not None and last.high is not None and last.high + 1 == span.low:
            merged[-1] = AgeSpan(last.low, span.high)
        else:
            merged.append(span)
    return tuple(merged)


def _values[T](values: set[T], grid: tuple[T, ...]) -> tuple[T, ...]:
    return () if set(grid) <= values else tuple(v for v in grid if v in values)


Point = tuple[AgeSpan, str, bool, str]  # ages, programme, weapon trigger, consent


def _where(points: set[Point], grid: _Grid) -> tuple[Where, ...]:
    """The points as few condition sets as the grid allows (each set a full product)."""
    ages_by_rest: dict[tuple[str, bool, str], set[AgeSpan]] = defaultdict(set)
    for span, programme, weapon, consent in points:
        ages_by_rest[(programme, weapon, consent)].add(span)
    rests_by_ages: dict[frozenset[AgeSpan], list[tuple[str, bool, str]]] = defaultdict(list)
    for rest, spans in ages_by_rest.items():
        rests_by_ages[frozenset(spans)].append(rest)
    result: list[Where] = []
    for age_set, rests in rests_by_ages.items():
        programmes_by_pair: dict[tuple[bool, str], set[str]] = defaultdict(set)
        for programme, weapon, consent in rests:
            programmes_by_pair[(weapon, consent)].add(programme)
        pairs_by_programmes: dict[frozenset[str], list[tuple[bool, str]]] = defaultdict(list)
        for pair, programme_set in programmes_by_pair.items():
            pairs_by_programmes[frozenset(programme_set)].append(pair)
        for programmes, pairs in pairs_by_programmes.items():
            weapons = {w for w, _c in pairs}
            consents = {c for _w, c in pairs}
            groups = (
                [(weapons, consents)] if len(pairs) == len(weapons) * len(consents)
                else [({w}, {c}) for w, c in sorted(pairs)]
            )
            for group_weapons, group_consents in groups:
                result.append(Where(
                    ages=() if set(grid.ages) <= age_set else _merge_ages(age_set),
                    programmes=_values(set(programmes), grid.programmes),
                    weapon_trigger=_values(group_weapons, grid.weapon_trigger),
                    consent=_values(group_consents, grid.consent),
                ))
    return tuple(sorted(result, key=repr))


def _compare(combo: tuple[str, str, str, str], old: Context, new: Context,
             rules: list[RuleView]) -> tuple[Transition, ...]:
    grid = _grid((old, new), rules)
    by_transition: dict[tuple[Outcome, Outcome], set[Point]] = defaultdict(set)
    for ages, programme, weapon, consent in product(
        grid.ages, grid.programmes, grid.weapon_trigger, grid.consent
    ):
        before = _outcome(old, combo, ages.low, programme, weapon, consent)
        after = _outcome(new, combo, ages.low, programme, weapon, consent)
        if before.answer != after.answer:  # who must consent matters only if access is same
            before, after = Outcome(before.answer), Outcome(after.answer)
        if before != after:
            by_transition[(before, after)].add((ages, programme, weapon, consent))
    return tuple(
        Transition(before, after, _where(points, grid))
        for (before, after), points in sorted(
            by_transition.items(), key=lambda item: (item[0][0].rank, item[0][1].rank, repr(item))
        )
    )


def _counts(combos: Sequence[tuple[str, str, str, str]], day: dt.date) -> dict[
    tuple[str, str, str, str], tuple[int, int]
]:
    """(users, entries) per combination, by aggregate queries: one for the entries, one per
    (source type, category) for the people."""
    pairs = sorted({(source, category) for source, _r, category, _p in combos})
    if not pairs:
        return {}
    people: dict[tuple[str, str, str], int] = {}
    with entries_opened():
        current = Entry.objects.filter(current_entries())
        pair_q = Q()
        for source, category in pairs:
            pair_q |= Q(source_agency__type=source, category=category)
        entries = {
            (source, category): n
            for source, category, n in current.filter(pair_q)
            .values_list("source_agency__type", "category").order_by()
            .annotate(n=Count("pk")).values_list("source_agency__type", "category", "n")
        }
        for source, category in pairs:
            has_entries = Exists(current.filter(
                case_id=OuterRef("case_id"), source_agency__type=source, category=category
            ))
            for recipient, n in (
                TeamMember.objects.active(day).filter(has_entries)
                .values_list("agency__type").order_by()
                .annotate(n=Count("user_id", distinct=True)).values_list("agency__type", "n")
            ):
                people[(source, category, recipient)] = n
    return {
        combo: (people.get((combo[0], combo[2], combo[1]), 0), entries.get((combo[0], combo[2]), 0))
        for combo in combos
    }


def rule_edits(current: RulebookVersion | None, spec: RulebookSpec) -> tuple[RuleEdit, ...]:
    """Rules a file adds, changes (with the fields) or removes compared with a loaded version."""
    old = {rule.rule_id: rule for rule in (current.rules.all() if current else [])}
    new = {rule.rule_id: rule for rule in rule_rows(spec, RulebookVersion())}
    edits = [RuleEdit(rule_id, "removed") for rule_id in old if rule_id not in new]
    for rule_id, rule in new.items():
        if rule_id not in old:
            edits.append(RuleEdit(rule_id, "added"))
        elif changed := rule_changed_fields(old[rule_id], rule):
            edits.append(RuleEdit(rule_id, "changed", changed))
    order = {"added": 0, "changed": 1, "removed": 2}
    return tuple(sorted(edits, key=lambda e: (order[e.status], e.rule_id)))


def rulebook_diff(*, text: str, file_name: str, at: dt.datetime | None = None) -> RulebookDiff:
    """Compare a rulebook file with the version in force; RulebookError if the file is invalid.
    Writes nothing."""
    spec = parse_rulebook(text, file_name=file_name)
    old = context_at(at)
    new = context_of(spec, base=old)
    combos: list[tuple[tuple[str, str, str, str], tuple[Transition, ...]]] = []
    for combo in product(AgencyType.values, RECIPIENTS, InfoCategory.values,
                         SharingPurpose.values):
        old_rules = _relevant(old, *combo)
        new_rules = _relevant(new, *combo)
        category = combo[2]
        if _signature(old, old_rules, category) == _signature(new, new_rules, category):
            continue
        transitions = _compare(combo, old, new, old_rules + new_rules)
        if transitions:
            combos.append((combo, transitions))
    counts = _counts([combo for combo, _t in combos], old.day)
    current = old.version
    return RulebookDiff(
        file_name=file_name,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        version=spec.version,
        title=spec.title,
        current=current,
        rules=rule_edits(current, spec),
        consent_changed=(current.consent_settings if current else {})
        != spec.consent.model_dump(mode="json"),
        changes=tuple(
            ComboChange(*combo, transitions=transitions, users=counts[combo][0],
                        entries=counts[combo][1])
            for combo, transitions in combos
        ),
    )
