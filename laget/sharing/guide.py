"""«Kan jeg dele dette?» — the rulebook's answer for a situation described by codes alone (no
person, no entry), for the guide page and its API. It uses the same rule matching as the engine."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from laget.records.vocabulary import ConsentState
from laget.sharing.engine import Context, RuleMatch, RuleView, context_at, match_rule
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
        return _("Ingen regel gir grunnlag for å dele dette. Del ikke opplysningen.")


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
    at: dt.datetime | None = None,
) -> GuideAnswer:
    ctx = context_at(at)
    considered = tuple(
        match_rule(r, source_type=source, category=category, age=person_age,
                   programmes={programme} if programme else set(), weapon_trigger=weapon_trigger,
                   draft_in_force=ctx.draft_in_force)
        for r in ctx.candidates(recipient, purpose)
    )
    matching = [m for m in considered if m.matches]
    band = ctx.band(person_age)
    needed = consent_needed_from(ctx, category, band)
    for effect, answer in ((Effect.DENY, NO), (Effect.ALLOW, YES)):
        hit = next((m for m in matching if m.effect == effect), None)
        if hit is not None:
            return GuideAnswer(answer, hit.rule, considered, needed, band)
    hit = next((m for m in matching if m.effect == Effect.CONSENT_REQUIRED), None)
    if hit is not None:
        answer = YES if consent_satisfies(consent, needed) else CONSENT_REQUIRED
        return GuideAnswer(answer, hit.rule, considered, needed, band)
    return GuideAnswer(NO, None, considered, needed, band)
