"""`{% family_thread access as thread %}`: the message thread on the family's person page.

Why a tag and not the person view's context: the person view belongs to the plan and consents
(laget.family.views); the thread is its own feature (laget.family.thread) and is read — audited,
like every family read — only where a template asks for it."""

from django import template

from laget.family import thread
from laget.family.selectors import FamilyAccess

register = template.Library()


@register.simple_tag
def family_thread(access: FamilyAccess) -> list[thread.ThreadMessage] | None:
    return thread.family_thread_for(access=access)
