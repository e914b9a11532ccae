"""Reports to barnevern (laget.cases.barnevern): barnevern's list of the reports to its bydel,
one report, and acknowledging receipt. Barnevern case roles only; everyone else gets 404."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laget.accounts.access import Actor, actor_required
from laget.cases import barnevern
from laget.core.errors import NotFound
from laget.records.services import CASE_ROLES


def _require_barnevern(actor: Actor) -> None:
    if not barnevern.is_barnevern(actor):
        raise PermissionDenied


@actor_required(CASE_ROLES)
def report_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    _require_barnevern(actor)
    return render(request, "web/barnevern/list.html",
                  {"reports": barnevern.reports_for(actor=actor), "unit": actor.agency})


@actor_required(CASE_ROLES)
def report_detail(request: HttpRequest, actor: Actor, report_id: uuid.UUID) -> HttpResponse:
    _require_barnevern(actor)
    try:
        report = barnevern.report_get_for(actor=actor, report_id=report_id)
    except NotFound:
        raise Http404 from None
    return render(request, "web/barnevern/detail.html", {"report": report})


@actor_required(CASE_ROLES)
@require_POST
def report_receive(request: HttpRequest, actor: Actor, report_id: uuid.UUID) -> HttpResponse:
    _require_barnevern(actor)
    try:
        barnevern.barnevern_report_receive(actor=actor, report_id=report_id)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Mottak er bekreftet."))
    return redirect("web:barnevern_report", report_id=report_id)
