"""The sharing part of the API: «Kan jeg dele dette?» and the rulebook in force. Both are open
without login: they describe a situation by codes alone and hold no personal data (so there is no
session, and no CSRF token to ask for)."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from laget.accounts.models import AgencyType
from laget.api.problems import Problem
from laget.core import ratelimit
from laget.core.errors import NotFound
from laget.records.vocabulary import (
    RECIPIENTS,
    ConsentState,
    InfoCategory,
    Programme,
    SharingPurpose,
)
from laget.sharing import guide
from laget.sharing.models import Rule
from laget.sharing.selectors_rules import rule_list, rulebook_in_force

router = Router(tags=["sharing"])

SourceCode = Literal[tuple(AgencyType.values)]  # type: ignore[valid-type]
RecipientCode = Literal[RECIPIENTS]  # type: ignore[valid-type]
CategoryCode = Literal[tuple(InfoCategory.values)]  # type: ignore[valid-type]
PurposeCode = Literal[tuple(SharingPurpose.values)]  # type: ignore[valid-type]
ProgrammeCode = Literal[tuple(Programme.values)]  # type: ignore[valid-type]
ConsentCode = Literal[tuple(ConsentState.values)]  # type: ignore[valid-type]
CitationStatusCode = Literal["verified", "partial", "unverified"]
RuleStatus = Literal["draft", "reviewed"]


class GuideQuestion(Schema):
    """A situation described by codes: who holds the information, who would receive it, what it
    is, why, the person's age, who has consented, and the case's programme and weapon trigger."""

    model_config = ConfigDict(extra="forbid")

    source: SourceCode = Field(description="The agency type that holds the information.")
    recipient: RecipientCode = Field(description="The agency type (or familie) to share with.")
    category: CategoryCode = Field(description="The information category.")
    purpose: PurposeCode = Field(description="Why it would be shared.")
    person_age: int = Field(ge=0, le=120, strict=True, description="Age in whole years.")
    consent: ConsentCode = Field(default="none", description="Who has consented.")
    programme: ProgrammeCode | None = Field(
        default=None, description="A programme the case is enrolled in."
    )
    weapon_trigger: bool = Field(default=False, strict=True,
                                 description="The case has an open weapon trigger.")


class GuideAnswer(Schema):
    answer: Literal["yes", "no", "consent_required"]
    rule_id: str | None
    citation: str
    citation_status: CitationStatusCode | None
    explanation: str
    rule_status: RuleStatus | None
    consent_needed_from: Literal["guardian", "youth", "both"]
    rulebook_version: str | None


class Conditions(Schema):
    age_min: int | None
    age_max: int | None
    programme: ProgrammeCode | None
    weapon_trigger: bool


class Explanation(Schema):
    nb: str
    en: str


class RuleOut(Schema):
    id: str
    sources: list[SourceCode]
    recipients: list[RecipientCode]
    categories: list[CategoryCode]
    purposes: list[PurposeCode]
    conditions: Conditions
    effect: Literal["allow", "deny", "consent_required"]
    consent_requires: Literal["both"] | None = Field(
        description="For a consent rule: a minor's consent must come from both the young person "
                    "and the guardians.")
    citation: str
    citation_status: CitationStatusCode
    status: RuleStatus
    reviewed_by: str | None
    reviewed_on: dt.date | None
    valid_from: dt.date
    valid_to: dt.date | None
    explanation: Explanation


class RulebookOut(Schema):
    version: str
    title: str
    loaded_at: dt.datetime
    sha256: str
    rules: list[RuleOut]


@router.post(
    "/guide", response={200: GuideAnswer, 400: Problem, 429: Problem}, url_name="sharing_guide",
    operation_id="sharing_guide", summary="Kan jeg dele dette? (may I share this?)",
)
def sharing_guide(request: HttpRequest, payload: GuideQuestion) -> dict[str, object]:
    """The rulebook's answer: yes, no, or only with consent (and whose consent for this age),
    with the deciding rule, its citation and whether a lawyer has reviewed it."""
    ratelimit.check("api_open", ratelimit.client_address(request), request=request)
    result = guide.ask(
        source=payload.source, recipient=payload.recipient, category=payload.category,
        purpose=payload.purpose, person_age=payload.person_age, consent=payload.consent,
        programme=payload.programme, weapon_trigger=payload.weapon_trigger,
    )
    rule = result.rule
    version = rulebook_in_force()
    return {
        "answer": result.answer,
        "rule_id": result.rule_id,
        "citation": result.citation,
        "citation_status": rule.citation_status if rule else None,
        "explanation": str(result.explanation),
        "rule_status": None if rule is None else ("draft" if rule.is_draft else "reviewed"),
        "consent_needed_from": result.consent_needed_from,
        "rulebook_version": version.version if version else None,
    }


def _rule(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.rule_id,
        "sources": rule.sources,
        "recipients": rule.recipients,
        "categories": rule.categories,
        "purposes": rule.purposes,
        "conditions": {"age_min": rule.age_min, "age_max": rule.age_max,
                       "programme": rule.programme or None,
                       "weapon_trigger": rule.weapon_trigger},
        "effect": rule.effect,
        "consent_requires": rule.consent_requires or None,
        "citation": rule.citation,
        "citation_status": rule.citation_status,
        "status": "reviewed" if rule.reviewed_by else "draft",
        "reviewed_by": rule.reviewed_by or None,
        "reviewed_on": rule.reviewed_on,
        "valid_from": rule.valid_from,
        "valid_to": rule.valid_to,
        "explanation": {"nb": rule.explanation_nb, "en": rule.explanation_en},
    }


@router.get(
    "/rules", response={200: RulebookOut, 404: Problem}, url_name="sharing_rules",
    operation_id="sharing_rules", summary="The rulebook in force",
)
def sharing_rules(request: HttpRequest) -> dict[str, object]:
    """Every rule of the version in force, with its validity dates (a rule may not yet, or no
    longer, be valid)."""
    version = rulebook_in_force()
    if version is None:
        raise NotFound(_("Ingen regelbok er lastet."))
    return {
        "version": version.version,
        "title": version.title,
        "loaded_at": version.loaded_at,
        "sha256": version.sha256,
        "rules": [_rule(rule) for rule in rule_list(version=version)],
    }

