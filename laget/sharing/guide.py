"""«Kan jeg dele dette?» — the rulebook's answer for a situation described by codes alone (no
person, no entry), for the guide page and its API. It uses the same rule matching as the engine."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from laget.records.vocabulary import ConsentState
from laget.sharing.engine import (
    Context,
    RuleMatch,
    RuleView,
    context_at,
    match_rule,
    strictest_consent_rules,
)
from laget.sharing.models import AgeBand, Effect

YES, NO, CONSENT_REQUIRED = "yes", "no", "consent_required"

_SATISFIES = {
    "guardian": {ConsentState.GUARDIAN, ConsentState.BOTH},
    "youth": {ConsentState.YOUTH, ConsentState.BOTH},
    "both": {ConsentState.BOTH},
}


@dataclass(frozen=True)
class GuideAnswer:
    answer: str
    rule: RuleView | None
    considered: tuple[RuleMatch, ...]
    consent_needed_from: str  # guardian | youth | both
    band: str
    #: an allow rule that matched but acts as consent-required until a lawyer has reviewed it
    pending: RuleView | None = None

    @property
    def rule_id(self) -> str | None:
        return self.rule.rule_id if self.rule else None

    @property
    def citation(self) -> str:
        return self.rule.citation if self.rule else ""

    @property
    def explanation(self) -> str:
        if self.rule is not None:
            return self.rule.explanation
        return _("Ingen regel gir grunnlag for å dele dette. Ikke del opplysningen.")


def consent_needed_from(ctx: Context, category: str, band: str) -> str:
    """Who must consent for a category in an age band, by the rulebook's consent settings."""
    settings = ctx.version.consent_settings if ctx.version else {}
    by_category = settings.get("category_requires", {}).get(category, {})
    default = {AgeBand.UNDER_16: "guardian", AgeBand.AGE_16_17: "both", AgeBand.ADULT: "youth"}
    return str(by_category.get(band) or settings.get("requires", {}).get(band) or default[band])


def consent_satisfies(state: str, needed_from: str) -> bool:
    return state in _SATISFIES[needed_from]


def ask(
    *, source: str, recipient: str, category: str, purpose: str, person_age: int,
    consent: str = ConsentState.NONE, programme: str | None = None, weapon_trigger: bool = False,
    at: dt.datetime | None = None, ctx: Context | None = None,
) -> GuideAnswer:
    """The answer under the rulebook in force at `at` (now), or under `ctx` (a rulebook not yet
    loaded, as `rules diff` compares)."""
    ctx = ctx or context_at(at)
    considered = tuple(
        match_rule(r, source_type=source, category=category, age=person_age,
                   programmes={programme} if programme else set(), weapon_trigger=weapon_trigger,
                   draft_in_force=ctx.draft_in_force)
        for r in ctx.candidates(recipient, purpose)
    )
    matching = sorted((m for m in considered if m.matches), key=lambda m: m.rule.breadth)
    band = ctx.band(person_age)
    needed = consent_needed_from(ctx, category, band)
    # An allow rule that would answer yes but waits for a lawyer's review (production only).
    pending = next((m.rule for m in matching
                    if m.rule.effect == Effect.ALLOW and m.effect == Effect.CONSENT_REQUIRED), None)
    for effect, answer in ((Effect.DENY, NO), (Effect.ALLOW, YES)):
        hit = next((m for m in matching if m.effect == effect), None)
        if hit is not None:
            return GuideAnswer(answer, hit.rule, considered, needed, band)
    needs = strictest_consent_rules(matching)
    if needs:
        rule = pending or needs[0].rule
        if needs[0].rule.consent_requires == "both" and band != AgeBand.ADULT:
            needed = "both"
        answer = YES if consent_satisfies(consent, needed) else CONSENT_REQUIRED
        return GuideAnswer(answer, rule, considered, needed, band, pending=pending)
    return GuideAnswer(NO, None, considered, needed, band)
