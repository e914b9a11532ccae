"""The pathways pages' forms: the catalogue's filters, an offer and its opening hours, the CSV
import, a referral, and the provider's answer, attendance, end and job placement. They check the
shape of the input; the rules (who may, age range, a basis to share) live in laget.pathways and
come back as DomainError."""

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from laget.accounts.models import Agency
from laget.areas.models import District, DistrictKind, Subdistrict
from laget.pathways.models import Offer, OfferKind, ReferralStatus, Season
from laget.people.models import Language

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAYS = [(0, _("mandag")), (1, _("tirsdag")), (2, _("onsdag")), (3, _("torsdag")),
            (4, _("fredag")), (5, _("lørdag")), (6, _("søndag"))]
#: empty opening rows the opening-hours form offers
OPENING_ROWS = 14


def _districts() -> Any:
    return District.objects.filter(kind=DistrictKind.BYDEL).order_by("name")


class CatalogueFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("Alle typer")), *OfferKind.choices])
    district = forms.ModelChoiceField(label=_("Bydel"), required=False, queryset=_districts(),
                                      empty_label=_("Alle bydeler"), to_field_name="code")
    age = forms.IntegerField(label=_("Alder"), required=False, min_value=0, max_value=99)
    language = forms.ChoiceField(label=_("Språk"), required=False,
                                 choices=[("", _("Alle språk")), *Language.choices])


class OfferForm(forms.ModelForm):
    """An offer; the admin also chooses the provider."""

    languages = forms.MultipleChoiceField(
        label=_("Språk (utenom norsk)"), required=False, choices=Language.choices,
        widget=forms.CheckboxSelectMultiple)
    provider = forms.ModelChoiceField(label=_("Tilbyder"), queryset=Agency.objects.none(),
                                      required=False)

    class Meta:
        model = Offer
        fields = ["kind", "name", "description", "district", "subdistrict", "age_min", "age_max",
                  "languages", "contact_name", "contact_phone", "contact_email", "price_nok",
                  "subsidy", "places", "free_places", "employer", "hours_per_week", "valid_from",
                  "valid_to", "active"]
        widgets = {"valid_from": DATE_WIDGET, "valid_to": DATE_WIDGET,
                   "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, choose_provider: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = _districts()
        self.fields["subdistrict"].queryset = Subdistrict.objects.order_by("name")
        if choose_provider:
            self.fields["provider"].queryset = Agency.objects.order_by("name")
            self.fields["provider"].required = self.instance._state.adding
        else:
            del self.fields["provider"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("«Alder til» kan ikke være lavere enn «alder fra»."))
        places, free = data.get("places"), data.get("free_places")
        if places is not None and free is not None and free > places:
            self.add_error("free_places", _("Det kan ikke være flere gratisplasser enn plasser."))
        return data

    def _post_clean(self) -> None:
        # The service validates the model (with the provider set); the form only checks shape.
        pass


class OpeningForm(forms.Form):
    season = forms.ChoiceField(label=_("Sesong"), choices=[("", "—"), *Season.choices],
                               required=False)
    weekday = forms.TypedChoiceField(label=_("Ukedag"), choices=[("", "—"), *WEEKDAYS],
                                     coerce=int, required=False, empty_value=None)
    opens = forms.TimeField(label=_("Åpner"), required=False, widget=TIME_WIDGET)
    closes = forms.TimeField(label=_("Stenger"), required=False, widget=TIME_WIDGET)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        given = [data.get(k) not in (None, "") for k in ("season", "weekday", "opens", "closes")]
        if any(given) and not all(given):
            raise forms.ValidationError(_("Fyll ut sesong, ukedag, åpner og stenger, eller la "
                                          "raden stå tom."))
        if all(given) and data["opens"] >= data["closes"]:
            self.add_error("closes", _("Må være etter åpningstiden."))
        return data


OpeningFormSet = forms.formset_factory(OpeningForm, extra=0, max_num=OPENING_ROWS + 20)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV-fil"), help_text=_("UTF-8, kolonner som i eksempelfilen."))

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("Filen er større enn 2 MB."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Filen er ikke UTF-8.")) from None


def _offer_label(offer: Offer) -> str:
    return gettext("%(name)s (%(kind)s, %(min)s–%(max)s år)") % {
        "name": offer.name, "kind": offer.get_kind_display(), "min": offer.age_min,
        "max": offer.age_max}


class ReferralForm(forms.Form):
    offer = forms.ModelChoiceField(label=_("Tilbud"), queryset=Offer.objects.none(),
                                   empty_label=_("Velg tilbud"))
    text = forms.CharField(
        label=_("Hva henvisningen gjelder"), max_length=1000, widget=forms.Textarea(
            attrs={"rows": 4}),
        help_text=_("Tilbyderen ser navn, alder, kontakt, språk og denne teksten — ikke noe fra "
                    "saken. Skriv bare det tilbyderen trenger."))

    def __init__(self, *args: Any, offers: list[Offer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["offer"]
        field.queryset = Offer.objects.filter(pk__in=[o.pk for o in offers]).order_by("name")
        field.label_from_instance = _offer_label


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Svar"), choices=[
        ("accept", _("Aksepter")), ("waitlist", _("Sett på venteliste")),
        ("decline", _("Avslå"))], widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Begrunnelse"), max_length=500, required=False,
                             help_text=_("Må fylles ut ved avslag."))


class AttendanceForm(forms.Form):
    on = forms.DateField(label=_("Dato"), widget=DATE_WIDGET)
    attended = forms.TypedChoiceField(label=_("Møtte"), choices=[
        ("1", _("Møtte")), ("0", _("Møtte ikke"))], coerce=lambda v: v == "1",
        widget=forms.RadioSelect)


class EndForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Avslutning"), choices=[
        (ReferralStatus.COMPLETED, _("Fullført")), (ReferralStatus.DROPPED_OUT, _("Avbrutt"))],
        widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Begrunnelse"), max_length=500, required=False,
                             help_text=_("Må fylles ut ved avbrudd."))


class PlacementForm(forms.Form):
    start = forms.DateField(label=_("Startdato"), widget=DATE_WIDGET)
    hours = forms.DecimalField(label=_("Timer per uke"), max_digits=4, decimal_places=1,
                               min_value=0)
    end = forms.DateField(label=_("Sluttdato"), required=False, widget=DATE_WIDGET)
