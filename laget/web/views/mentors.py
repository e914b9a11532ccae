"""Unge forbilder's pages: the programmes and their published criteria (no personal data, every
member of staff), applying for a young person and referring a mentee (any agency's case roles;
the person by fødselsnummer in the POST body, among the persons the user may see), the
programme staff's list of applications, mentors and referrals, an application's assessment and
decision (its submitter sees only the status), and a mentor's page with benefits and mentees.

To anyone but the programme's staff (and an application's submitter) applications, mentors and
mentees do not exist (404). Reads and writes, and their audit events, are laget.mentors'
selectors and services; the views parse, call and render."""

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from laget.accounts.access import Actor, actor_required
from laget.accounts.models import Role
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.mentors import access, selectors, services
from laget.mentors.models import OPEN_STATUSES, Application, Mentor, MentorshipStatus, Programme
from laget.people.models import Person
from laget.records.services import CASE_ROLES
from laget.web.forms.mentors import (
    ApplicationForm,
    AssessmentForm,
    BenefitForm,
    ConsentForm,
    DecisionForm,
    MentorshipUpdateForm,
    PairForm,
    ReferralForm,
)
from laget.web.selectors.people import person_find_by_number_for

NOT_FOUND_PERSON = _("Fant ingen person med dette fødselsnummeret blant personene du har tilgang "
                     "til. Registrer den unge i Laget først.")


def _programme(programme_id: uuid.UUID) -> Programme:
    try:
        return selectors.programme_get(programme_id=programme_id)
    except NotFound:
        raise Http404 from None


def _no_store(response: HttpResponse) -> HttpResponse:
    # the form may hold a number the user typed: never keep it in a cache
    response["Cache-Control"] = "no-store"
    return response


def _person(actor: Actor, form: ConsentForm) -> Person | None:
    """The person the number names, if the actor may see them (the look-up is audited)."""
    person = person_find_by_number_for(actor=actor, number=form.cleaned_data["national_id"])
    if person is None:
        form.add_error("national_id", NOT_FOUND_PERSON)
    return person


# --- programmes ---------------------------------------------------------------------------------

@actor_required()
def programme_list(request: HttpRequest, actor: Actor | None) -> HttpResponse:
    return render(request, "web/mentors/programmes.html", {
        "programmes": selectors.programme_list(),
        "may_apply": access.acts_in_case_role(actor),
    })


@actor_required()
def programme_detail(request: HttpRequest, actor: Actor | None,
                     programme_id: uuid.UUID) -> HttpResponse:
    programme = _programme(programme_id)
    is_staff = access.is_programme_staff(actor, programme)
    outcomes = None
    years: list[int] = []
    if is_staff or (actor is not None and actor.role == Role.ANALYST):
        this_year = clock.today().year
        years = list(range(this_year, this_year - 5, -1))
        try:
            year = int(request.GET.get("ar", this_year))
        except ValueError:
            year = this_year
        if year not in years:
            year = this_year
        outcomes = selectors.outcomes(programme=programme, year=year)
    return render(request, "web/mentors/programme.html", {
        "programme": programme, "is_staff": is_staff,
        "may_apply": access.acts_in_case_role(actor), "outcomes": outcomes, "years": years,
        "guardian_age": settings.LAGET_MENTORS_GUARDIAN_CONSENT_UNDER,
    })


# --- applying and referring ---------------------------------------------------------------------

@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, actor: Actor, programme_id: uuid.UUID) -> HttpResponse:
    programme = _programme(programme_id)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = _person(actor, form)
        if person is not None:
            try:
                application = services.application_submit(
                    actor=actor, programme=programme, person=person,
                    motivation=form.cleaned_data["motivation"], consent=form.consent())
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Søknaden er sendt til %(programme)s.")
                                 % {"programme": programme.name})
                return redirect("web:mentors_application", application_id=application.pk)
    return _no_store(render(request, "web/mentors/apply.html",
                            {"programme": programme, "form": form,
                             "guardian_age": settings.LAGET_MENTORS_GUARDIAN_CONSENT_UNDER}))


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, actor: Actor, programme_id: uuid.UUID) -> HttpResponse:
    programme = _programme(programme_id)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = _person(actor, form)
        if person is not None:
            try:
                services.mentee_refer(actor=actor, programme=programme, person=person,
                                      consent=form.consent())
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Den unge er henvist til %(programme)s. "
                                            "Programmets ansatte finner et forbilde.")
                                 % {"programme": programme.name})
                return redirect("web:mentors_programme", programme_id=programme.pk)
    return _no_store(render(request, "web/mentors/refer.html",
                            {"programme": programme, "form": form,
                             "guardian_age": settings.LAGET_MENTORS_GUARDIAN_CONSENT_UNDER}))


@actor_required(CASE_ROLES)
def mine(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "web/mentors/mine.html",
                  {"applications": selectors.applications_mine_for(actor=actor)})


# --- the programme's staff ------------------------------------------------------------------------

@actor_required(CASE_ROLES)
def desk(request: HttpRequest, actor: Actor, programme_id: uuid.UUID) -> HttpResponse:
    programme = _programme(programme_id)
    try:
        data = selectors.programme_desk_for(actor=actor, programme=programme)
    except NotFound:
        raise Http404 from None
    return render(request, "web/mentors/desk.html", {"desk": data, "programme": programme})


