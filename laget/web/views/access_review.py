"""The agency leader's quarterly access review (/konto/tilgangsgjennomgang/): who in the agency
has access, on which cases, who has not used it; the leader confirms or removes each member."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from laget.accounts.access import Actor, actor_required
from laget.accounts.models import AccessDecision, Role
from laget.core.errors import DomainError
from laget.web.forms.access_review import AccessReviewForm
from laget.web.selectors.access_review import access_review_page
from laget.web.services.access_review import access_review_complete


@actor_required([Role.LEADER])
@require_http_methods(["GET", "POST"])
def access_review(request: HttpRequest, actor: Actor) -> HttpResponse:
    page = access_review_page(actor=actor)
    names = {m.user.pk: m.user.get_full_name() or m.user.username for m in page.members}
    form = AccessReviewForm(request.POST if request.method == "POST" else None, members=names)
    if request.method == "POST" and page.done is None and form.is_valid():
        try:
            review = access_review_complete(actor=actor, decisions=form.decisions())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            removed = review.lines.filter(decision=AccessDecision.REMOVED).count()
            messages.success(request, _("Tilgangsgjennomgangen for %(period)s er lagret. "
                                        "%(removed)s medarbeidere mistet tilgangen.")
                             % {"period": review.period, "removed": removed})
            return redirect("web:access_review")
    rows = form.rows()
    return render(request, "web/access_review.html", {
        "page": page, "form": form,
        "members": [(m, *rows[m.user.pk]) for m in page.members],
    })
