"""The SaLTo case workflow around `records.Case`: the history of its status, the concerns that lead
to it, the coordinated plan (goals, tasks, linked measures), team meetings, handovers between
bydeler and the contact history with guardians."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laget.core import clock
from laget.core.models import BaseModel
from laget.records.models import CaseStatus


class CaseStatusChange(BaseModel):
    """One move of a case's status: who, when and why. The first row (the case opened into
    assessment) has no `from_status` and needs no reason; every later move has both."""

    case = models.ForeignKey(
        "records.Case", verbose_name=_("sak"), on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("fra status"), max_length=10, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("til status"), max_length=10, choices=CaseStatus.choices)
    reason = models.TextField(_("begrunnelse"), max_length=2000, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("endret av"), on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("endret"), default=clock.now)

    class Meta:
        verbose_name = _("statusendring")
        verbose_name_plural = _("statusendringer")
        ordering = ["changed_at", "id"]
        # a case's status history in time order (timeline, statistics)
        indexes = [models.Index(fields=["case", "changed_at"], name="cases_status_case_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(from_status="") | ~models.Q(reason=""),
                name="cases_status_reason_after_first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or '–'} → {self.to_status}"


# --- concerns ("bekymringer") --------------------------------------------------------------------

class ConcernStatus(models.TextChoices):
    NEW = "new", _("Ny")
    CASE_OPENED = "case_opened", _("Sak åpnet")
    ON_CASE = "on_case", _("Lagt til åpen sak")
    DISMISSED = "dismissed", _("Ikke grunnlag for sak")


class Concern(BaseModel):
    """A concern about a young person, submitted by any member agency to the SaLTo coordinator of
    the person's bydel. The submitter is never told what came of it (whether a case exists is
    itself confidential); the coordinator assesses it: open a case, or no basis. A concern about
    a person who already has an open case lands on that case at once."""

    district = models.ForeignKey(
        "areas.District", verbose_name=_("bydel"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="concerns",
        help_text=_("Satt når personen er registrert (fra nummeret eller av koordinatoren)."),
    )
    # Who the concern is about, as the submitter gave it (the person may not be registered yet).
    national_id = models.CharField(  # noqa: DJ001 — NULL for "no number"
        _("fødselsnummer / D-nummer"), max_length=11, null=True, blank=True
    )
    given_name = models.CharField(_("fornavn"), max_length=100)
    family_name = models.CharField(_("etternavn"), max_length=100)
    birth_date = models.DateField(_("fødselsdato"))
    text = models.TextField(_("bekymringen"), max_length=10_000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("meldt av"), on_delete=models.PROTECT,
        related_name="+",
    )
    submitting_agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("fra virksomhet"), on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("mottatt"), default=clock.now)
    status = models.CharField(
        _("status"), max_length=12, choices=ConcernStatus.choices, default=ConcernStatus.NEW
    )
    case = models.ForeignKey(
        "records.Case", verbose_name=_("sak"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="concerns",
    )
    #: the entry the concern's text became on the case (the sharing rules govern who reads it)
    entry_id = models.UUIDField(null=True, blank=True, editable=False)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("vurdert av"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    assessed_at = models.DateTimeField(_("vurdert"), null=True, blank=True)
    assessment = models.TextField(_("vurdering"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("bekymring")
        verbose_name_plural = _("bekymringer")
        ordering = ["-submitted_at", "id"]
        indexes = [
            # the desk's new concerns of a bydel, newest first
            models.Index(fields=["district", "status", "-submitted_at"],
                         name="cases_concern_desk_idx"),
            # the submitter's receipts, newest first
            models.Index(fields=["submitted_by", "-submitted_at"], name="cases_concern_mine_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="new") | models.Q(status="dismissed")
                | models.Q(case__isnull=False),
                name="cases_concern_case_when_linked",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Bekymring %(id)s") % {"id": str(self.pk)[:8]})


# --- the coordinated plan ------------------------------------------------------------------------

class Plan(BaseModel):
    """A case's coordinated plan: its goals, tasks and linked measures. `version` grows with every
    change to any of them; a change made from an older version is refused (optimistic locking),
    so two coordinators editing at once never overwrite each other."""

    case = models.OneToOneField(
        "records.Case", verbose_name=_("sak"), on_delete=models.CASCADE, related_name="plan"
    )
    version = models.PositiveIntegerField(_("versjon"), default=0)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("planer")

    def __str__(self) -> str:
        return str(_("Plan v%(v)s") % {"v": self.version})


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Aktivt")
    REACHED = "reached", _("Nådd")
    DROPPED = "dropped", _("Avsluttet uten å nås")


class Goal(BaseModel):
    """A goal of the plan (school attendance, a leisure activity, no new offences) and how the
    team will know: its indicator."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("mål"), max_length=200)
    indicator = models.CharField(
        _("indikator"), max_length=300, blank=True,
        help_text=_("Hvordan teamet ser at målet nås, for eksempel «oppmøte over 90 %»."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    position = models.PositiveSmallIntegerField(default=0)
    family_visible = models.BooleanField(
        _("vises for familien"), default=True,
        help_text=_("Med i planen som familien får."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["position", "created_at", "id"]

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Åpen")
    DONE = "done", _("Utført")
    CANCELLED = "cancelled", _("Avlyst")


class TaskQuerySet(models.QuerySet["Task"]):
    def open(self) -> "TaskQuerySet":
        return self.filter(status=TaskStatus.OPEN)

    def overdue(self, on: dt.date | None = None) -> "TaskQuerySet":
        return self.open().filter(due_on__lt=on or clock.today())


class Task(BaseModel):
    """Something one agency (and a named person there) does for the plan, by a date, with its
    outcome once done. A meeting's decision becomes a task in one step."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="tasks",
    )
    title = models.CharField(_("oppgave"), max_length=300)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("ansvarlig virksomhet"), on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ansvarlig person"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    due_on = models.DateField(_("frist"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    outcome = models.TextField(_("resultat"), max_length=2000, blank=True)
    completed_at = models.DateTimeField(_("utført"), null=True, blank=True)
    family_visible = models.BooleanField(_("vises for familien"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("oppgave")
        verbose_name_plural = _("oppgaver")
        ordering = ["status", "due_on", "created_at", "id"]
        indexes = [
            # the agency's open tasks by due date (agency tasks, the desk's overdue)
            models.Index(fields=["agency", "status", "due_on"], name="cases_task_agency_idx"),
            # a person's open tasks by due date (reminders, start page)
            models.Index(fields=["assignee", "status", "due_on"], name="cases_task_assignee_idx"),
            # a plan's tasks by status (the plan panel)
            models.Index(fields=["plan", "status"], name="cases_task_plan_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(completed_at__isnull=False),
                name="cases_task_done_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return bool(self.status == TaskStatus.OPEN and self.due_on
                    and self.due_on < clock.today())


class PlanMeasure(BaseModel):
    """A measure ("tiltak") from another app's catalogue linked to the plan: an activity,
    intensive follow-up, fast track, reentry. The plan knows only the measure's kind and id;
    the app that owns the kind registers how to name and show it (laget.cases.measures)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="measures",
    )
    kind = models.CharField(_("type tiltak"), max_length=40)
    ref = models.UUIDField(_("tiltakets id"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_on = models.DateField(_("knyttet til"), default=clock.today)
    ended_on = models.DateField(_("avsluttet"), null=True, blank=True)

    class Meta:
        verbose_name = _("tiltak i planen")
        verbose_name_plural = _("tiltak i planen")
        ordering = ["linked_on", "id"]
        constraints = [
            # a measure is linked to a plan once
            models.UniqueConstraint(fields=["plan", "kind", "ref"], name="cases_measure_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"


# --- meetings ------------------------------------------------------------------------------------

class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    HELD = "held", _("Holdt")
    CANCELLED = "cancelled", _("Avlyst")


class Meeting(BaseModel):
    """A team meeting about the case: when, where, who, an interpreter if needed, the agenda (drawn
    from open tasks and what changed since the last meeting), and after it the minutes."""

    case = models.ForeignKey(
        "records.Case", verbose_name=_("sak"), on_delete=models.CASCADE, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("tidspunkt"))
    place = models.CharField(_("sted"), max_length=200, blank=True)
    interpreter_needed = models.BooleanField(_("trenger tolk"), default=False)
    interpreter_language = models.CharField(_("tolkespråk"), max_length=3, blank=True)
    agenda = models.TextField(_("dagsorden"), max_length=10_000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(_("referat"), max_length=20_000, blank=True)
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("referent"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    minutes_at = models.DateTimeField(_("referat skrevet"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("møte")
        verbose_name_plural = _("møter")
        ordering = ["starts_at", "id"]
        # a case's meetings in time order
        indexes = [models.Index(fields=["case", "starts_at"], name="cases_meeting_case_idx"),
                   # planned meetings in a period (the desk's week, reminders)
                   models.Index(fields=["status", "starts_at"], name="cases_meeting_when_idx")]

    def __str__(self) -> str:
        return str(_("Møte %(when)s") % {"when": f"{self.starts_at:%Y-%m-%d %H:%M}"})


class ParticipantKind(models.TextChoices):
    TEAM = "team", _("Teammedlem")
    YOUNG_PERSON = "young_person", _("Den unge")
    GUARDIAN = "guardian", _("Foresatt")
    INTERPRETER = "interpreter", _("Tolk")
    OTHER = "other", _("Annen")


class MeetingParticipant(BaseModel):
    """Someone invited to a meeting; after the meeting, whether they came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(_("deltaker"), max_length=12, choices=ParticipantKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guardian = models.ForeignKey(
        "people.Guardian", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("navn"), max_length=200, blank=True)
    attended = models.BooleanField(_("møtte"), null=True, blank=True)

    class Meta:
        verbose_name = _("møtedeltaker")
        verbose_name_plural = _("møtedeltakere")
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return self.name or str(self.user or self.guardian or self.get_kind_display())


class MeetingDecision(BaseModel):
    """A decision in a meeting's minutes; the one that asks someone to do something becomes a task
    of the plan in the same step."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(_("vedtak"), max_length=500)
    task = models.OneToOneField(
        Task, verbose_name=_("oppgave"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="decision",
    )

    class Meta:
        verbose_name = _("beslutning")
        verbose_name_plural = _("beslutninger")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text


# --- handover between bydeler, guardians' contact history ---------------------------------------

class Handover(BaseModel):
    """The person moved: the case passes from one bydel's coordinator to another's with a note.
    Both coordinators see it; each team member is asked whether they stay on the team."""

    case = models.ForeignKey(
        "records.Case", verbose_name=_("sak"), on_delete=models.CASCADE, related_name="handovers"
    )
    from_district = models.ForeignKey(
        "areas.District", verbose_name=_("fra bydel"), on_delete=models.PROTECT,
        related_name="+",
    )
    to_district = models.ForeignKey(
        "areas.District", verbose_name=_("til bydel"), on_delete=models.PROTECT,
        related_name="+",
    )
    to_coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ny koordinator"), on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("overføringsnotat"), max_length=5000)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    handed_over_at = models.DateTimeField(_("overført"), default=clock.now)

    class Meta:
        verbose_name = _("overføring")
        verbose_name_plural = _("overføringer")
        ordering = ["-handed_over_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_district_id} → {self.to_district_id}"


class HandoverConfirmation(BaseModel):
    """A team member's answer after a handover: stays on the team, or leaves (which ends their
    membership). Unanswered rows are the open questions."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="confirmations")
    member = models.ForeignKey(
        "records.TeamMember", on_delete=models.CASCADE, related_name="handover_confirmations"
    )
    stays = models.BooleanField(_("blir med videre"), null=True, blank=True)
    answered_at = models.DateTimeField(_("svart"), null=True, blank=True)

    class Meta:
        verbose_name = _("bekreftelse etter overføring")
        verbose_name_plural = _("bekreftelser etter overføring")
        constraints = [
            # one confirmation per member in a handover
            models.UniqueConstraint(fields=["handover", "member"], name="cases_handover_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.stays}"


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Telefon")
    MEETING = "meeting", _("Møte")
    HOME_VISIT = "home_visit", _("Hjemmebesøk")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-post")
    LETTER = "letter", _("Brev")


class GuardianContact(BaseModel):
    """One contact with a guardian about the case: when, how, by whom, with an interpreter or not,
    and a short note."""

    case = models.ForeignKey(
        "records.Case", on_delete=models.CASCADE, related_name="guardian_contacts"
    )
    guardian = models.ForeignKey(
        "people.Guardian", verbose_name=_("foresatt"), on_delete=models.PROTECT,
        related_name="contacts",
    )
    contacted_on = models.DateField(_("dato"), default=clock.today)
    channel = models.CharField(_("kanal"), max_length=12, choices=ContactChannel.choices)
    interpreter_used = models.BooleanField(_("tolk brukt"), default=False)
    note = models.TextField(_("notat"), max_length=2000, blank=True)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("av"), on_delete=models.PROTECT,
        related_name="+",
    )
    by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("kontakt med foresatt")
        verbose_name_plural = _("kontakter med foresatte")
        ordering = ["-contacted_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.channel}"


class BarnevernReport(BaseModel):
    """A report to barnevern (melding til barnevernet: barnevernsloven § 13-2, for the police also
    straffeprosessloven § 232 a) from another
    agency about a child, addressed to the barnevern service of the child's bydel. Sent by a
    service in the transaction of the event that calls for it (the police's weapon trigger), read
    and acknowledged by barnevern. Who sent it and on which rule are kept; what it says is what
    the sending agency wrote and nothing more."""

    district = models.ForeignKey(
        "areas.District", verbose_name=_("bydel"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    national_id = models.CharField(_("fødselsnummer / D-nummer"), max_length=11, blank=True)
    given_name = models.CharField(_("fornavn"), max_length=100)
    family_name = models.CharField(_("etternavn"), max_length=100)
    birth_date = models.DateField(_("fødselsdato"))
    #: the person's open SaLTo case when the report was sent (its weapon follow-up counts it)
    case = models.ForeignKey(
        "records.Case", verbose_name=_("sak"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    text = models.TextField(_("meldingen"), max_length=10_000)
    source_agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("fra virksomhet"), on_delete=models.PROTECT,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sendt av"), on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sendt"), default=clock.now)
    #: the sharing rule that gave the basis for sending (e.g. bvl-13-2-meldeplikt)
    basis_rule = models.CharField(_("hjemmel (regel)"), max_length=100)
    basis_citation = models.CharField(_("hjemmel"), max_length=200)
    #: the event that caused the report (e.g. a police registration), one report per event
    origin_id = models.UUIDField(_("årsak"), unique=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("mottatt av"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    received_at = models.DateTimeField(_("mottatt"), null=True, blank=True)

    class Meta:
        verbose_name = _("melding til barnevernet")
        verbose_name_plural = _("meldinger til barnevernet")
        ordering = ["-sent_at"]
        # a barnevern service's reports: not received first, newest first
        indexes = [models.Index(fields=["district", "received_at", "-sent_at"]),
                   # a case's reports to barnevern
                   models.Index(fields=["case", "sent_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_at__isnull=True) | Q(received_by__isnull=False),
                name="cases_bvreport_received_by"),
        ]

    def __str__(self) -> str:
        return f"barnevern report {str(self.pk)[:8]}"
