"""The records-lifecycle pages: the leader's archive page (closed cases due for the Noark 5
archive, building an extract, the extracts), one extract with exactly what it holds and its zip,
and the privacy paperwork (the art. 30 record and the DPIA's starting document, as pages and
PDFs). The paperwork holds no personal data: every logged-in user may read it. The archive pages
are for a bydel's leader (their own bydel) and for admins and auditors (what the extracts hold,
never the zip). The work is in laget.lifecycle; the views parse, call and render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from laget.accounts.access import Actor, actor_required
from laget.core.errors import DomainError, NotFound
from laget.lifecycle import paperwork, selectors, services


def _archive_actor(actor: Actor | None) -> Actor:
    if actor is None or not selectors.may_see_archive(actor):
        raise PermissionDenied
    return actor


@actor_required()
@require_http_methods(["GET"])
def archive(request: HttpRequest, actor: Actor) -> HttpResponse:
    actor = _archive_actor(actor)
    return render(request, "web/lifecycle/archive.html", {
        "leader": selectors.is_archiving_leader(actor),
        "due": list(selectors.cases_due_for(actor=actor)[:500]),
        "extracts": list(selectors.extracts_for(actor=actor)[:100]),
        "after_days": settings.LAGET_ARCHIVE_AFTER_DAYS,
    })


@actor_required()
@require_POST
def archive_build(request: HttpRequest, actor: Actor) -> HttpResponse:
    actor = _archive_actor(actor)
    try:
        extract = services.archive_extract_build(actor=actor)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("web:lifecycle_archive")
    messages.success(request, _("Arkivuttrekket er laget."))
    return redirect("web:lifecycle_extract", extract_id=extract.pk)


@actor_required()
@require_http_methods(["GET"])
def extract_detail(request: HttpRequest, actor: Actor, extract_id: str) -> HttpResponse:
    actor = _archive_actor(actor)
    try:
        extract = selectors.extract_get_for(actor=actor, extract_id=extract_id)
    except NotFound as error:
        raise Http404 from error
    return render(request, "web/lifecycle/extract.html", {
        "extract": extract, "items": list(selectors.extract_items(extract=extract)),
        "may_download": selectors.is_archiving_leader(actor),
    })


@actor_required()
@require_http_methods(["GET"])
def extract_zip(request: HttpRequest, actor: Actor, extract_id: str) -> HttpResponse:
    actor = _archive_actor(actor)
    try:
        extract = selectors.extract_get_for(actor=actor, extract_id=extract_id)
        path = services.extract_download_record(actor=actor, extract=extract)
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        if error.code == "gone":
            raise Http404 from error
        raise PermissionDenied(error.message) from error
    return FileResponse(path.open("rb"), as_attachment=True,
                        filename=f"arkivuttrekk-{extract.pk}.zip", content_type="application/zip")


@actor_required()
@require_http_methods(["GET"])
def processing_record(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "web/lifecycle/record.html", {"record": paperwork.processing_record()})


@actor_required()
@require_http_methods(["GET"])
def processing_record_pdf(request: HttpRequest, actor: Actor) -> HttpResponse:
    response = HttpResponse(paperwork.paperwork_pdf(dpia=False), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="behandlingsprotokoll.pdf"'
    return response


@actor_required()
@require_http_methods(["GET"])
def dpia(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "web/lifecycle/dpia.html", {"dpia": paperwork.dpia_document()})


@actor_required()
@require_http_methods(["GET"])
def dpia_pdf(request: HttpRequest, actor: Actor) -> HttpResponse:
    response = HttpResponse(paperwork.paperwork_pdf(dpia=True), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="dpia-utgangspunkt.pdf"'
    return response
