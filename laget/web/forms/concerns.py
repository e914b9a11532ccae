"""Forms for concerns, the coordinator's assessment and the case search. They check the shape of
the input; the rules (age range, who assesses) live in laget.cases.concerns."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from laget.areas.models import District
from laget.cases.concerns import ASSESSMENT_MAX_LENGTH, TEXT_MAX_LENGTH, age_refusal
from laget.core import clock
from laget.people.identifiers import compact
from laget.people.services import national_id_parse
from laget.web.forms.people import NationalIdField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConcernForm(forms.Form):
    national_id = NationalIdField(
        help_text=_("11 siffer. Med nummeret finner koordinatoren riktig person."),
    )
    given_name = forms.CharField(label=_("Fornavn"), max_length=100)
    family_name = forms.CharField(label=_("Etternavn"), max_length=100)
    birth_date = forms.DateField(
        label=_("Fødselsdato"), required=False, widget=DATE_WIDGET,
        help_text=_("Må fylles ut når du ikke har fødselsnummeret."),
    )
    district = forms.ModelChoiceField(
        label=_("Bydel"), queryset=District.objects.none(), to_field_name="code",
        empty_label=_("Velg bydel"),
        help_text=_("Bydelen der barnet eller den unge bor. Bekymringen går til "
                    "SaLTo-koordinatoren der."),
        error_messages={"invalid_choice": _("Ukjent bydel. Velg en av Oslos 15 bydeler."),
                        "required": _("Velg bydelen der barnet eller den unge bor.")},
    )
    text = forms.CharField(
        label=_("Hva er du bekymret for?"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea,
        help_text=_("Beskriv hva du har sett eller hørt, og når. Skriv bare det koordinatoren "
                    "trenger for å vurdere saken."),
        error_messages={"required": _("Beskriv bekymringen.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(has_administration=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        number, born = data.get("national_id"), data.get("birth_date")
        if number:
            parsed = national_id_parse(number)
            if born and born != parsed.birth_date:
                self.add_error("birth_date", _("Fødselsdatoen stemmer ikke med "
                                               "fødselsnummeret."))
                return data
            born = parsed.birth_date
        elif not born and not self.has_error("national_id"):
            self.add_error("birth_date", _("Oppgi fødselsdato når du ikke har "
                                           "fødselsnummeret."))
        if born and born > clock.today():
            self.add_error("birth_date", _("Fødselsdatoen kan ikke ligge fram i tid."))
        elif born:
            refusal = age_refusal(born)
            if refusal:
                self.add_error(None, refusal)
        return data


class ConcernDismissForm(forms.Form):
    assessment = forms.CharField(
        label=_("Vurdering"), max_length=ASSESSMENT_MAX_LENGTH, widget=forms.Textarea,
        help_text=_("Hvorfor det ikke er grunnlag for en SaLTo-sak, og hva som eventuelt er "
                    "gjort i stedet. Melderen får ikke se vurderingen."),
        error_messages={"required": _("Skriv hvorfor det ikke er grunnlag for en sak.")},
    )


class CaseSearchForm(forms.Form):
    """One field for a name or a number; a number is sent in the form's body, never a URL."""

    query = forms.CharField(
        label=_("Navn eller fødselsnummer"), max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Skriv et navn, eller hele fødselsnummeret eller D-nummeret (11 siffer)."),
        error_messages={"required": _("Skriv et navn eller et fødselsnummer.")},
    )

    def clean_query(self) -> str:
        return self.cleaned_data["query"].strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        query = data.get("query", "")
        data["national_id"], data["name"] = "", ""
        if not query:
            return data
        digits = compact(query)
        if digits.isdigit():
            if len(digits) != 11:
                self.add_error("query", _("Skriv hele nummeret (11 siffer), eller søk på navn."))
                return data
            try:
                data["national_id"] = national_id_parse(digits).number
            except ValidationError as error:
                self.add_error("query", error)
        elif any(ch.isdigit() for ch in query):
            self.add_error("query", _("Et navn kan ikke inneholde siffer."))
        elif len(query) < 2:
            self.add_error("query", _("Skriv minst to bokstaver."))
        else:
            data["name"] = query
        return data
