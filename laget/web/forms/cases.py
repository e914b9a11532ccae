"""Forms of the case pages: open a case, entries, emergency access, team, consent, reviews.
They parse and check the shape of the input; the rules live in the services."""

import uuid
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from laget.accounts.models import Agency, AgencyType, User
from laget.people.models import Guardian
from laget.records.vocabulary import FAMILIE_RECIPIENT, InfoCategory, SharingPurpose
from laget.sharing.models import ConsentGivenBy, ConsentMethod, ReviewOutcome, WithdrawnBy
from laget.sharing.selectors import HiddenGroup
from laget.sharing.services import MAX_ATTACHMENT_BYTES, NewAttachment

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RECIPIENT_CHOICES = [
    *AgencyType.choices, (FAMILIE_RECIPIENT, _("Familien (den unge og foresatte)")),
]


class CaseOpenForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)


class _AttachmentMixin(forms.Form):
    attachment = forms.FileField(
        label=_("Vedlegg"), required=False,
        help_text=_("PDF, PNG, JPEG, tekst eller Word, høyst 10 MB."),
    )

    def clean_attachment(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("attachment")
        if upload and upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("Vedlegget er større enn 10 MB."))
        return upload

    def attachments(self) -> list[NewAttachment]:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return []
        return [NewAttachment(name=upload.name or "", data=upload.read(),
                              content_type=upload.content_type or "")]


class EntryForm(_AttachmentMixin):
    category = forms.ChoiceField(
        label=_("Kategori"), choices=InfoCategory.choices,
        error_messages={"invalid_choice": _("Ukjent kategori.")},
    )
    text = forms.CharField(label=_("Opplysning"), max_length=20_000, widget=forms.Textarea,
                           error_messages={"required": _("Skriv opplysningen.")})
    field_order = ["category", "text", "attachment"]


class EntryCorrectForm(_AttachmentMixin):
    text = forms.CharField(label=_("Rettet opplysning"), max_length=20_000,
                           widget=forms.Textarea,
                           error_messages={"required": _("Skriv opplysningen.")})
    field_order = ["text", "attachment"]


def group_key(group: HiddenGroup) -> str:
    return f"{group.source_agency_id}:{group.category}"


def group_label(group: HiddenGroup) -> str:
    return ngettext(
        "%(count)s opplysning fra %(agency)s (%(category)s)",
        "%(count)s opplysninger fra %(agency)s (%(category)s)",
        group.count,
    ) % {"count": group.count, "agency": group.source_agency, "category": group.category_label}


class EmergencyForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Hvilke opplysninger trenger du?"), widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Velg en av gruppene i listen.")},
    )
    reason = forms.CharField(
        label=_("Hvilken fare for liv eller helse gjør det nødvendig?"), min_length=10,
        max_length=2000, widget=forms.Textarea,
        help_text=_("Begrunnelsen lagres og vurderes av lederen i virksomheten som eier "
                    "opplysningene."),
        error_messages={"min_length": _("Beskriv faren for liv eller helse (minst 10 tegn).")},
    )

    def __init__(self, *args: Any, groups: Sequence[HiddenGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(group_key(g), group_label(g)) for g in groups]

    def clean_group(self) -> tuple[uuid.UUID, str]:
        agency_id, category = self.cleaned_data["group"].split(":", 1)
        return uuid.UUID(agency_id), category


class TeamAgencyForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Virksomhet"), queryset=Agency.objects.none(), empty_label=_("Velg virksomhet"),
        error_messages={"invalid_choice": _("Velg en virksomhet i listen.")},
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class TeamMemberForm(TeamAgencyForm):
    user = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.none(), empty_label=_("Velg person"),
        error_messages={"invalid_choice": _("Velg en person i listen.")},
    )
    team_role = forms.CharField(
        label=_("Rolle i teamet"), max_length=120, required=False,
        help_text=_("For eksempel kontaktlærer eller forebyggende politi."),
    )
    is_contact = forms.BooleanField(
        label=_("Virksomhetens kontaktperson for saken"), required=False,
        help_text=_("Den første fra en virksomhet blir kontaktperson uansett."),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], users: QuerySet[User],
                 **kwargs: Any) -> None:
        super().__init__(*args, agencies=agencies, **kwargs)
        self.fields["agency"].widget = forms.HiddenInput()
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


def _guardian_label(guardian: Guardian) -> str:
    label = f"{guardian.given_name} {guardian.family_name} ({guardian.get_relation_display()})"
    if not guardian.parental_responsibility:
        label += " – " + str(_("uten foreldreansvar"))
    return label


class ConsentTermsForm(forms.Form):
    """What a consent covers — categories, recipients, purposes, period — and the young
    person's view: the fields a registered consent and a consent proposal share."""

    categories = forms.MultipleChoiceField(
        label=_("Hvilke opplysninger kan deles?"), choices=InfoCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Ukjent kategori: %(value)s."),
                        "required": _("Velg minst én kategori.")},
    )
    recipients = forms.MultipleChoiceField(
        label=_("Med hvem?"), choices=RECIPIENT_CHOICES, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Ukjent mottaker: %(value)s."),
                        "required": _("Velg minst én mottaker.")},
    )
    purposes = forms.MultipleChoiceField(
        label=_("Til hvilket formål?"), choices=SharingPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Ukjent formål: %(value)s."),
                        "required": _("Velg minst ett formål.")},
    )
    valid_from = forms.DateField(label=_("Gyldig fra"), widget=DATE_WIDGET)
    valid_to = forms.DateField(label=_("Gyldig til og med"), widget=DATE_WIDGET)
    youth_view = forms.CharField(
        label=_("Den unges syn"), required=False, max_length=4000, widget=forms.Textarea,
        help_text=_("Den unge skal høres fra 12 år. Skriv kort hva den unge mener."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Sluttdatoen er før startdatoen."))
        return data


class ConsentForm(ConsentTermsForm):
    field_order = ["given_by", "guardians", "method"]

    given_by = forms.ChoiceField(
        label=_("Hvem gir samtykket?"), choices=ConsentGivenBy.choices, widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Velg hvem som gir samtykket.")},
    )
    guardians = forms.ModelMultipleChoiceField(
        label=_("Foresatte som har samtykket"), queryset=Guardian.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Under 16 år må alle med foreldreansvar samtykke."),
        error_messages={"invalid_choice": _("Ukjent foresatt."),
                        "invalid_pk_value": _("Ukjent foresatt.")},
    )
    method = forms.ChoiceField(
        label=_("Hvordan er samtykket gitt?"), choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Velg hvordan samtykket er gitt.")},
    )

    def __init__(self, *args: Any, guardians: QuerySet[Guardian], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["guardians"]
        field.queryset = guardians
        field.label_from_instance = _guardian_label


class ConsentWithdrawForm(forms.Form):
    withdrawn_by = forms.ChoiceField(
        label=_("Hvem trakk samtykket tilbake?"), choices=WithdrawnBy.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Velg hvem som trakk samtykket tilbake.")},
    )


class EmergencyReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Vurdering"), choices=ReviewOutcome.choices, widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Velg en vurdering.")},
    )
    note = forms.CharField(
        label=_("Merknad"), required=False, max_length=2000, widget=forms.Textarea,
        help_text=_("Påkrevd når nødtilgangen ikke var berettiget."),
    )
