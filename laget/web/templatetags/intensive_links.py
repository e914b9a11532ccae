"""Intensive follow-up's link on the case page: for the case's bydel coordinator (or leader)
the running enrolment, or enrolment while the case is open; for a follow-up member the
enrolment they follow up. Nobody else learns from the case page whether the youth is enrolled."""

from typing import Any

from django import template

from laget.core import clock
from laget.intensive import access
from laget.records.models import Case

register = template.Library()


@register.inclusion_tag("web/intensive/case_link.html", takes_context=True)
def intensive_links(context: Any, case: Case) -> dict[str, Any]:
    actor = context.get("actor")
    if actor is None:
        return {"case": case}
    enrolment = access.active_enrolments(clock.today()).filter(case=case).first()
    coordinator = access.coordinates(actor, case)
    if enrolment is not None and (coordinator
                                  or access.follow_up_member(actor, enrolment) is not None):
        return {"case": case, "enrolment": enrolment}
    return {"case": case, "may_enrol": coordinator and enrolment is None and case.is_open}
