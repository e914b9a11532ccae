"""Forms of unge forbilder: apply for a young person and refer a mentee (the person by
fødselsnummer in the POST body, with the consent as recorded), assess the criteria, decide, add a
benefit, pair a mentee with a mentor, and record a mentorship's meetings. They check the shape of
the input; the rules (age, consent, capacity, who may) live in laget.mentors and come back as
DomainError."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from laget.mentors.models import (
    AssessmentResult,
    BenefitKind,
    ConsentMethod,
    Criterion,
    Mentorship,
)
from laget.mentors.services import (
    DESCRIPTION_MAX_LENGTH,
    MOTIVATION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Consent,
    Decision,
)
from laget.pathways.models import Offer
from laget.web.forms.people import NationalIdField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsentForm(forms.Form):
    national_id = NationalIdField(
        required=True,
        help_text=_("11 siffer. Den unge må være registrert i Laget og synlig for deg."),
        error_messages={"required": _("Skriv fødselsnummeret til den unge.")})
    consent_method = forms.ChoiceField(
        label=_("Samtykket ble gitt"), choices=ConsentMethod.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Velg hvordan samtykket ble gitt.")})
    consent_on = forms.DateField(label=_("Dato for samtykket"), widget=DATE_WIDGET,
                                 error_messages={"required": _("Oppgi datoen samtykket ble "
                                                               "gitt.")})
    consent_youth = forms.BooleanField(
        label=_("Den unge har samtykket"), required=False)
    consent_guardians = forms.BooleanField(
        label=_("Foresatte med foreldreansvar har samtykket"), required=False,
        help_text=_("Må krysses av når den unge er under 16 år."))

    def consent(self) -> Consent:
        data = self.cleaned_data
        return Consent(method=data["consent_method"], given_on=data["consent_on"],
                       youth=data["consent_youth"], guardians=data["consent_guardians"])


class ApplicationForm(ConsentForm):
    motivation = forms.CharField(
        label=_("Hvorfor den unge bør bli et forbilde"), max_length=MOTIVATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Skriv om den unges styrker og hvorfor du anbefaler dem. Ikke skriv "
                    "helseopplysninger eller opplysninger om lovbrudd."),
        error_messages={"required": _("Skriv en begrunnelse.")})

    field_order = ["national_id", "motivation", "consent_method", "consent_on",
                   "consent_youth", "consent_guardians"]


class ReferralForm(ConsentForm):
    pass


class AssessmentForm(forms.Form):
    """One result and note per criterion, named by the criterion's id."""

    def __init__(self, *args: Any, criteria: list[Criterion], current: dict[Any, Any],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            existing = current.get(criterion.pk)
            self.fields[f"result_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.text, choices=AssessmentResult.choices, required=False,
                widget=forms.RadioSelect,
                initial=existing.result if existing else None)
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Merknad"), required=False, max_length=NOTE_MAX_LENGTH,
                initial=existing.note if existing else "")

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"result_{c.pk}"], self[f"note_{c.pk}"]) for c in self.criteria]

    def results(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {str(c.pk): (data[f"result_{c.pk}"], data[f"note_{c.pk}"])
                for c in self.criteria if data.get(f"result_{c.pk}")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"result_{c.pk}") for c in self.criteria):
            raise forms.ValidationError(_("Vurder minst ett kriterium."))
        for c in self.criteria:
            if data.get(f"note_{c.pk}") and not data.get(f"result_{c.pk}"):
                self.add_error(f"result_{c.pk}", _("Velg oppfylt eller ikke oppfylt når du "
                                                   "skriver en merknad."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Vedtak"), widget=forms.RadioSelect,
        choices=[(Decision.ENROL, _("Ta opp")), (Decision.WAITLIST, _("Sett på venteliste")),
                 (Decision.REJECT, _("Avslå"))],
        error_messages={"required": _("Velg et vedtak.")})
    reason = forms.CharField(
        label=_("Begrunnelse"), required=False, max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Må fylles ut ved avslag. Innsenderen ser begrunnelsen."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == Decision.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Skriv hvorfor søknaden avslås."))
        return data


class BenefitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=BenefitKind.choices,
                             error_messages={"required": _("Velg hva slags tilbud det er.")})
    given_on = forms.DateField(label=_("Dato"), widget=DATE_WIDGET,
                               error_messages={"required": _("Oppgi datoen.")})
    description = forms.CharField(label=_("Beskrivelse"), max_length=DESCRIPTION_MAX_LENGTH,
                                  error_messages={"required": _("Skriv en kort beskrivelse.")})
    offer = forms.ModelChoiceField(
        label=_("Tilbud i katalogen"), required=False, empty_label=_("Ikke fra katalogen"),
        queryset=Offer.objects.filter(active=True).order_by("name"),
        help_text=_("For en deltidsjobb eller et kurs fra tilbudskatalogen."))


class PairForm(forms.Form):
    mentorship = forms.ModelChoiceField(
        label=_("Ungdom som venter på et forbilde"), queryset=Mentorship.objects.none(),
        empty_label=None, error_messages={"required": _("Velg en ungdom.")})

    def __init__(self, *args: Any, referrals: list[Mentorship], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mentorship"]
        field.queryset = (Mentorship.objects.filter(pk__in=[r.pk for r in referrals])
                          .select_related("mentee"))
        field.label_from_instance = lambda m: m.mentee.full_name


class MentorshipUpdateForm(forms.Form):
    meetings = forms.IntegerField(label=_("Antall møter"), min_value=0, max_value=1000)
    notes = forms.CharField(
        label=_("Notater"), required=False, max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Korte praktiske notater. Ikke skriv helseopplysninger, opplysninger om "
                    "lovbrudd eller andre sensitive opplysninger."))
