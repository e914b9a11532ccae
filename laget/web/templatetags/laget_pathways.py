"""`{% case_referrals case as referrals %}`: the case's referrals to offers for the case page.

A tag rather than the case view's context: the referrals are the pathways app's feature, read only
where a template asks for them; None for a reader who does not see the case's workflow."""

from django import template

from laget.accounts.middleware import actor_for
from laget.pathways import selectors
from laget.pathways.selectors import CaseReferral
from laget.records.models import Case

register = template.Library()


@register.simple_tag(takes_context=True)
def case_referrals(context: template.Context, case: Case) -> list[CaseReferral] | None:
    request = context.get("request")
    actor = actor_for(request) if request is not None else None
    if actor is None:
        return None
    return selectors.referrals_for_case(actor=actor, case=case)
