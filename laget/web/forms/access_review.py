"""The access review's form: one decision and an optional note per member (fields named by the
member's user id). Shape only; the rules live in laget.web.services.access_review."""

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from laget.accounts.models import AccessDecision
from laget.web.services.access_review import Decision


class AccessReviewForm(forms.Form):
    def __init__(self, *args: Any, members: dict[int, str], **kwargs: Any) -> None:
        """`members`: user id → name, so each control says whom it decides about."""
        super().__init__(*args, **kwargs)
        self.member_ids = list(members)
        for pk, name in members.items():
            self.fields[f"decision-{pk}"] = forms.ChoiceField(
                label=format_lazy(_("Beslutning for {name}"), name=name),
                choices=AccessDecision.choices, widget=forms.RadioSelect,
                error_messages={"required": _("Velg «bekreft» eller «fjern»."),
                                "invalid_choice": _("Velg «bekreft» eller «fjern».")},
            )
            self.fields[f"note-{pk}"] = forms.CharField(
                label=format_lazy(_("Merknad om {name}"), name=name), required=False,
                max_length=500)

    def rows(self) -> dict[int, tuple[forms.BoundField, forms.BoundField]]:
        return {pk: (self[f"decision-{pk}"], self[f"note-{pk}"]) for pk in self.member_ids}

    def decisions(self) -> dict[int, Decision]:
        data = self.cleaned_data
        return {pk: Decision(data[f"decision-{pk}"], data[f"note-{pk}"])
                for pk in self.member_ids}
