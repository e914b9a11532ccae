"""Person pages: list and search, register, view, edit, guardians."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from laget.accounts.access import Actor, actor_required
from laget.core.errors import NotFound
from laget.core.ratelimit import by_user, rate_limited_view
from laget.notify.selectors import messages_about_person
from laget.records.services import is_district_coordinator
from laget.sharing.selectors import case_open_for_person
from laget.web.forms.people import GuardianForm, PersonForm, PersonLookupForm
from laget.web.selectors import people as selectors
from laget.web.selectors.innsyn import may_make_innsyn
from laget.web.selectors.people import PERSON_ROLES
from laget.web.services import people as services


def _get(actor: Actor, person_id: object) -> object:
    try:
        return selectors.person_get_for(actor=actor, person_id=str(person_id))
    except NotFound:
        raise Http404 from None


@actor_required(PERSON_ROLES)
@require_http_methods(["GET", "POST"])
@rate_limited_view("search", by=by_user, methods=frozenset({"GET", "POST"}))
def person_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    lookup = PersonLookupForm(request.POST or None)
    if request.method == "POST" and lookup.is_valid():
        person = selectors.person_find_by_number_for(
            actor=actor, number=lookup.cleaned_data["national_id"]
        )
        if person is not None:
            return redirect("web:person_detail", person_id=person.pk)
        lookup.add_error("national_id", _("Fant ingen person med dette nummeret som du har "
                                          "tilgang til."))
    query = request.GET.get("q", "")[:100]
    page = selectors.person_list_for(actor=actor, query=query, page=request.GET.get("side", 1))
    template = "web/people/list.html#results" if request.htmx else "web/people/list.html"
    return render(request, template, {"page": page, "query": query, "lookup": lookup})


@actor_required(PERSON_ROLES)
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_register(actor=actor, data=form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Personen er registrert."))
            return redirect("web:person_detail", person_id=person.pk)
    return render(request, "web/people/form.html", {"form": form, "person": None})


@actor_required(PERSON_ROLES)
def person_detail(request: HttpRequest, actor: Actor, person_id: str) -> HttpResponse:
    person = _get(actor, person_id)
    case = case_open_for_person(actor=actor, person_id=person.pk)
    return render(request, "web/people/detail.html", {
        "person": person,
        "open_case": case,
        "may_open_case": case is None and is_district_coordinator(actor, person.district_id),
        "may_make_innsyn": may_make_innsyn(actor=actor, person_id=person.pk),
        "notifications": messages_about_person(person_id=person.pk),
    })


@actor_required(PERSON_ROLES)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, actor: Actor, person_id: str) -> HttpResponse:
    person = _get(actor, person_id)
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.person_edit(actor=actor, person=person, data=form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if changed:
                messages.success(request, _("Endringene er lagret."))
            else:
                messages.info(request, _("Ingen endringer å lagre."))
            return redirect("web:person_detail", person_id=person.pk)
    return render(request, "web/people/form.html", {"form": form, "person": person})


@actor_required(PERSON_ROLES)
@require_http_methods(["GET", "POST"])
def guardian_create(request: HttpRequest, actor: Actor, person_id: str) -> HttpResponse:
    person = _get(actor, person_id)
    form = GuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.guardian_add(actor=actor, person=person, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Foresatt er registrert."))
            return redirect("web:person_detail", person_id=person.pk)
    return render(request, "web/people/guardian_form.html", {"form": form, "person": person})
