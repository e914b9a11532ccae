"""The youth fast track's forms: open a case (the person by fødselsnummer in the POST body), take
up the weapon trigger's request, record a milestone, name the responsible agencies, make the
reaction plan and record a breach. They check the shape of the input; the rules (age limit, order
of milestones, who may) live in laget.fasttrack and come back as DomainError."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from laget.accounts.models import Agency, AgencyType
from laget.core import clock
from laget.fasttrack.models import (
    BreachResponse,
    ChargeOutcome,
    ComponentKind,
    MilestoneKind,
    ReactionComponent,
    ReactionForm,
    TargetSet,
    TeamRole,
)
from laget.fasttrack.reactions import TEXT_MAX_LENGTH
from laget.people.models import Guardian
from laget.policing.models import OffenceCategory
from laget.web.forms.people import NationalIdField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: empty component rows the reaction plan form offers
COMPONENT_ROWS = 3


def _agencies(agency_type: str, label: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label, required=False, empty_label=_("Ikke valgt ennå"),
        queryset=Agency.objects.filter(type=agency_type).order_by("name"))


class AgenciesMixin(forms.Form):
    court = _agencies(AgencyType.DOMSTOL, _("Domstol"))
    konfliktraad = _agencies(AgencyType.KONFLIKTRAAD, _("Konfliktråd"))
    kriminalomsorg = _agencies(AgencyType.KRIMINALOMSORG, _("Kriminalomsorgen"))


class CaseNumberMixin(forms.Form):
    police_case_number = forms.CharField(
        label=_("Politiets saksnummer"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("8 til 10 sifre, som i politiets saksbehandlingssystem."),
        error_messages={"required": _("Skriv politiets saksnummer.")})
    target_set = forms.ChoiceField(
        label=_("Frister"), choices=TargetSet.choices, initial=TargetSet.LEGAL,
        widget=forms.RadioSelect,
        help_text=_("Hurtigløp måler saken mot byens strengere mål i tillegg til lovens."))


class YouthCaseOpenForm(CaseNumberMixin, AgenciesMixin):
    national_id = NationalIdField(
        required=True, help_text=_("11 siffer. Personen må være registrert i Laget."),
        error_messages={"required": _("Skriv fødselsnummeret til den unge.")})
    offence_on = forms.DateField(label=_("Dato for lovbruddet"), widget=DATE_WIDGET,
                                 error_messages={"required": _("Oppgi datoen for lovbruddet.")})
    apprehended_on = forms.DateField(label=_("Dato for pågripelsen"), required=False,
                                     widget=DATE_WIDGET)
    offence_categories = forms.MultipleChoiceField(
        label=_("Lovbruddskategorier"), choices=OffenceCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg minst én lovbruddskategori.")})
    weapon = forms.BooleanField(label=_("Våpen var involvert"), required=False)

    field_order = ["national_id", "police_case_number", "offence_on", "apprehended_on",
                   "offence_categories", "weapon", "target_set", "court", "konfliktraad",
                   "kriminalomsorg"]


class FromRequestForm(CaseNumberMixin):
    """Taking up a request; the number only when the police registered someone not (yet) known
    to Laget by number."""

    national_id = NationalIdField(
        help_text=_("Bare når personen i registreringen ikke ble funnet i Laget: personen må "
                    "være registrert, med samme fødselsdato."))
    court = _agencies(AgencyType.DOMSTOL, _("Domstol"))

    def __init__(self, *args: Any, needs_person: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_person:
            del self.fields["national_id"]
        else:
            self.fields["national_id"].required = True
            self.fields["national_id"].error_messages["required"] = _(
                "Skriv fødselsnummeret til den unge.")


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Milepæl"), error_messages={
        "required": _("Velg milepælen."),
        "invalid_choice": _("Du kan ikke registrere denne milepælen.")})
    occurred_on = forms.DateField(label=_("Dato"), widget=DATE_WIDGET,
                                  error_messages={"required": _("Oppgi datoen.")})
    outcome = forms.ChoiceField(
        label=_("Påtaleavgjørelse"), required=False,
        choices=[("", _("Bare ved påtaleavgjørelse")), *ChargeOutcome.choices],
        help_text=_("Fylles ut når milepælen er påtaleavgjørelsen."))

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(MilestoneKind.choices)
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in kinds]
        if MilestoneKind.CHARGE_DECISION not in kinds:
            del self.fields["outcome"]
        if not self.is_bound:
            self.initial.setdefault("occurred_on", clock.today())


class AgenciesForm(AgenciesMixin):
    pass


class ComponentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("Velg type")), *ComponentKind.choices])
    text = forms.CharField(label=_("Hva"), required=False, max_length=TEXT_MAX_LENGTH)
    agency = forms.ModelChoiceField(label=_("Ansvarlig"), required=False,
                                    queryset=Agency.objects.order_by("name"),
                                    empty_label=_("Velg virksomhet"))
    due_on = forms.DateField(label=_("Frist"), required=False, widget=DATE_WIDGET)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        values = [data.get(name) for name in ("kind", "text", "agency", "due_on")]
        if any(values) and not all(values):
            raise forms.ValidationError(_("Fyll ut type, hva, ansvarlig og frist for hver del "
                                          "av planen, eller la hele raden stå tom."))
        return data


ComponentFormSet = forms.formset_factory(ComponentForm, extra=COMPONENT_ROWS, max_num=20)


class ReactionPlanForm(forms.Form):
    reaction_forms = forms.MultipleChoiceField(
        label=_("Reaksjonsformer"), choices=ReactionForm.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kombiner fritt."),
        error_messages={"required": _("Velg minst én reaksjonsform."),
                        "invalid_choice": _("Ukjent reaksjonsform: %(value)s.")})
    custody_days = forms.IntegerField(
        label=_("Dager ungdomsfengsel"), required=False, min_value=0,
        help_text=_("Bare ved ungdomsfengsel."))


class BreachForm(forms.Form):
    occurred_on = forms.DateField(label=_("Dato for bruddet"), widget=DATE_WIDGET,
                                  error_messages={"required": _("Oppgi datoen for bruddet.")})
    component = forms.ModelChoiceField(label=_("Del av planen"), required=False,
                                       queryset=ReactionComponent.objects.none(),
                                       empty_label=_("Planen som helhet"))
    response = forms.ChoiceField(label=_("Reaksjon på bruddet"), choices=BreachResponse.choices,
                                 error_messages={"required": _("Velg reaksjonen på bruddet.")})
    note = forms.CharField(label=_("Merknad"), required=False, max_length=TEXT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, components: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if components is not None:
            self.fields["component"].queryset = components
        if not self.is_bound:
            self.initial.setdefault("occurred_on", clock.today())


class PeriodForm(forms.Form):
    """The statistics' period (GET); the default is the last twelve months."""

    fra = forms.DateField(label=_("Fra"), required=False, widget=DATE_WIDGET)
    til = forms.DateField(label=_("Til"), required=False, widget=DATE_WIDGET)

    def period(self) -> tuple[dt.date, dt.date]:
        today = clock.today()
        data = self.cleaned_data if self.is_valid() else {}
        until = data.get("til") or today
        since = data.get("fra") or (until - dt.timedelta(days=365)).replace(day=1)
        return since, until


class TeamMemberForm(forms.Form):
    """A member of the youth team: an agency in its role, a guardian, or a named person. The
    service checks that the choice fits the role."""

    role = forms.ChoiceField(label=_("Rolle"), choices=TeamRole.choices,
                             error_messages={"required": _("Velg rollen.")})
    agency = forms.ModelChoiceField(
        label=_("Virksomhet"), required=False, empty_label=_("Ikke valgt"),
        queryset=Agency.objects.filter(type__in=["konfliktraad", "barnevern", "skole", "politi"])
        .order_by("type", "name"),
        help_text=_("For ungdomskoordinator (konfliktrådet), barnevern, skole og politi."))
    guardian = forms.ModelChoiceField(label=_("Foresatt"), required=False,
                                      queryset=Guardian.objects.none(),
                                      empty_label=_("Ikke valgt"))
    name = forms.CharField(label=_("Navn"), required=False, max_length=200,
                           help_text=_("For en annen person, eller kontaktpersonen i "
                                       "virksomheten."))

    def __init__(self, *args: Any, guardians: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if guardians is not None:
            self.fields["guardian"].queryset = guardians
