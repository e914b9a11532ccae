"""Forms of the reentry pages: a release, its handover to NAV, the release itself, NAV's plan
and checklist, an outcome; a message between kriminalomsorgen and the police; a network
registration; a placement. The services check the rules again."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from laget.accounts.models import Agency, AgencyType, User
from laget.areas.models import District
from laget.reentry.models import (
    AffiliationKind,
    MessageCategory,
    Occupation,
    PlacementKind,
    ReentryPlan,
    ReleaseKind,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER_HELP = _("11 siffer. Sendes i skjemaet, aldri i adressen.")


class ReleaseForm(forms.Form):
    national_id = forms.CharField(label=_("Fødselsnummer eller D-nummer"), max_length=11,
                                  help_text=NUMBER_HELP)
    given_name = forms.CharField(label=_("Fornavn"), max_length=100, required=False,
                                 help_text=_("Trengs bare om personen ikke er registrert i "
                                             "Laget."))
    family_name = forms.CharField(label=_("Etternavn"), max_length=100, required=False)
    expected_date = forms.DateField(label=_("Forventet løslatelse"), widget=DATE_WIDGET)
    kind = forms.ChoiceField(label=_("Type løslatelse"), choices=ReleaseKind.choices)
    conditions = forms.CharField(label=_("Vilkår"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    electronic_monitoring = forms.BooleanField(label=_("Elektronisk kontroll (fotlenke)"),
                                               required=False)
    municipality = forms.CharField(label=_("Kommune etter løslatelse"), max_length=100,
                                   initial="Oslo")
    district = forms.ModelChoiceField(
        label=_("Bydel etter løslatelse"), required=False,
        queryset=District.objects.filter(has_administration=True).order_by("name"),
        empty_label=_("Ikke i Oslo / ikke kjent"))
    short_notice_reason = forms.CharField(
        label=_("Grunn til kort varsel"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Løslatelser skal meldes minst åtte uker før der datoen er kjent."))


class HandoverForm(forms.Form):
    nav_office = forms.ModelChoiceField(
        label=_("NAV-kontor"), queryset=Agency.objects.filter(type=AgencyType.NAV)
        .order_by("name"))
    owner = forms.ModelChoiceField(label=_("NAV-veileder"), queryset=User.objects.none(),
                                   help_text=_("Veilederen eier planen etter løslatelsen."))

    def __init__(self, *args, owners: QuerySet[User], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = (
            lambda u: u.get_full_name() or u.username)


class ConfirmForm(forms.Form):
    actual_date = forms.DateField(label=_("Løslatt dato"), widget=DATE_WIDGET)


class PlanForm(forms.ModelForm):
    class Meta:
        model = ReentryPlan
        fields = ["work", "education", "housing", "income", "health_referrals", "activities",
                  "first_day_contact", "first_day_contact_phone"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ("work", "education", "housing", "income", "health_referrals",
                    "activities")}


class ChecklistForm(forms.ModelForm):
    class Meta:
        model = ReentryPlan
        fields = ["id_documents", "bank_account", "housing_confirmed", "first_meeting_on"]
        widgets = {"first_meeting_on": DATE_WIDGET}
        labels = {"first_meeting_on": _("Første møte hos NAV er booket til")}


YES_NO = [("yes", _("Ja")), ("no", _("Nei"))]


class OutcomeForm(forms.Form):
    occupation = forms.ChoiceField(label=_("Arbeid eller utdanning"),
                                   choices=Occupation.choices, widget=forms.RadioSelect)
    housing_stable = forms.ChoiceField(label=_("Stabil bolig"), choices=YES_NO,
                                       widget=forms.RadioSelect)
    new_conviction = forms.ChoiceField(label=_("Ny dom siden løslatelsen"), choices=YES_NO,
                                       widget=forms.RadioSelect)


class MessageForm(forms.Form):
    national_id = forms.CharField(label=_("Fødselsnummer eller D-nummer"), max_length=11,
                                  help_text=NUMBER_HELP)
    receiver = forms.ModelChoiceField(label=_("Mottaker"), queryset=Agency.objects.none())
    category = forms.ChoiceField(label=_("Kategori"), choices=MessageCategory.choices)
    purpose = forms.ChoiceField(label=_("Formål"), choices=[
        ("straffesak", _("Straffesak og straffegjennomføring")),
        ("forebygging", _("Forebygging av ny kriminalitet"))])
    text = forms.CharField(label=_("Melding"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, receivers: QuerySet[Agency], police: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = receivers
        if not police:
            self.fields["category"].choices = [
                c for c in MessageCategory.choices if c[0] != MessageCategory.NETWORK]


class NetworkForm(forms.Form):
    national_id = forms.CharField(label=_("Fødselsnummer eller D-nummer"), max_length=11,
                                  help_text=NUMBER_HELP)
    network_code = forms.SlugField(label=_("Nettverkskode"), max_length=40)
    network_name = forms.CharField(label=_("Nettverk"), max_length=100)
    kind = forms.ChoiceField(label=_("Tilknytning"), choices=AffiliationKind.choices,
                             widget=forms.RadioSelect)
    valid_from = forms.DateField(label=_("Gjelder fra"), widget=DATE_WIDGET)


class PlacementForm(forms.Form):
    national_id = forms.CharField(label=_("Fødselsnummer eller D-nummer"), max_length=11,
                                  help_text=NUMBER_HELP)
    section = forms.CharField(label=_("Avdeling"), max_length=60)
    kind = forms.ChoiceField(label=_("Type"), choices=PlacementKind.choices,
                             widget=forms.RadioSelect)
    override_reason = forms.CharField(
        label=_("Grunn til å plassere likevel"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bare når Laget har advart. Grunnen lagres og logges."))
