"""Forms of the coordinated plan: goals, tasks, completing and cancelling a task, and the bare
version form behind one-click changes. Each carries the plan's version the page was built from
(optimistic locking); the rules live in laget.cases.plan."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from laget.accounts.models import Agency, User
from laget.cases.models import Goal, GoalStatus
from laget.cases.plan import (
    GOAL_TITLE_MAX_LENGTH,
    INDICATOR_MAX_LENGTH,
    OUTCOME_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: ids of the plan's form fields, apart from those of other forms on the case page
AUTO_ID = "plan-%s"


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0,
                                 error_messages={"required": _("Last siden på nytt."),
                                                 "invalid": _("Last siden på nytt.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", AUTO_ID)
        super().__init__(*args, **kwargs)

    def refresh_version(self, version: int) -> None:
        """After a refused stale change: keep what the user typed, but let the next save go
        against the plan as it is now (which the page shows them)."""
        if self.is_bound:
            data = self.data.copy()
            data[self.add_prefix("version")] = str(version)
            self.data = data
        else:
            self.initial["version"] = version


class GoalForm(VersionForm):
    title = forms.CharField(label=_("Mål"), max_length=GOAL_TITLE_MAX_LENGTH,
                            error_messages={"required": _("Skriv målet.")})
    indicator = forms.CharField(
        label=_("Indikator"), max_length=INDICATOR_MAX_LENGTH, required=False,
        help_text=_("Hvordan teamet ser at målet nås, for eksempel «oppmøte over 90 %»."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices,
                               error_messages={"invalid_choice": _("Velg en status i listen.")})
    family_visible = forms.BooleanField(
        label=_("Vises i familiens versjon av planen"), required=False)
    field_order = ["title", "indicator", "status", "family_visible", "version"]

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["status"]


class _AssigneeField(forms.ModelChoiceField):
    def __init__(self, *args: Any, labels: dict[Any, str], **kwargs: Any) -> None:
        self.labels = labels
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return self.labels.get(obj.pk, str(obj))


class TaskForm(VersionForm):
    title = forms.CharField(label=_("Oppgave"), max_length=TITLE_MAX_LENGTH,
                            error_messages={"required": _("Skriv hva som skal gjøres.")})
    agency = forms.ModelChoiceField(
        label=_("Ansvarlig virksomhet"), queryset=Agency.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Virksomheten er ikke med i teamet."),
                        "required": _("Velg virksomheten som har ansvaret.")},
    )
    due_on = forms.DateField(
        label=_("Frist"), required=False, widget=DATE_WIDGET,
        error_messages={"invalid": _("Skriv en gyldig dato.")},
    )
    goal = forms.ModelChoiceField(
        label=_("Mål"), queryset=Goal.objects.none(), required=False,
        empty_label=_("Ikke knyttet til et mål"),
        error_messages={"invalid_choice": _("Målet finnes ikke i planen.")},
    )
    family_visible = forms.BooleanField(
        label=_("Vises i familiens versjon av planen"), required=False)
    field_order = ["title", "agency", "assignee", "due_on", "goal", "family_visible", "version"]

    def __init__(self, *args: Any, agencies: QuerySet[Agency],
                 assignees: list[tuple[User, str]], goals: QuerySet[Goal],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        self.fields["assignee"] = _AssigneeField(
            label=_("Ansvarlig person"), required=False,
            queryset=User.objects.filter(pk__in=[u.pk for u, _label in assignees]),
            labels={u.pk: label for u, label in assignees},
            empty_label=_("Ingen bestemt ennå"),
            help_text=_("Personen må være med i teamet for den ansvarlige virksomheten."),
            error_messages={"invalid_choice": _("Personen er ikke med i teamet.")},
        )
        self.order_fields(self.field_order)


class TaskCompleteForm(VersionForm):
    outcome = forms.CharField(
        label=_("Resultat"), max_length=OUTCOME_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hva ble gjort, og hva kom ut av det?"),
        error_messages={"required": _("Skriv hva som ble resultatet.")},
    )


class TaskCancelForm(VersionForm):
    reason = forms.CharField(
        label=_("Hvorfor avlyses oppgaven?"), max_length=OUTCOME_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv hvorfor oppgaven avlyses.")},
    )

