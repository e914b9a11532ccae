"""The coordinator's side of the family's message thread (laget.family.thread): read the thread
and reply. Only the coordinator or leader of the case's bydel; to the rest of the team, as to
everyone else, the page does not exist (404). The thread also shows on the case page, whose form
posts here."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from laget.accounts.access import Actor, actor_required
from laget.core.errors import DomainError, NotFound
from laget.family import thread
from laget.family.models import TEXT_MAX_LENGTH
from laget.records.models import Case
from laget.records.services import CASE_ROLES
from laget.sharing import selectors as sharing

#: the thread is the follow-up agreed with the family
PURPOSE = thread.PURPOSE


def _case(actor: Actor, case_id: uuid.UUID) -> Case:
    """The case as the case page opens it; whether the actor may use its thread is the thread's
    services' to decide (and audit)."""
    try:
        return sharing.case_get_for(actor=actor, case_id=case_id, purpose=PURPOSE)
    except NotFound:
        raise Http404 from None


def _told(request: HttpRequest, reply: thread.StaffReply) -> None:
    """Say what the family was told, and who must be told by hand and why."""
    sent = [n for n in reply.notices if n.message_id is not None]
    manual = [n for n in reply.notices if n.message_id is None]
    if sent:
        messages.success(request, ngettext(
            "Svaret er sendt. %(count)d foresatt får SMS eller e-post om at det er en ny melding.",
            "Svaret er sendt. %(count)d foresatte får SMS eller e-post om at det er en ny "
            "melding.", len(sent)) % {"count": len(sent)})
    else:
        messages.success(request, _("Svaret er sendt."))
    for notice in manual:
        messages.warning(request, _("En foresatt fikk ikke beskjed automatisk: %(reason)s")
                         % {"reason": notice.manual_reason})
    if not reply.notices:
        messages.warning(request, _("Ingen i familien kan få beskjed automatisk om svaret. Gi "
                                    "beskjed på en annen måte om det haster."))


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def family_messages(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    """GET: the thread with the reply form. POST: the reply, then back to the case page; a reply
    that cannot be sent comes back here with the text kept and what is wrong."""
    case = _case(actor, case_id)
    error, text = "", ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            reply = thread.staff_reply_post(actor=actor, case=case, text=text)
        except NotFound:
            raise Http404 from None
        except DomainError as refusal:
            error = refusal.message
        else:
            _told(request, reply)
            return redirect(reverse("web:case_detail", kwargs={"case_id": case.pk})
                            + thread.CASE_ANCHOR)
    try:
        rows = thread.staff_thread_for(actor=actor, case=case)
    except NotFound:
        raise Http404 from None
    return render(request, "web/cases/family_messages/page.html", {
        "case": case, "family_thread": rows, "error": error, "text": text,
        "max_length": TEXT_MAX_LENGTH,
    }, status=400 if error else 200)
