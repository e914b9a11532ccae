"""Forms of the targeting index and the områdesatsinger: they check the shape of the input; the
rules (who may, areas in the programme, evidence for «done») live in laget.analytics and come back
as DomainError."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from laget.analytics import targeting
from laget.analytics.models import (
    AreaProgramme,
    CommitmentStatus,
    DesignStatus,
    DesignTopic,
    Direction,
    Indicator,
    Level,
    PartyKind,
)
from laget.areas.models import District, DistrictKind, Subdistrict

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MISSING_CHOICES = [
    (targeting.MISSING_EXCLUDE, _("Områder som mangler et tall eller har et skjult tall, "
                                  "rangeres ikke")),
    (targeting.MISSING_REWEIGHT, _("Regn indeksen over tallene området har (vektene skaleres "
                                   "på nytt; dekningen vises)")),
]
SIGN_CHOICES = [("", _("Ikke valgt")), ("up", _("Høyere teller opp")),
                ("down", _("Høyere teller ned"))]


class TargetingForm(forms.Form):
    """GET parameters: `niva`, `ar`, `mangler`, and per indicator of the level `vekt_<key>` (0
    leaves it out) and, for a neutral indicator, `retning_<key>`."""

    niva = forms.ChoiceField(label=_("Geografisk nivå"), choices=[
        (Level.DELBYDEL, _("delbydel")), (Level.BYDEL, _("bydel"))])
    ar = forms.TypedChoiceField(label=_("År"), coerce=int, choices=[])
    mangler = forms.ChoiceField(label=_("Manglende og skjulte tall"), choices=MISSING_CHOICES,
                                widget=forms.RadioSelect)

    def __init__(self, data: Any, *, level: str, years: list[int],
                 indicators: list[Indicator], names: dict[str, str]) -> None:
        super().__init__(data)
        self.level = level
        self.indicators = indicators
        self.fields["ar"].choices = [(y, str(y)) for y in years]
        self.weight_fields: list[tuple[Indicator, str, str | None]] = []
        for indicator in indicators:
            weight = f"vekt_{indicator.key}"
            self.fields[weight] = forms.DecimalField(
                label=names[indicator.key], required=False, min_value=Decimal(0),
                max_value=Decimal(100), max_digits=5, decimal_places=2,
                help_text=indicator.get_direction_display())
            sign = None
            if indicator.direction == Direction.NEUTRAL:
                sign = f"retning_{indicator.key}"
                self.fields[sign] = forms.ChoiceField(
                    label=gettext("Retning for %(name)s") % {"name": names[indicator.key]},
                    choices=SIGN_CHOICES, required=False)
            self.weight_fields.append((indicator, weight, sign))

    def rows(self) -> list[tuple[Indicator, Any, Any]]:
        return [(i, self[w], self[s] if s else None) for i, w, s in self.weight_fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = []
        for indicator, weight, sign in self.weight_fields:
            value = data.get(weight) or Decimal(0)
            if value <= 0:
                continue
            stated = None
            if sign:
                stated = {"up": 1, "down": -1}.get(data.get(sign) or "")
                if stated is None:
                    self.add_error(sign, gettext("Velg om et høyere tall skal telle opp eller "
                                                 "ned: indikatoren har ingen retning."))
                    continue
            chosen.append(targeting.Choice(indicator, value, stated))
        if not chosen and not self.errors:
            raise forms.ValidationError(gettext("Gi minst én indikator en vekt over 0."))
        data["choices"] = chosen
        return data


def _bydeler() -> Any:
    return District.objects.filter(kind=DistrictKind.BYDEL).order_by("name")


def _delbydeler() -> Any:
    return (Subdistrict.objects.filter(district__kind=DistrictKind.BYDEL)
            .select_related("district").order_by("district__name", "name"))


class SubdistrictChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Subdistrict) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.district.name})"


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    description = forms.CharField(label=_("Beskrivelse"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    districts = forms.ModelMultipleChoiceField(
        label=_("Bydeler"), required=False, queryset=District.objects.none(),
        to_field_name="code", widget=forms.CheckboxSelectMultiple)
    subdistricts = SubdistrictChoice(
        label=_("Delbydeler"), required=False, queryset=Subdistrict.objects.none(),
        to_field_name="code", help_text=_("Velg flere med Ctrl eller Cmd."))
    starts_on = forms.DateField(label=_("Fra"), required=False, widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Til"), required=False, widget=DATE_WIDGET)
    owner = forms.CharField(label=_("Ansvarlig"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = _bydeler()
        self.fields["subdistricts"].queryset = _delbydeler()


class CommitmentForm(forms.Form):
    party_kind = forms.ChoiceField(label=_("Part"), choices=PartyKind.choices)
    party_name = forms.CharField(label=_("Partens navn"), max_length=200,
                                 help_text=_("En virksomhet eller et organ, aldri en person."))
    what = forms.CharField(label=_("Hva parten forplikter seg til"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    indicator = forms.ModelChoiceField(label=_("Indikator den skal flytte"), required=False,
                                       queryset=Indicator.objects.order_by("order", "key"))
    due_on = forms.DateField(label=_("Frist"), widget=DATE_WIDGET)
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    evidence = forms.CharField(label=_("Dokumentasjon"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    evidence_url = forms.URLField(label=_("Lenke til dokumentasjon"), required=False,
                                  max_length=500, assume_scheme="https")


class CommitmentUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    due_on = forms.DateField(label=_("Frist"), widget=DATE_WIDGET)
    evidence = forms.CharField(label=_("Dokumentasjon"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    evidence_url = forms.URLField(label=_("Lenke til dokumentasjon"), required=False,
                                  max_length=500, assume_scheme="https")


class PlanForm(forms.Form):
    district = forms.ModelChoiceField(label=_("Bydel"), queryset=District.objects.none(),
                                      to_field_name="code")
    subdistrict = forms.ModelChoiceField(label=_("Delbydel"), required=False,
                                         queryset=Subdistrict.objects.none(),
                                         to_field_name="code")
    name = forms.CharField(label=_("Navn på planen"), max_length=200)
    plan_id = forms.CharField(label=_("Plan-ID"), required=False, max_length=60)
    developer = forms.CharField(label=_("Utbygger"), required=False, max_length=200)

    def __init__(self, *args: Any, programme: AreaProgramme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = {d.code for d in programme.districts.all()} | {
            s.district_id for s in programme.subdistricts.all()}
        self.fields["district"].queryset = _bydeler().filter(code__in=codes)
        self.fields["subdistrict"].queryset = _delbydeler().filter(district__code__in=codes)


class ChecklistForm(forms.Form):
    """`status_<topic>` and `comment_<topic>` for every topic of the vocabulary."""

    def __init__(self, *args: Any, initial_items: dict[str, tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for topic, label in DesignTopic.choices:
            status, comment = initial_items.get(topic, (DesignStatus.NOT_ASSESSED, ""))
            self.fields[f"status_{topic}"] = forms.ChoiceField(
                label=label, choices=DesignStatus.choices, initial=status)
            self.fields[f"comment_{topic}"] = forms.CharField(
                label=gettext("Kommentar: %(topic)s") % {"topic": label}, required=False,
                max_length=2000, initial=comment, widget=forms.Textarea(attrs={"rows": 2}))

    def rows(self) -> list[tuple[str, str, Any, Any]]:
        return [(topic, label, self[f"status_{topic}"], self[f"comment_{topic}"])
                for topic, label in DesignTopic.choices]

    def items(self) -> dict[str, tuple[str, str]]:
        return {topic: (self.cleaned_data[f"status_{topic}"], self.cleaned_data[f"comment_{topic}"])
                for topic in DesignTopic.values}
