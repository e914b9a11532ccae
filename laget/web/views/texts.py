"""The guardians' message texts in every language (/varsler/tekster/), for staff who must know
what a guardian was told or tell it by hand, and for whoever checks the translations.

Open to every logged-in user whatever the role: the page holds no personal data (the texts are
templates; the SMS cost is counted with made-up values), so, like the district pages, it is not
audited. It is not public only because it is an internal working page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from laget.accounts.access import Actor, actor_required
from laget.web.selectors.texts import text_catalogue


@actor_required()
def notify_texts(request: HttpRequest, actor: Actor | None) -> HttpResponse:
    return render(request, "web/notifications/texts.html", {"catalogue": text_catalogue()})
