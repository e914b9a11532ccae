"""The police registration form: one page, keyboard-first (radios for what happened, the time
and the unit filled in). It checks the shape of the input; the rules live in
laget.policing.services."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laget.areas.models import Subdistrict
from laget.core import clock
from laget.people.services import national_id_parse
from laget.policing.models import OffenceCategory, RegistrationKind, WeaponType
from laget.policing.services import NAME_MAX_LENGTH, TEXT_MAX_LENGTH
from laget.web.forms.people import NationalIdField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SubdistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Subdistrict) -> str:
        return f"{obj.name} ({obj.district.name})"


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hva skjedde?"), choices=RegistrationKind.choices, widget=forms.RadioSelect,
        initial=RegistrationKind.STOP_SEARCH,
        error_messages={"required": _("Velg hva som skjedde.")},
    )
    national_id = NationalIdField(
        help_text=_("11 siffer. Med nummeret finner Laget riktig person og foresatte."),
    )
    given_name = forms.CharField(label=_("Fornavn"), max_length=NAME_MAX_LENGTH)
    family_name = forms.CharField(label=_("Etternavn"), max_length=NAME_MAX_LENGTH)
    birth_date = forms.DateField(
        label=_("Fødselsdato"), required=False, widget=DATE_WIDGET,
        help_text=_("Må fylles ut når du ikke har fødselsnummeret."),
    )
    occurred_at = forms.DateTimeField(
        label=_("Tidspunkt"), widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    subdistrict = SubdistrictChoiceField(
        label=_("Sted (delbydel)"), queryset=Subdistrict.objects.none(),
        empty_label=_("Velg delbydel"),
        help_text=_("Bare delbydelen lagres, ikke adressen."),
        error_messages={"required": _("Velg delbydelen der det skjedde.")},
    )
    grounds = forms.CharField(
        label=_("Grunnlag"), max_length=TEXT_MAX_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kort og saklig. Teksten går til SaLTo-koordinatoren."),
    )
    found_items = forms.CharField(
        label=_("Funnet"), max_length=TEXT_MAX_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weapon_type = forms.ChoiceField(
        label=_("Våpen"), choices=WeaponType.choices, widget=forms.RadioSelect,
        initial=WeaponType.NONE,
        help_text=_("Et våpen setter våpenutløser: særskilt oppfølging i SaLTo."),
    )
    offence_category = forms.ChoiceField(
        label=_("Lovbruddskategori (ved pågripelse)"), required=False,
        choices=[("", _("Velg kategori")), *OffenceCategory.choices],
    )
    held = forms.TypedChoiceField(
        label=_("Etter pågripelsen (ved pågripelse)"), widget=forms.RadioSelect,
        choices=[("0", _("Løslatt")), ("1", _("Holdt i arrest"))], coerce=lambda v: v == "1",
        initial="0", required=False, empty_value=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"].queryset = (
            Subdistrict.objects.filter(district__has_administration=True)
            .select_related("district").order_by("name"))
        if not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        number, born = data.get("national_id"), data.get("birth_date")
        if number:
            parsed = national_id_parse(number)
            if born and born != parsed.birth_date:
                self.add_error("birth_date", _("Fødselsdatoen stemmer ikke med "
                                               "fødselsnummeret."))
        elif not born and not self.has_error("national_id"):
            self.add_error("birth_date", _("Oppgi fødselsdato når du ikke har "
                                           "fødselsnummeret."))
        if data.get("kind") == RegistrationKind.APPREHENSION and not data.get(
                "offence_category"):
            self.add_error("offence_category", _("Velg lovbruddskategori for pågripelsen."))
        if data.get("kind") == RegistrationKind.CONCERN and not data.get("grounds"):
            self.add_error("grounds", _("Skriv hva bekymringen gjelder."))
        return data
