"""Forms of intensive follow-up: enrolment (with the consent given at it), ending it, the
follow-up team and the week plan's slots."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from laget.accounts.models import Agency
from laget.cases.models import Meeting
from laget.intensive.models import DAY_END, DAY_START, EndReason, FollowUpMember, SlotKind
from laget.people.models import Guardian
from laget.records.models import TeamMember
from laget.sharing.models import ConsentGivenBy, ConsentMethod
from laget.web.forms.cases import _guardian_label

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WEEKDAY_CHOICES = [(0, _("mandag")), (1, _("tirsdag")), (2, _("onsdag")), (3, _("torsdag")),
                   (4, _("fredag")), (5, _("lørdag")), (6, _("søndag"))]


def _member_label(member: TeamMember) -> str:
    return f"{member.user.get_full_name() or member.user.username} ({member.agency.name})"


class EnrolForm(forms.Form):
    decided_on = forms.DateField(label=_("Besluttet i SaLTo-teamet"), widget=DATE_WIDGET)
    meeting = forms.ModelChoiceField(
        label=_("Teammøtet der det ble besluttet"), queryset=Meeting.objects.none(),
        required=False, empty_label=_("Ikke i et teammøte"))
    starts_on = forms.DateField(label=_("Med fra"), widget=DATE_WIDGET)
    members = forms.ModelMultipleChoiceField(
        label=_("Oppfølgingsteamet"), queryset=TeamMember.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Medlemmer av teamet rundt saken som følger den unge opp i programmet."))
    given_by = forms.ChoiceField(
        label=_("Hvem ga samtykket ved opptaket?"), choices=ConsentGivenBy.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Velg hvem som gir samtykket.")})
    guardians = forms.ModelMultipleChoiceField(
        label=_("Foresatte som har samtykket"), queryset=Guardian.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Under 16 år må alle med foreldreansvar samtykke."),
        error_messages={"invalid_choice": _("Ukjent foresatt."),
                        "invalid_pk_value": _("Ukjent foresatt.")})
    method = forms.ChoiceField(
        label=_("Hvordan er samtykket gitt?"), choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Velg hvordan samtykket er gitt.")})
    consent_valid_to = forms.DateField(label=_("Samtykket gjelder til og med"),
                                       widget=DATE_WIDGET)
    youth_view = forms.CharField(
        label=_("Den unges syn"), required=False, max_length=4000, widget=forms.Textarea,
        help_text=_("Den unge skal høres fra 12 år. Skriv kort hva den unge mener."))

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], members: QuerySet[TeamMember],
                 guardians: QuerySet[Guardian], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = (
            lambda m: m.starts_at.strftime("%d.%m.%Y %H:%M"))
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = _member_label
        self.fields["guardians"].queryset = guardians
        self.fields["guardians"].label_from_instance = _guardian_label


class EndForm(forms.Form):
    ends_on = forms.DateField(label=_("Ute fra"), widget=DATE_WIDGET,
                              help_text=_("Første dag den unge ikke er med. Delingen i "
                                          "programmet slutter denne dagen."))
    reason = forms.ChoiceField(label=_("Årsak"), choices=EndReason.choices,
                               widget=forms.RadioSelect,
                               error_messages={"invalid_choice": _("Velg en årsak.")})


class MemberForm(forms.Form):
    team_member = forms.ModelChoiceField(label=_("Medlem av teamet rundt saken"),
                                         queryset=TeamMember.objects.none(),
                                         empty_label=_("Velg et medlem"))

    def __init__(self, *args: Any, members: QuerySet[TeamMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team_member"].queryset = members
        self.fields["team_member"].label_from_instance = _member_label


class SlotForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Ukedag"), choices=WEEKDAY_CHOICES, coerce=int)
    start_hour = forms.TypedChoiceField(
        label=_("Fra kl."), coerce=int,
        choices=[(h, f"{h:02d}") for h in range(DAY_START, DAY_END)])
    end_hour = forms.TypedChoiceField(
        label=_("Til kl."), coerce=int,
        choices=[(h, f"{h:02d}") for h in range(DAY_START + 1, DAY_END + 1)])
    kind = forms.ChoiceField(label=_("Hva"), choices=SlotKind.choices)
    responsible = forms.ModelChoiceField(
        label=_("Ansvarlig i oppfølgingsteamet"), queryset=FollowUpMember.objects.none(),
        required=False, empty_label=_("Ingen person"))
    responsible_agency = forms.ModelChoiceField(
        label=_("Eller ansvarlig virksomhet"), queryset=Agency.objects.none(), required=False,
        empty_label=_("Ingen virksomhet"))
    description = forms.CharField(
        label=_("Kort beskrivelse"), required=False, max_length=120,
        help_text=_("For eksempel «Fotballtrening, Haugenstua». Ikke skriv sensitive "
                    "opplysninger: hele oppfølgingsteamet ser ukeplanen."))

    def __init__(self, *args: Any, members: QuerySet[FollowUpMember],
                 agencies: QuerySet[Agency] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = members
        self.fields["responsible"].label_from_instance = (
            lambda m: _member_label(m.team_member))
        if agencies is None:  # a follow-up member adds slots for themselves only
            del self.fields["responsible_agency"]
            self.fields["responsible"].required = True
            self.fields["responsible"].empty_label = None
        else:
            self.fields["responsible_agency"].queryset = agencies

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_hour"), data.get("end_hour")
        if start is not None and end is not None and end <= start:
            self.add_error("end_hour", _("Økten må slutte etter at den begynner."))
        if data.get("responsible") and data.get("responsible_agency"):
            self.add_error("responsible_agency",
                           _("Velg enten en person eller en virksomhet som ansvarlig."))
        return data
