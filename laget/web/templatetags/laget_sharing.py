"""Labels for the rulebook's codes on the guide and rulebook pages: agency types, recipients,
categories, purposes, conditions, effects, answers and citation status, in the active language."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from laget.accounts.models import AgencyType
from laget.records.vocabulary import (
    FAMILIE_RECIPIENT,
    RECIPIENTS,
    ConsentState,
    InfoCategory,
    Programme,
    SharingPurpose,
)
from laget.sharing.guide import CONSENT_REQUIRED, NO, YES
from laget.sharing.models import CitationStatus, Effect
from laget.sharing.rulediff import AgeSpan, Outcome, Where

register = template.Library()


def _recipient_label(code: str) -> str:
    if code == FAMILIE_RECIPIENT:
        return _("familien")
    return str(AgencyType(code).label)


def _labels(codes: Iterable[str], order: Iterable[str], label: Any, every: str) -> str:
    chosen = set(codes)
    order = list(order)
    if set(order) <= chosen:
        return every
    return ", ".join(str(label(code)) for code in order if code in chosen)


@register.filter
def agency_types(codes: Iterable[str]) -> str:
    return _labels(codes, AgencyType.values, lambda c: AgencyType(c).label, _("Alle"))


@register.filter
def recipients(codes: Iterable[str]) -> str:
    return _labels(codes, RECIPIENTS, _recipient_label, _("Alle"))


@register.filter
def recipient_label(code: str) -> str:
    return _recipient_label(code)


@register.filter
def categories(codes: Iterable[str]) -> str:
    return _labels(codes, InfoCategory.values, lambda c: InfoCategory(c).label, _("Alle"))


@register.filter
def purposes(codes: Iterable[str]) -> str:
    return _labels(codes, SharingPurpose.values, lambda c: SharingPurpose(c).label, _("Alle"))


@register.filter
def conditions(rule: Any) -> list[str]:
    """The conditions of a rule (a Rule row or a RuleView) in words."""
    result = []
    if rule.age_min is not None:
        result.append(_("personen er minst %(n)s år") % {"n": rule.age_min})
    if rule.age_max is not None:
        result.append(_("personen er høyst %(n)s år") % {"n": rule.age_max})
    if rule.programme:
        result.append(_("saken er med i %(p)s") % {"p": Programme(rule.programme).label})
    if rule.weapon_trigger:
        result.append(_("saken har en åpen våpenutløser"))
    return result


@register.filter
def effect_label(effect: str) -> str:
    return str(Effect(effect).label)


ANSWER_LABELS = {
    YES: gettext_lazy("Ja"), NO: gettext_lazy("Nei"),
    CONSENT_REQUIRED: gettext_lazy("Bare med samtykke"),
}


@register.filter
def answer_label(answer: str) -> str:
    return str(ANSWER_LABELS[answer])


@register.filter
def consent_from_label(code: str) -> str:
    return {
        ConsentState.GUARDIAN.value: _("foresatte med foreldreansvar"),
        ConsentState.YOUTH.value: _("den unge selv"),
        ConsentState.BOTH.value: _("både den unge og foresatte"),
    }[code]


@register.filter
def citation_status_text(status: str) -> str:
    return {
        CitationStatus.VERIFIED.value: _("hjemmelen er kontrollert"),
        CitationStatus.PARTIAL.value: _("hjemmelen er delvis kontrollert"),
        CitationStatus.UNVERIFIED.value: _("hjemmelen er ikke kontrollert"),
    }[status]


@register.filter
def citation_symbol(status: str) -> str:
    return str(CitationStatus(status).label)


@register.filter
def outcome_label(outcome: Outcome) -> str:
    label = str(ANSWER_LABELS[outcome.answer])
    if outcome.consent_from:
        return _("%(answer)s (fra %(who)s)") % {
            "answer": label, "who": consent_from_label(outcome.consent_from)
        }
    return label


def _ages(spans: tuple[AgeSpan, ...]) -> str:
    parts = []
    for span in spans:
        if span.high is None:
            parts.append(_("%(n)s år eller eldre") % {"n": span.low})
        elif span.low == span.high:
            parts.append(ngettext("%(n)s år", "%(n)s år", span.low) % {"n": span.low})
        else:
            parts.append(_("%(low)s–%(high)s år") % {"low": span.low, "high": span.high})
    return ", ".join(parts)


@register.filter
def where_text(where: Where) -> str:
    """Where a transition happens, in words ("alltid" when no condition matters)."""
    parts = []
    if where.ages:
        parts.append(_("alder %(ages)s") % {"ages": _ages(where.ages)})
    if where.programmes:
        names = [str(Programme(p).label) if p else _("uten program") for p in where.programmes]
        parts.append(", ".join(names))
    if where.weapon_trigger:
        parts.append(", ".join(_("med våpenutløser") if on else _("uten våpenutløser")
                               for on in where.weapon_trigger))
    if where.consent:
        parts.append(", ".join(
            _("samtykke: %(state)s") % {"state": ConsentState(c).label} for c in where.consent
        ))
    return "; ".join(parts) or _("alltid")


@register.filter
def answer_icon(answer: str) -> str:
    """The Punkt alert icon for an answer (the file and its symbol id)."""
    return {YES: "alert-success", NO: "alert-error"}.get(answer, "alert-warning")


@register.filter
def category_label(code: str) -> str:
    return str(InfoCategory(code).label)


@register.filter
def purpose_label(code: str) -> str:
    return str(SharingPurpose(code).label)
