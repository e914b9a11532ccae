"""The family support's links on the case page, for those allowed: parent support and
interpreters for the case's workflow readers, relocation for the bydel's coordinator and leader.
No relocation application is named on the case page (it exists only for its handlers)."""

from typing import Any

from django import template

from laget.cases.access import may_see_workflow
from laget.familysupport.access import may_register_relocation
from laget.records.models import Case

register = template.Library()


@register.inclusion_tag("web/familysupport/case_links.html", takes_context=True)
def familysupport_links(context: Any, case: Case) -> dict[str, Any]:
    actor = context.get("actor")
    readers = actor is not None and may_see_workflow(actor, case)
    return {"case": case, "show": readers,
            "relocation": readers and case.is_open and may_register_relocation(actor, case)}
