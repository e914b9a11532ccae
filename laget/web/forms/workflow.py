"""Forms for the case's handover to another bydel and the guardians' contact history."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from laget.accounts.models import User
from laget.areas.models import District
from laget.cases.guardians import NOTE_MAX_LENGTH as CONTACT_NOTE_MAX_LENGTH
from laget.cases.handover import NOTE_MAX_LENGTH
from laget.cases.models import ContactChannel
from laget.core import clock
from laget.people.models import Guardian


class HandoverDistrictForm(forms.Form):
    bydel = forms.ModelChoiceField(
        label=_("Ny bydel"), queryset=District.objects.none(), empty_label=_("Velg bydel"),
        to_field_name="code",
        error_messages={"invalid_choice": _("Velg en bydel i listen.")},
    )

    def __init__(self, *args: Any, districts: QuerySet[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bydel"].queryset = districts


class HandoverForm(HandoverDistrictForm):
    coordinator = forms.ModelChoiceField(
        label=_("Ny koordinator"), queryset=User.objects.none(), empty_label=_("Velg person"),
        error_messages={"invalid_choice": _("Velg en person i listen.")},
    )
    note = forms.CharField(
        label=_("Overføringsnotat"), max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Hva den nye koordinatoren må vite: status, avtaler, kontaktpersoner. "
                    "Bare de to koordinatorene ser notatet."),
    )

    def __init__(self, *args: Any, districts: QuerySet[District], coordinators: list[User],
                 **kwargs: Any) -> None:
        super().__init__(*args, districts=districts, **kwargs)
        self.fields["bydel"].widget = forms.HiddenInput()
        self.fields["coordinator"].queryset = User.objects.filter(
            pk__in=[u.pk for u in coordinators]).order_by("last_name", "first_name")
        self.fields["coordinator"].label_from_instance = (
            lambda u: u.get_full_name() or u.username)


class GuardianContactForm(forms.Form):
    guardian = forms.ModelChoiceField(
        label=_("Foresatt"), queryset=Guardian.objects.none(), empty_label=_("Velg foresatt"),
        error_messages={"invalid_choice": _("Velg en foresatt i listen.")},
    )
    contacted_on = forms.DateField(
        label=_("Dato"), widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Skriv en gyldig dato.")},
    )
    channel = forms.ChoiceField(label=_("Kanal"), choices=ContactChannel.choices)
    interpreter_used = forms.BooleanField(label=_("Tolk ble brukt"), required=False)
    note = forms.CharField(label=_("Notat"), max_length=CONTACT_NOTE_MAX_LENGTH, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Kort: hva kontakten gjaldt og hva som ble avtalt."))

    def __init__(self, *args: Any, guardians: QuerySet[Guardian], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("contacted_on", clock.today())
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = guardians
