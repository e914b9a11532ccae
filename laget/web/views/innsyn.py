"""Innsyn pages: a person's access report (page and PDF) for the auditor and for a team member on
the person's or a guardian's request; the auditor's look-up by number; and the leaders' withholdings
of their agency's lines (list, new, end). A person the user may not ask about is a 404."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from laget.accounts.access import Actor, actor_required
from laget.accounts.freshness import recent_auth_required
from laget.accounts.models import Role
from laget.audit import innsyn
from laget.audit.innsyn import RequestedBy
from laget.core.errors import DomainError, NotFound
from laget.people.models import Person
from laget.web.forms.innsyn import (
    VERSION_AUDITOR,
    InnsynRequestForm,
    WithholdingEndForm,
    WithholdingForm,
)
from laget.web.forms.people import PersonLookupForm
from laget.web.selectors.innsyn import (
    INNSYN_ROLES,
    InnsynSubject,
    innsyn_form_viewed,
    innsyn_subject_for,
)
from laget.web.services.innsyn_report import (
    innsyn_report_make,
    innsyn_report_pdf,
    report_context,
    report_language,
)

AUDITOR = (Role.AUDITOR,)
LEADER = (Role.LEADER,)
WITHHOLDING_VIEWERS = (Role.LEADER, Role.AUDITOR)


def _subject(actor: Actor, person_id: uuid.UUID) -> InnsynSubject:
    try:
        return innsyn_subject_for(actor=actor, person_id=person_id)
    except NotFound:
        raise Http404 from None


def _request_form(request: HttpRequest, subject: InnsynSubject) -> InnsynRequestForm:
    data = request.GET.copy()
    if subject.by_auditor:  # the auditor's own control and version unless they say otherwise
        data.setdefault("anmodning", RequestedBy.AUDITOR)
        data.setdefault("versjon", VERSION_AUDITOR)
    bound = bool(data.get("anmodning"))
    return InnsynRequestForm(data if bound else None, auditor=subject.by_auditor)


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@actor_required(AUDITOR)
@require_http_methods(["GET", "POST"])
def innsyn_lookup(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The auditor finds the person by full number (in the body, never the URL)."""
    form = PersonLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = innsyn.person_find_for_auditor(actor=actor,
                                                number=form.cleaned_data["national_id"])
        if person is not None:
            return redirect("web:innsyn_report", person_id=person.pk)
        form.add_error("national_id", _("Fant ingen person med dette nummeret."))
    return render(request, "web/innsyn/lookup.html", {"form": form})


@actor_required(INNSYN_ROLES)
@require_GET
def innsyn_report(request: HttpRequest, actor: Actor, person_id: uuid.UUID) -> HttpResponse:
    subject = _subject(actor, person_id)
    form = _request_form(request, subject)
    context: dict[str, object] = {"form": form, "subject": subject, "person": subject.person}
    if form.is_bound and form.is_valid():
        try:
            report = innsyn_report_make(
                actor=actor, subject=subject, for_auditor=form.for_auditor(),
                requested_by=form.cleaned_data["anmodning"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            context.update(report_context(report, site=_site(request)))
            context["query"] = request.GET.urlencode()
    if "report" not in context:
        innsyn_form_viewed(actor=actor, subject=subject)
    return render(request, "web/innsyn/report.html", context)


@actor_required(INNSYN_ROLES)
@require_GET
@recent_auth_required
def innsyn_pdf(request: HttpRequest, actor: Actor, person_id: uuid.UUID) -> HttpResponse:
    subject = _subject(actor, person_id)
    form = _request_form(request, subject)
    if not (form.is_bound and form.is_valid()):
        # back to the page, which says what is missing
        url = reverse("web:innsyn_report", kwargs={"person_id": subject.person.pk})
        query = request.GET.copy()
        query.pop("sprak", None)
        return redirect(f"{url}?{query.urlencode()}" if query else url)
    language = report_language(request.GET.get("sprak"))
    pdf = innsyn_report_pdf(
        actor=actor, subject=subject, for_auditor=form.for_auditor(),
        requested_by=form.cleaned_data["anmodning"], language=language, site=_site(request),
    )
    name = "access-report.pdf" if language == "en" else "innsynsrapport.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- withholdings ---------------------------------------------------------------------------------

@actor_required(WITHHOLDING_VIEWERS)
@require_GET
def withholding_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    rows = innsyn.withholding_list_for(actor=actor)
    return render(request, "web/innsyn/withholding_list.html", {
        "rows": rows, "may_create": innsyn.may_withhold(actor),
    })


def _known_person(actor: Actor, request: HttpRequest) -> Person | None:
    """The person a link from elsewhere names (`?person=<id>`), if the leader may withhold for
    them."""
    raw = request.GET.get("person", "")
    try:
        person_id = uuid.UUID(raw)
    except ValueError:
        return None
    return innsyn.withholding_person_get(actor=actor, person_id=person_id)


_FIELD_OF_CODE = {"legal_reason": "legal_reason", "explanation": "explanation",
                  "ends_on": "ends_on", "starts_on": "ends_on"}


@actor_required(LEADER)
@require_http_methods(["GET", "POST"])
def withholding_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    known = _known_person(actor, request)
    form = WithholdingForm(request.POST or None, person_known=known is not None)
    if request.method == "POST" and form.is_valid():
        person = known or innsyn.withholding_person_find(
            actor=actor, number=form.cleaned_data["national_id"])
        if person is None:
            form.add_error("national_id", _("Fant ingen person med dette nummeret som "
                                            "virksomheten din har vært i kontakt med i Laget."))
        else:
            try:
                innsyn.withholding_create(
                    actor=actor, person=person, legal_reason=form.cleaned_data["legal_reason"],
                    explanation=form.cleaned_data["explanation"],
                    ends_on=form.cleaned_data["ends_on"],
                )
            except NotFound:
                raise Http404 from None
            except DomainError as error:
                form.add_error(_FIELD_OF_CODE.get(error.code), error.message)
            else:
                messages.success(request, _("Linjene holdes tilbake fra personens "
                                            "innsynsrapport til sluttdatoen."))
                return redirect("web:withholding_list")
    return render(request, "web/innsyn/withholding_form.html", {
        "form": form, "known": known, "max_days": innsyn.max_withholding_days(),
    })


@actor_required(LEADER)
@require_http_methods(["GET", "POST"])
def withholding_end(request: HttpRequest, actor: Actor, withholding_id: uuid.UUID) -> HttpResponse:
    try:
        row = innsyn.withholding_get_for(actor=actor, withholding_id=withholding_id)
    except NotFound:
        raise Http404 from None
    form = WithholdingEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            innsyn.withholding_end(actor=actor, withholding=row.withholding)
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Tilbakeholdet er avsluttet. Linjene vises i "
                                        "personens innsynsrapport fra nå av."))
        return redirect("web:withholding_list")
    return render(request, "web/innsyn/withholding_end.html", {"form": form, "row": row})
