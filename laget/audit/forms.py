"""The auditor's forms: the event search (GET: nothing personal in it but a person's id), the
look-up of a person by number (POST, so the number never reaches a URL), and a report period."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from laget.accounts.models import Agency
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.selectors import EventFilters
from laget.core import clock
from laget.people.services import national_id_parse

#: The longest period one unusual-access report covers (its queries scan the period's reads).
MAX_REPORT_DAYS = 366
DEFAULT_REPORT_DAYS = 30


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))


def _check_period(form: forms.Form, data: dict[str, Any]) -> None:
    if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
        form.add_error("date_to", _("Til-datoen er før fra-datoen."))


class EventSearchForm(forms.Form):
    person = forms.UUIDField(
        label=_("Person-ID"), required=False,
        error_messages={"invalid": _("Person-ID-en er ikke gyldig. Finn den med fødselsnummer "
                                     "eller D-nummer over.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    username = forms.CharField(label=_("Brukernavn"), max_length=150, required=False)
    agency = forms.ModelChoiceField(
        label=_("Virksomhet"), queryset=Agency.objects.order_by("name"), to_field_name="code",
        required=False, empty_label=_("Alle"),
    )
    date_from = _date_field(_("Fra dato"))
    date_to = _date_field(_("Til dato"))
    action = forms.ChoiceField(
        label=_("Handling"), choices=[("", _("Alle")), *Action.choices], required=False
    )
    outcome = forms.ChoiceField(
        label=_("Utfall"), choices=[("", _("Alle")), *Outcome.choices], required=False
    )
    purpose = forms.ChoiceField(
        label=_("Formål"), choices=[("", _("Alle")), *Purpose.choices], required=False
    )
    basis = forms.CharField(
        label=_("Rettsgrunnlag inneholder"), max_length=200, required=False,
        help_text=_("For eksempel en regel-ID eller «nodtilgang»."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_period(self, data)
        return data

    def filters(self) -> EventFilters:
        data = self.cleaned_data
        return EventFilters(
            person_id=data.get("person"), username=data.get("username", "").strip(),
            agency=data.get("agency"), date_from=data.get("date_from"),
            date_to=data.get("date_to"), action=data.get("action", ""),
            outcome=data.get("outcome", ""), purpose=data.get("purpose", ""),
            basis=data.get("basis", "").strip(),
        )


class PersonLookupForm(forms.Form):
    national_id = forms.CharField(
        label=_("Fødselsnummer eller D-nummer"), max_length=13,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_national_id(self) -> str:
        return national_id_parse(self.cleaned_data["national_id"]).number


class ReportPeriodForm(forms.Form):
    date_from = _date_field(_("Fra dato"))
    date_to = _date_field(_("Til dato"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = clock.today()
        data["date_to"] = data.get("date_to") or today
        data["date_from"] = data.get("date_from") or (
            data["date_to"] - dt.timedelta(days=DEFAULT_REPORT_DAYS - 1))
        _check_period(self, data)
        if not self.errors and (data["date_to"] - data["date_from"]).days >= MAX_REPORT_DAYS:
            raise ValidationError(_("Perioden kan være høyst ett år."), code="too_long")
        return data

    @classmethod
    def defaults(cls) -> dict[str, str]:
        """The data of an untouched form: the last 30 days up to today."""
        today = clock.today()
        return {"date_from": (today - dt.timedelta(days=DEFAULT_REPORT_DAYS - 1)).isoformat(),
                "date_to": today.isoformat()}
