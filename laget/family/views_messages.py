"""The family's side of the message thread with the coordinator (laget.family.thread): the page
with the thread and the form, and writing a message. Kept apart from laget.family.views so the
thread can change without touching the plan and consent pages."""

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from laget.core.errors import DomainError, NotFound
from laget.family import selectors, thread
from laget.family.citizen import Citizen
from laget.family.models import TEXT_MAX_LENGTH
from laget.family.views import citizen_required

ANCHOR = "#meldinger"


@require_http_methods(["GET", "POST"])
@citizen_required
def thread_page(request: HttpRequest, citizen: Citizen, person_id: uuid.UUID
                ) -> HttpResponseBase:
    """GET: the thread with the form. POST: write to the coordinator, then back to the person's
    page; a message that cannot be sent comes back here with the text kept and what is wrong."""
    access = selectors.family_access_get(citizen=citizen, person_id=person_id, view="messages")
    error, text = "", ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            thread.family_message_post(access=access, text=text)
        except NotFound:  # no longer allowed: the one «no access» page (citizen_required)
            raise
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, _("Meldingen er sendt til koordinatoren."))
            return redirect(reverse("family:person", kwargs={"person_id": access.person.pk})
                            + ANCHOR)
    rows = thread.family_thread_for(access=access)
    response: HttpResponse = render(request, "family/messages.html", {
        "access": access, "person": access.person, "thread": rows, "error": error,
        "text": text, "max_length": TEXT_MAX_LENGTH,
    }, status=400 if error else 200)
    return response
