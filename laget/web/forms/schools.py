"""The schools pages' forms: an incident with up to four pupils (fødselsnummer in the POST body),
a request to the ambulant team and the team's steps, a proposed forced school change, a party's
statement, the decision, the appeal, and the handover. They check the shape of the input; the
rules live in laget.schools and come back as DomainError."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from laget.schools.models import Incident, IncidentKind, RequestKind, School, Urgency

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
PUPIL_ROWS = 4
TEXTAREA = forms.Textarea(attrs={"rows": 4})


class IncidentForm(forms.Form):
    occurred_at = forms.DateTimeField(label=_("Tidspunkt"), widget=DATETIME_WIDGET,
                                      input_formats=["%Y-%m-%dT%H:%M"])
    kind = forms.ChoiceField(label=_("Type hendelse"), choices=IncidentKind.choices)
    description = forms.CharField(label=_("Hva skjedde"), max_length=4000, widget=TEXTAREA)
    staff_affected = forms.IntegerField(label=_("Antall ansatte som ble rammet"), min_value=0,
                                        max_value=500, initial=0)
    actions_taken = forms.CharField(label=_("Tiltak som er satt i verk"), max_length=2000,
                                    required=False, widget=TEXTAREA)
    activity_plan_started = forms.BooleanField(label=_("Aktivitetsplikten er satt i gang"),
                                               required=False)
    activity_plan_due = forms.DateField(label=_("Frist for aktivitetsplan"), required=False,
                                        widget=DATE_WIDGET)
    police_informed = forms.BooleanField(label=_("Politiet er varslet"), required=False)
    barnevern_informed = forms.BooleanField(label=_("Barnevernet er varslet"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(PUPIL_ROWS):
            self.fields[f"pupil_{i}"] = forms.CharField(
                label=_("Elev %(n)s: fødselsnummer") % {"n": i + 1}, required=False,
                max_length=20)
            for role, label in (("perpetrator", _("utøver")), ("victim", _("utsatt")),
                                ("witness", _("vitne"))):
                self.fields[f"pupil_{i}_{role}"] = forms.BooleanField(label=label,
                                                                      required=False)

    def pupil_rows(self) -> list[list[forms.BoundField]]:
        return [[self[f"pupil_{i}"], self[f"pupil_{i}_perpetrator"], self[f"pupil_{i}_victim"],
                 self[f"pupil_{i}_witness"]] for i in range(PUPIL_ROWS)]


class AmbulantRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Gjelder"), choices=RequestKind.choices)
    incident = forms.ChoiceField(label=_("Hendelse"), required=False)
    situation = forms.CharField(label=_("Situasjonen"), max_length=2000, widget=TEXTAREA,
                                help_text=_("Beskriv situasjonen uten elevenes navn."))

    def __init__(self, *args: Any, incidents: Sequence[Incident] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incident"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(i.pk), f"{i.occurred_at:%d.%m.%Y} – {i.get_kind_display()}") for i in incidents]


class TriageForm(forms.Form):
    urgency = forms.ChoiceField(label=_("Hastegrad"), choices=[("", "—"), *Urgency.choices],
                                required=False)
    note = forms.CharField(label=_("Vurdering"), max_length=1000, required=False)
    decline = forms.BooleanField(label=_("Avvis forespørselen"), required=False)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Dato"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Hva ble gjort"), max_length=2000, widget=TEXTAREA)


class CloseForm(forms.Form):
    measures = forms.CharField(label=_("Tiltak"), max_length=4000, widget=TEXTAREA)
    report = forms.CharField(label=_("Sluttrapport"), max_length=4000, widget=TEXTAREA)


class ChangeProposeForm(forms.Form):
    national_id = forms.CharField(label=_("Elevens fødselsnummer"), max_length=20)
    to_school = forms.ModelChoiceField(label=_("Ny skole"), queryset=School.objects.none())
    grounds = forms.CharField(label=_("Begrunnelse"), max_length=4000, widget=TEXTAREA)
    incidents = forms.MultipleChoiceField(label=_("Hendelser forslaget bygger på"),
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, school: School, incidents: Sequence[Incident] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = School.objects.exclude(pk=school.pk).order_by("name")
        self.fields["to_school"].queryset = others  # type: ignore[attr-defined]
        self.fields["incidents"].choices = [  # type: ignore[attr-defined]
            (str(i.pk), f"{i.occurred_at:%d.%m.%Y} – {i.get_kind_display()}") for i in incidents]


class StatementForm(forms.Form):
    party = forms.UUIDField(widget=forms.HiddenInput)
    statement = forms.CharField(label=_("Sammendrag av uttalelsen"), max_length=4000,
                                widget=TEXTAREA)


class DecisionForm(forms.Form):
    change_school = forms.TypedChoiceField(
        label=_("Vedtak"), coerce=lambda v: v == "ja", widget=forms.RadioSelect,
        choices=[("ja", _("Eleven skal bytte skole")), ("nei", _("Eleven skal ikke bytte skole"))])
    reasons = forms.CharField(label=_("Begrunnelse"), max_length=4000, widget=TEXTAREA)
    effective_on = forms.DateField(label=_("Bytter skole fra"), required=False,
                                   widget=DATE_WIDGET)
    measures_for_receiving = forms.CharField(
        label=_("Tiltak den nye skolen skal sette i verk"), max_length=2000, required=False,
        widget=TEXTAREA, help_text=_("Dette er alt den nye skolen får se om saken."))


class AppealForm(forms.Form):
    received_on = forms.DateField(label=_("Klage mottatt"), widget=DATE_WIDGET)


class AppealOutcomeForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Utfall"), coerce=lambda v: v == "ja", widget=forms.RadioSelect,
        choices=[("ja", _("Klagen ble ikke tatt til følge")),
                 ("nei", _("Klagen ble tatt til følge"))])
    decided_on = forms.DateField(label=_("Avgjort"), widget=DATE_WIDGET)


class HandoverForm(forms.Form):
    change = forms.UUIDField(widget=forms.HiddenInput)
    contact = forms.IntegerField(label=_("Kontaktperson ved ny skole"))
