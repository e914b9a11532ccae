"""The records-lifecycle pages: the leader's archive page (closed cases due for the Noark 5
archive, building an extract, the extracts), one extract with exactly what it holds and its zip,
and the privacy paperwork (the art. 30 record and the DPIA's starting document, as pages and
PDFs). The paperwork holds no personal data: every logged-in user may read it. The archive pages
are for a bydel's leader (their own bydel) and for admins and auditors (what the extracts hold,
never the zip). The erasure page (retention): what is due for erasure, the legal holds and what
was erased (tombstones) — for the bydel's leader, who confirms or rejects and places or lifts
holds, and read-only for admins and auditors. The work is in laget.lifecycle; the views parse,
call and render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from laget.accounts.access import Actor, actor_required
from laget.core.errors import DomainError, NotFound
from laget.lifecycle import erasure, paperwork, selectors, services
from laget.lifecycle.retention import retention_schedule
from laget.web.forms.lifecycle import HoldForm, RejectForm


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


# --- retention and erasure --------------------------------------------------------------------

def _erasure_page(request: HttpRequest, actor: Actor, *, hold_form: HoldForm | None = None,
                  status: int = 200) -> HttpResponse:
    schedule = retention_schedule()
    return render(request, "web/lifecycle/erasure.html", {
        "leader": selectors.is_archiving_leader(actor),
        "due": list(selectors.erasure_due_for(actor=actor)[:500]),
        "holds": list(selectors.holds_for(actor=actor)[:200]),
        "rejected": list(selectors.erasure_rejected_for(actor=actor)[:100]),
        "tombstones": list(selectors.tombstones_for(actor=actor)[:200]),
        "rules": [e for e in schedule.entries if e.erase_after_months is not None],
        "hold_form": hold_form or HoldForm(),
        "reject_form": RejectForm(),
    }, status=status)


@actor_required()
@require_http_methods(["GET"])
def erasure_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    # «Sett sletteforbud» from the case page or a candidate's row fills in what it is about.
    initial = {key: request.GET[param] for key, param in (("kind", "gjelder"), ("object_id", "id"))
               if param in request.GET}
    return _erasure_page(request, _archive_actor(actor),
                         hold_form=HoldForm(initial=initial) if initial else None)


@actor_required()
@require_POST
def erasure_decide(request: HttpRequest, actor: Actor, candidate_id: str) -> HttpResponse:
    actor = _archive_actor(actor)
    decision = request.POST.get("decision")
    try:
        if decision == "confirm":
            stones = erasure.erasure_confirm(actor=actor, candidate_id=candidate_id)  # type: ignore[arg-type]
            messages.success(request, _("Slettet: %(n)s.") % {"n": ", ".join(
                f"{s.get_kind_display()} {str(s.original_id)[:8]}" for s in stones)})
        elif decision == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                messages.error(request, form.errors["note"][0])
                return redirect("web:lifecycle_erasure")
            erasure.erasure_reject(actor=actor, candidate_id=candidate_id,  # type: ignore[arg-type]
                                   note=form.cleaned_data["note"])
            messages.success(request, _("Slettingen er avvist."))
        else:
            return HttpResponse(status=400)
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        if error.code == "not_owning_leader":
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    return redirect("web:lifecycle_erasure")


@actor_required()
@require_POST
def hold_place(request: HttpRequest, actor: Actor) -> HttpResponse:
    actor = _archive_actor(actor)
    form = HoldForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            erasure.hold_place(actor=actor, kind=data["kind"], object_id=data["object_id"],
                               reason=data["reason"], note=data["note"],
                               ends_on=data["ends_on"])
        except NotFound:
            form.add_error("object_id", _("Fant ikke noe med denne id-en i bydelen din."))
        except DomainError as error:
            if error.code == "not_owning_leader":
                form.add_error("object_id", _("Fant ikke noe med denne id-en i bydelen din."))
            else:
                form.add_error(None, error.message)
        else:
            messages.success(request, _("Sletteforbudet er satt."))
            return redirect("web:lifecycle_erasure")
    return _erasure_page(request, actor, hold_form=form, status=400)


@actor_required()
@require_POST
def hold_lift(request: HttpRequest, actor: Actor, hold_id: str) -> HttpResponse:
    actor = _archive_actor(actor)
    try:
        erasure.hold_lift(actor=actor, hold_id=hold_id)  # type: ignore[arg-type]
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        if error.code == "not_owning_leader":
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("Sletteforbudet er opphevet."))
    return redirect("web:lifecycle_erasure")