def _application_forms(application: Application, data: Any = None, which: str = ""
                       ) -> dict[str, Any]:
    criteria = list(application.programme.criteria.all())
    current = {a.criterion_id: a for a in application.assessments.all()}
    return {
        "assess_form": AssessmentForm(data if which == "assess" else None, criteria=criteria,
                                      current=current),
        "decide_form": DecisionForm(data if which == "decide" else None),
    }


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, actor: Actor,
                       application_id: uuid.UUID) -> HttpResponse:
    try:
        application = selectors.application_get_for(actor=actor, application_id=application_id)
    except NotFound:
        raise Http404 from None
    is_staff = access.is_programme_staff(actor, application.programme)
    which = request.POST.get("action", "") if request.method == "POST" else ""
    if which and not is_staff:
        raise Http404
    forms = _application_forms(application, request.POST, which)
    if which == "assess" and forms["assess_form"].is_valid():
        try:
            services.application_assess(actor=actor, application=application,
                                        results=forms["assess_form"].results())
        except DomainError as error:
            forms["assess_form"].add_error(None, error.message)
        else:
            messages.success(request, _("Vurderingen er lagret."))
            return redirect("web:mentors_application", application_id=application.pk)
    elif which == "decide" and forms["decide_form"].is_valid():
        data = forms["decide_form"].cleaned_data
        try:
            services.application_decide(actor=actor, application=application,
                                        decision=data["decision"], reason=data["reason"])
        except DomainError as error:
            forms["decide_form"].add_error(None, error.message)
        else:
            messages.success(request, _("Vedtaket er registrert."))
            return redirect("web:mentors_application", application_id=application.pk)
    assessments = {a.criterion_id: a for a in application.assessments.all()}
    mentor = Mentor.objects.filter(application=application).first() if is_staff else None
    return render(request, "web/mentors/application.html", {
        "application": application, "is_staff": is_staff, "mentor": mentor,
        "is_open": application.status in OPEN_STATUSES,
        "criteria_rows": [(c, assessments.get(c.pk))
                          for c in application.programme.criteria.all()],
        "refusal": services.enrolment_refusal(application) if is_staff else None,
        "age": application.person.age_on(clock.today()),
        **forms,
    })


# --- the mentor ------------------------------------------------------------------------------

def _mentor_post(request: HttpRequest, actor: Actor, mentor: Mentor,
                 forms: dict[str, Any]) -> bool:
    """Carry out the posted action; True when it succeeded (the caller redirects)."""
    which = request.POST.get("action", "")
    if which == "benefit" and forms["benefit_form"].is_valid():
        data = forms["benefit_form"].cleaned_data
        try:
            services.benefit_add(actor=actor, mentor=mentor, kind=data["kind"],
                                 given_on=data["given_on"], description=data["description"],
                                 offer=data["offer"])
        except DomainError as error:
            forms["benefit_form"].add_error(None, error.message)
            return False
        messages.success(request, _("Tilbudet er registrert."))
        return True
    if which == "pair" and forms["pair_form"].is_valid():
        try:
            services.mentorship_start(actor=actor, mentor=mentor,
                                      mentorship=forms["pair_form"].cleaned_data["mentorship"])
        except DomainError as error:
            forms["pair_form"].add_error(None, error.message)
            return False
        messages.success(request, _("Mentorskapet er startet."))
        return True
    if which in ("update", "end"):
        mentorship = next((m for m in mentor.mentorships.all()
                           if str(m.pk) == request.POST.get("mentorship")), None)
        if mentorship is None:
            raise Http404
        try:
            if which == "end":
                services.mentorship_end(actor=actor, mentorship=mentorship)
                messages.success(request, _("Mentorskapet er avsluttet."))
                return True
            form = MentorshipUpdateForm(request.POST)
            forms["update_forms"][mentorship.pk] = form
            if not form.is_valid():
                return False
            services.mentorship_update(actor=actor, mentorship=mentorship,
                                       meetings=form.cleaned_data["meetings"],
                                       notes=form.cleaned_data["notes"])
        except DomainError as error:
            messages.error(request, error.message)
            return False
        messages.success(request, _("Mentorskapet er oppdatert."))
        return True
    if which == "end_mentor":
        try:
            services.mentor_end(actor=actor, mentor=mentor)
        except DomainError as error:
            messages.error(request, error.message)
            return False
        messages.success(request, _("Forbildet er avsluttet i programmet."))
        return True
    return False


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def mentor_detail(request: HttpRequest, actor: Actor, mentor_id: uuid.UUID) -> HttpResponse:
    try:
        mentor = selectors.mentor_get_for(actor=actor, mentor_id=mentor_id)
    except NotFound:
        raise Http404 from None
    which = request.POST.get("action", "") if request.method == "POST" else ""
    referrals = selectors.referrals_for(actor=actor, programme=mentor.programme)
    forms: dict[str, Any] = {
        "benefit_form": BenefitForm(request.POST if which == "benefit" else None,
                                    initial={"given_on": clock.today()}),
        "pair_form": PairForm(request.POST if which == "pair" else None, referrals=referrals),
        "update_forms": {m.pk: MentorshipUpdateForm(initial={"meetings": m.meetings,
                                                             "notes": m.notes})
                         for m in mentor.mentorships.all()
                         if m.status == MentorshipStatus.ACTIVE},
    }
    if which and _mentor_post(request, actor, mentor, forms):
        return redirect("web:mentors_mentor", mentor_id=mentor.pk)
    mentorships = [(m, forms["update_forms"].get(m.pk)) for m in mentor.mentorships.all()]
    return render(request, "web/mentors/mentor.html", {
        "mentor": mentor, "referrals": referrals, "mentorships": mentorships,
        "age": mentor.person.age_on(clock.today()),
        "benefit_form": forms["benefit_form"], "pair_form": forms["pair_form"],
    })
