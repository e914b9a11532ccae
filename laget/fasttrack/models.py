"""The youth fast track: a youth justice case per criminal case, its milestones, and the tailored
reaction plan with its components and the breaches of it. Rules live in services and deadlines;
here are the fields and the vocabularies."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laget.core.models import BaseModel


class TargetSet(models.TextChoices):
    LEGAL = "legal", _("Lovens frister")
    HURTIGLOP = "hurtiglop", _("Hurtigløp (byens mål)")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Åpen")
    CLOSED = "closed", _("Avsluttet")


class MilestoneKind(models.TextChoices):
    """In the order a case goes through them (`ORDER`); a case may skip those it does not need."""

    OFFENCE = "offence", _("Lovbrudd")
    REPORTED = "reported", _("Anmeldt")
    APPREHENSION = "apprehension", _("Pågrepet")
    CHARGED = "charged", _("Siktet")
    INVESTIGATED = "investigated", _("Oppklart")
    CHARGE_DECISION = "charge_decision", _("Påtaleavgjørelse")
    COURT_RECEIVED = "court_received", _("Saken kom inn til retten")
    MAIN_HEARING = "main_hearing", _("Hovedforhandling")
    JUDGMENT = "judgment", _("Dom")
    JUDGMENT_FINAL = "judgment_final", _("Rettskraftig dom")
    REACTION_STARTED = "reaction_started", _("Reaksjonen startet")
    REACTION_COMPLETED = "reaction_completed", _("Reaksjonen gjennomført")


#: each milestone kind's place in the path
ORDER = {kind: index for index, kind in enumerate(MilestoneKind.values)}


class ChargeOutcome(models.TextChoices):
    TILTALE = "tiltale", _("Tiltale")
    FORELEGG = "forelegg", _("Forelegg")
    KONFLIKTRAAD = "konfliktraad", _("Overført til konfliktrådet")
    PATALEUNNLATELSE = "pataleunnlatelse", _("Påtaleunnlatelse")
    HENLEGGELSE = "henleggelse", _("Henleggelse")


#: charge decisions after which the path ends: nothing more happens in the criminal case
ENDING_OUTCOMES = frozenset({ChargeOutcome.PATALEUNNLATELSE, ChargeOutcome.HENLEGGELSE})


class YouthCase(BaseModel):
    """One criminal case against a young person, tracked against target times. The police case
    number is the police's reference (not personal data on its own); the person is linked."""

    person = models.ForeignKey("people.Person", verbose_name=_("person"),
                               on_delete=models.PROTECT, related_name="+")
    #: the person's bydel when the case was opened, for the city statistics
    district = models.ForeignKey("areas.District", verbose_name=_("bydel"),
                                 on_delete=models.PROTECT, related_name="+")
    police_case_number = models.CharField(_("politiets saksnummer"), max_length=20)
    offence_categories = models.JSONField(_("lovbruddskategorier"), default=list)
    weapon = models.BooleanField(_("våpen"), default=False)
    offence_on = models.DateField(_("dato for lovbruddet"))
    age_at_offence = models.PositiveSmallIntegerField(_("alder ved lovbruddet"))
    unit = models.ForeignKey("accounts.Agency", verbose_name=_("ansvarlig politienhet"),
                             on_delete=models.PROTECT, related_name="+")
    court = models.ForeignKey("accounts.Agency", verbose_name=_("domstol"),
                              on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    konfliktraad = models.ForeignKey("accounts.Agency", verbose_name=_("konfliktråd"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    kriminalomsorg = models.ForeignKey("accounts.Agency", verbose_name=_("kriminalomsorgen"),
                                       on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    request = models.OneToOneField("policing.FastTrackRequest",
                                   verbose_name=_("anmodning om hurtigspor"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="youth_case")
    target_set = models.CharField(_("fristsett"), max_length=10, choices=TargetSet.choices,
                                  default=TargetSet.LEGAL)
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices,
                              default=CaseStatus.OPEN)
    closed_on = models.DateField(_("avsluttet"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opprettet av"),
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ungdomssak i hurtigsporet")
        verbose_name_plural = _("ungdomssaker i hurtigsporet")
        ordering = ["-created_at"]
        # a police unit's open cases (the fast-track list)
        indexes = [models.Index(fields=["status", "unit"]),
                   # a court's open cases (the fast-track list)
                   models.Index(fields=["status", "court"])]
        constraints = [
            # a police case number once per unit; opening looks it up
            models.UniqueConstraint(fields=["unit", "police_case_number"],
                                    name="fasttrack_youthcase_unique_number"),
            models.CheckConstraint(condition=Q(status="open") | Q(closed_on__isnull=False),
                                   name="fasttrack_youthcase_closed_on"),
        ]

    def __str__(self) -> str:
        return f"youth case {str(self.pk)[:8]}"


class Milestone(BaseModel):
    """A step of the case on a date, and who recorded it. One of each kind per case."""

    case = models.ForeignKey(YouthCase, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("milepæl"), max_length=20, choices=MilestoneKind.choices)
    occurred_on = models.DateField(_("dato"))
    outcome = models.CharField(_("påtaleavgjørelse"), max_length=20,
                               choices=ChargeOutcome.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registrert av"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("registrert"))

    class Meta:
        verbose_name = _("milepæl")
        verbose_name_plural = _("milepæler")
        ordering = ["occurred_on", "recorded_at"]
        constraints = [
            # each milestone once per case
            models.UniqueConstraint(fields=["case", "kind"], name="fasttrack_milestone_once"),
            models.CheckConstraint(
                condition=(Q(kind="charge_decision") & ~Q(outcome=""))
                | (~Q(kind="charge_decision") & Q(outcome="")),
                name="fasttrack_milestone_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_on.isoformat()}"


class ReactionForm(models.TextChoices):
    UNGDOMSSTRAFF = "ungdomsstraff", _("Ungdomsstraff")
    UNGDOMSOPPFOLGING = "ungdomsoppfolging", _("Ungdomsoppfølging")
    SAMFUNNSSTRAFF = "samfunnsstraff", _("Samfunnsstraff")
    BOT = "bot", _("Bot")
    BETINGET = "betinget", _("Betinget dom med vilkår")
    UNGDOMSFENGSEL = "ungdomsfengsel", _("Ungdomsfengsel")
    KONFLIKTRAADSMOTE = "konfliktraadsmote", _("Møte i konfliktrådet")


class ComponentKind(models.TextChoices):
    CONDITION = "condition", _("Vilkår")
    MEETING = "meeting", _("Møte")
    PROGRAMME = "programme", _("Program")
    ACTIVITY = "activity", _("Aktivitet")


class ReactionPlan(BaseModel):
    """The tailored reaction: reaction forms combined freely, made concrete in components."""

    case = models.OneToOneField(YouthCase, on_delete=models.CASCADE,
                                related_name="reaction_plan")
    forms = models.JSONField(_("reaksjonsformer"), default=list)
    custody_days = models.PositiveSmallIntegerField(_("dager ungdomsfengsel"), null=True,
                                                    blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("laget av"),
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("reaksjonsplan")
        verbose_name_plural = _("reaksjonsplaner")

    def __str__(self) -> str:
        return f"reaction plan {str(self.pk)[:8]}"


class ReactionComponent(BaseModel):
    """One thing the young person does or meets: a condition, a meeting, a programme or an
    activity, with the agency responsible and a due date. `salto_task_id` is the task it became
    in the person's SaLTo plan (None when it could not become one)."""

    plan = models.ForeignKey(ReactionPlan, on_delete=models.CASCADE, related_name="components")
    kind = models.CharField(_("type"), max_length=20, choices=ComponentKind.choices)
    text = models.CharField(_("beskrivelse"), max_length=300)
    agency = models.ForeignKey("accounts.Agency", verbose_name=_("ansvarlig virksomhet"),
                               on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("frist"))
    salto_task_id = models.UUIDField(_("oppgave i SaLTo-planen"), null=True, blank=True)

    class Meta:
        verbose_name = _("del av reaksjonsplanen")
        verbose_name_plural = _("deler av reaksjonsplanen")
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on.isoformat()}"


class TeamRole(models.TextChoices):
    """Who is in the youth team around a reaction (konfliktrådsloven: the ungdomskoordinator's
    oppfølgingsteam with the young person's guardians, barnevern, school and police)."""

    UNGDOMSKOORDINATOR = "ungdomskoordinator", _("Ungdomskoordinator")
    BARNEVERN = "barnevern", _("Barnevern")
    SKOLE = "skole", _("Skole")
    POLITI = "politi", _("Politi")
    FORESATT = "foresatt", _("Foresatt")
    ANNEN = "annen", _("Annen")


#: the team roles filled by an agency (the rest by a guardian or a named person)
AGENCY_TEAM_ROLES = ("ungdomskoordinator", "barnevern", "skole", "politi")


class ReactionTeamMember(BaseModel):
    """One member of the youth team: an agency in its role (the contact person named), or one
    of the young person's guardians, or another named person."""

    plan = models.ForeignKey(ReactionPlan, on_delete=models.CASCADE, related_name="team")
    role = models.CharField(_("rolle"), max_length=20, choices=TeamRole.choices)
    agency = models.ForeignKey("accounts.Agency", verbose_name=_("virksomhet"),
                               on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    guardian = models.ForeignKey("people.Guardian", verbose_name=_("foresatt"),
                                 on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    name = models.CharField(_("navn"), max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("lagt til av"),
                                 on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("medlem av ungdomsteamet")
        verbose_name_plural = _("ungdomsteamet")
        ordering = ["role", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role__in=AGENCY_TEAM_ROLES, agency__isnull=False,
                             guardian__isnull=True)
                           | Q(role="foresatt", guardian__isnull=False, agency__isnull=True)
                           | Q(role="annen", agency__isnull=True, guardian__isnull=True)
                           & ~Q(name="")),
                name="fasttrack_team_member_shape"),
        ]

    def __str__(self) -> str:
        return f"{self.role} {str(self.pk)[:8]}"


class BreachResponse(models.TextChoices):
    CONVERSATION = "samtale", _("Samtale med ungdommen")
    WARNING = "advarsel", _("Advarsel")
    PLAN_CHANGED = "plan_endret", _("Planen endret")
    BACK_TO_PROSECUTOR = "tilbake_patale", _("Sendt tilbake til påtalemyndigheten")
    NONE = "ingen", _("Ingen reaksjon")


class Breach(BaseModel):
    """A breach of the reaction plan (a component not kept) and the reaction to it."""

    plan = models.ForeignKey(ReactionPlan, on_delete=models.CASCADE, related_name="breaches")
    component = models.ForeignKey(ReactionComponent, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="breaches")
    occurred_on = models.DateField(_("dato"))
    response = models.CharField(_("reaksjon på bruddet"), max_length=20,
                                choices=BreachResponse.choices)
    note = models.CharField(_("merknad"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registrert av"),
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("brudd på reaksjonsplanen")
        verbose_name_plural = _("brudd på reaksjonsplanen")
        ordering = ["occurred_on", "created_at"]

    def __str__(self) -> str:
        return f"breach {self.occurred_on.isoformat()}"
