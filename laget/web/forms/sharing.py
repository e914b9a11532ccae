"""Forms of the sharing guide and the administrator's rulebook change page."""

import base64

from django import forms
from django.utils.translation import gettext_lazy as _

from laget.accounts.models import AgencyType
from laget.records.vocabulary import (
    FAMILIE_RECIPIENT,
    ConsentState,
    InfoCategory,
    Programme,
    SharingPurpose,
)

RECIPIENT_CHOICES = [
    *AgencyType.choices, (FAMILIE_RECIPIENT, _("Familien (den unge og foresatte)")),
]
MAX_RULEBOOK_BYTES = 512 * 1024


class GuideForm(forms.Form):
    """«Kan jeg dele dette?»: a situation described by codes alone, no person."""

    source = forms.ChoiceField(label=_("Hvem har opplysningen?"), choices=AgencyType.choices,
                               help_text=_("Virksomheten som har registrert opplysningen."))
    recipient = forms.ChoiceField(label=_("Hvem vil du dele med?"), choices=RECIPIENT_CHOICES)
    category = forms.ChoiceField(label=_("Hva slags opplysning?"), choices=InfoCategory.choices)
    purpose = forms.ChoiceField(label=_("Hvorfor skal den deles?"),
                                choices=SharingPurpose.choices)
    person_age = forms.IntegerField(
        label=_("Personens alder"), min_value=0, max_value=120,
        help_text=_("Hele år. Alderen avgjør hvem som må samtykke."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    consent = forms.ChoiceField(label=_("Hvem har samtykket?"), choices=ConsentState.choices,
                                initial=ConsentState.NONE)
    programme = forms.ChoiceField(
        label=_("Program"), required=False,
        choices=[("", _("Ikke med i noe program")), *Programme.choices],
    )
    weapon_trigger = forms.BooleanField(label=_("Saken har en åpen våpenutløser"),
                                        required=False)


class RulebookUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Ny regelbok (YAML)"),
        help_text=_("Filen sjekkes og sammenlignes med regelboken som gjelder. Ingenting lastes "
                    "før du trykker «Last inn»."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )

    def clean_file(self) -> tuple[str, str]:
        """(file name, text)."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RULEBOOK_BYTES:
            raise forms.ValidationError(_("Filen er for stor (høyst 512 kB)."))
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Filen må være tekst i UTF-8.")) from None
        name = (upload.name or "regelbok.yaml").replace("\\", "/").rsplit("/", 1)[-1][:200]
        return name, text


class RulebookLoadForm(forms.Form):
    """The file already shown in the diff, sent back to be loaded: base64, so that the bytes (and
    with them the sha256) survive the form unchanged. `base` is the sha256 of the version the
    diff was made against: if another version has been loaded since, the diff is stale."""

    file_name = forms.CharField(max_length=200, widget=forms.HiddenInput)
    content = forms.CharField(max_length=MAX_RULEBOOK_BYTES * 2, widget=forms.HiddenInput)
    base = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    @staticmethod
    def encode(text: str) -> str:
        return base64.b64encode(text.encode("utf-8")).decode("ascii")

    def clean_content(self) -> str:
        try:
            return base64.b64decode(self.cleaned_data["content"], validate=True).decode("utf-8")
        except ValueError:  # not base64, or not UTF-8
            message = _("Filen kom ikke riktig fram. Last den opp på nytt.")
            raise forms.ValidationError(message) from None
