"""«Kan jeg dele dette?» and the rulebook pages, open without login (they describe situations by
codes and hold no personal data), and the administrator's page that compares a new rulebook with
the one in force and loads it."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from laget.accounts.access import Actor, actor_required
from laget.accounts.models import Role
from laget.core import clock
from laget.core.errors import NotFound
from laget.sharing import guide as sharing_guide
from laget.sharing.models import Effect
from laget.sharing.rulebook import RulebookError, rulebook_load
from laget.sharing.rulediff import rulebook_diff
from laget.sharing.selectors_rules import (
    rule_history,
    rule_list,
    rulebook_in_force,
    rulebook_version_list,
)
from laget.web.forms.sharing import GuideForm, RulebookLoadForm, RulebookUploadForm


@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    form = GuideForm(request.GET or None)
    context: dict[str, object] = {"form": form, "version": rulebook_in_force()}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        answer = sharing_guide.ask(
            source=data["source"], recipient=data["recipient"], category=data["category"],
            purpose=data["purpose"], person_age=data["person_age"], consent=data["consent"],
            programme=data["programme"] or None, weapon_trigger=data["weapon_trigger"],
        )
        decisive = next(
            (m for m in answer.considered if answer.rule is not None and m.rule == answer.rule),
            None,
        )
        context.update({
            "answer": answer,
            "decisive": decisive,
            "by_consent": answer.answer == sharing_guide.YES and decisive is not None
            and decisive.effect == Effect.CONSENT_REQUIRED,
        })
    return render(request, "web/sharing/guide.html", context)


@require_GET
def rule_list_page(request: HttpRequest) -> HttpResponse:
    version = rulebook_in_force()
    rules = rule_list(version=version) if version else []
    return render(request, "web/sharing/rules.html",
                  {"version": version, "rules": rules, "today": clock.today()})


@require_GET
def rule_detail(request: HttpRequest, rule_id: str) -> HttpResponse:
    try:
        history = rule_history(rule_id=rule_id)
    except NotFound:
        raise Http404 from None
    current, last = rulebook_in_force(), history[-1]
    in_force = current is not None and last.version.pk == current.pk and last.rule is not None
    latest = next(row.rule for row in reversed(history) if row.rule is not None)
    return render(request, "web/sharing/rule_detail.html", {
        "rule_id": rule_id, "history": list(reversed(history)), "latest": latest,
        "in_force": in_force, "today": clock.today(),
    })


@require_GET
def rulebook_versions(request: HttpRequest) -> HttpResponse:
    versions = list(rulebook_version_list())
    return render(request, "web/sharing/versions.html", {"versions": versions})


def _change_page(request: HttpRequest, *, upload: RulebookUploadForm | None = None,
                 error: str = "") -> HttpResponse:
    return render(request, "web/sharing/change.html",
                  {"upload": upload or RulebookUploadForm(), "error": error})


def _diff_page(request: HttpRequest, *, file_name: str, text: str) -> HttpResponse:
    try:
        diff = rulebook_diff(text=text, file_name=file_name)
    except RulebookError as error:
        return _change_page(request, error=error.message)
    current = diff.current
    load = RulebookLoadForm(initial={
        "file_name": file_name, "content": RulebookLoadForm.encode(text),
        "base": current.sha256 if current else "",
    })
    return render(request, "web/sharing/change.html",
                  {"upload": RulebookUploadForm(), "diff": diff, "load": load})


@actor_required([Role.ADMIN])
@require_http_methods(["GET", "POST"])
def rulebook_change(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action") == "load":
        load = RulebookLoadForm(request.POST)
        if not load.is_valid():
            return _change_page(request, error=_("Filen kom ikke riktig fram. Last den opp på "
                                                 "nytt."))
        file_name, text = load.cleaned_data["file_name"], load.cleaned_data["content"]
        current = rulebook_in_force()
        if (current.sha256 if current else "") != load.cleaned_data["base"]:
            messages.warning(request, _("En annen versjon av regelboken er lastet siden du "
                                        "sammenlignet. Se over endringene på nytt."))
            return _diff_page(request, file_name=file_name, text=text)
        try:
            result = rulebook_load(text=text, file_name=file_name, actor=actor)
        except RulebookError as error:
            return _change_page(request, error=error.message)
        if result.created:
            messages.success(request, _("Regelbok %(version)s er lastet og gjelder fra nå.")
                             % {"version": result.version.version})
        else:
            messages.info(request, _("Denne regelboken gjelder allerede. Ingenting er endret."))
        return redirect("web:sharing_versions")
    if request.method == "POST":
        upload = RulebookUploadForm(request.POST, request.FILES)
        if upload.is_valid():
            file_name, text = upload.cleaned_data["file"]
            return _diff_page(request, file_name=file_name, text=text)
        return _change_page(request, upload=upload)
    return _change_page(request)
