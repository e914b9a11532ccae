from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from laget.areas.models import District, Subdistrict
from laget.people.models import AddressProtection, Guardian, GuardianRelation, Language, Person
from laget.people.services import national_id_parse


class NationalIdField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Fødselsnummer eller D-nummer"))
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric",
                                                           "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        return national_id_parse(value).number


class PersonForm(forms.Form):
    national_id = NationalIdField(
        help_text=_("11 siffer. La feltet stå tomt hvis personen ikke har nummer ennå."),
    )
    birth_date = forms.DateField(
        label=_("Fødselsdato"), required=False,
        help_text=_("Må fylles ut når personen ikke har nummer."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    given_name = forms.CharField(label=_("Fornavn"), max_length=100)
    family_name = forms.CharField(label=_("Etternavn"), max_length=100)
    district = forms.ModelChoiceField(
        label=_("Bydel"), queryset=District.objects.none(), to_field_name="code",
        empty_label=_("Velg bydel"),
        error_messages={"invalid_choice": _("Ukjent bydel. Velg en av Oslos 15 bydeler.")},
    )
    subdistrict = forms.ModelChoiceField(
        label=_("Delbydel"), queryset=Subdistrict.objects.none(), required=False,
        to_field_name="code", empty_label=_("Ingen valgt"),
        error_messages={"invalid_choice": _("Ukjent delbydel.")},
    )
    preferred_language = forms.ChoiceField(
        label=_("Foretrukket språk"), choices=Language.choices, initial=Language.NB
    )
    interpreter_needed = forms.BooleanField(label=_("Trenger tolk"), required=False)
    interpreter_language = forms.ChoiceField(
        label=_("Tolkespråk"), choices=[("", "—"), *Language.choices], required=False
    )
    address_protection = forms.ChoiceField(
        label=_("Adressebeskyttelse"), choices=AddressProtection.choices, required=False,
        help_text=Person._meta.get_field("address_protection").help_text,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(has_administration=True)
        self.fields["subdistrict"].queryset = Subdistrict.objects.filter(
            district__has_administration=True
        ).select_related("district")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("national_id") and not data.get("birth_date") and not self.has_error(
            "national_id"
        ):
            self.add_error("birth_date", _("Oppgi fødselsdato når personen ikke har nummer."))
        district, subdistrict = data.get("district"), data.get("subdistrict")
        if district and subdistrict and subdistrict.district_id != district.pk:
            self.add_error("subdistrict", _("Delbydelen ligger ikke i valgt bydel."))
        if data.get("interpreter_needed") and not data.get("interpreter_language"):
            self.add_error("interpreter_language", _("Velg språk for tolken."))
        return data

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        return {
            "national_id": person.national_id or "",
            "birth_date": person.birth_date,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "district": person.district_id,
            "subdistrict": person.subdistrict_id,
            "preferred_language": person.preferred_language,
            "interpreter_needed": person.interpreter_needed,
            "interpreter_language": person.interpreter_language,
            "address_protection": person.address_protection,
        }

    def add_service_error(self, error: ValidationError) -> None:
        """Attach a ValidationError raised by a service to the right field, or to the form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class PersonLookupForm(forms.Form):
    national_id = NationalIdField(required=True, label=_("Fødselsnummer eller D-nummer"))


class GuardianForm(forms.Form):
    given_name = forms.CharField(label=_("Fornavn"), max_length=100)
    family_name = forms.CharField(label=_("Etternavn"), max_length=100)
    relation = forms.ChoiceField(label=_("Relasjon"), choices=GuardianRelation.choices)
    national_id = NationalIdField(help_text=_("Valgfritt. Brukes for innlogging på familiesidene."))
    parental_responsibility = forms.BooleanField(
        label=_("Har foreldreansvar"), required=False, initial=True
    )
    restricted_contact = forms.BooleanField(
        label=_("Begrenset kontakt (for eksempel besøksforbud)"), required=False,
        help_text=Guardian._meta.get_field("restricted_contact").help_text,
    )
    address_protection = forms.ChoiceField(
        label=_("Adressebeskyttelse"), choices=AddressProtection.choices, required=False,
        help_text=Guardian._meta.get_field("address_protection").help_text,
    )
    phone = forms.RegexField(
        label=_("Telefon"), required=False, max_length=20, regex=r"^\+?[0-9 ]{8,19}$",
        error_messages={"invalid": _("Skriv telefonnummeret med siffer, for eksempel 912 34 567.")},
    )
    email = forms.EmailField(label=_("E-post"), required=False)
    preferred_language = forms.ChoiceField(
        label=_("Foretrukket språk"), choices=Language.choices, initial=Language.NB
    )
    interpreter_needed = forms.BooleanField(label=_("Trenger tolk"), required=False)
