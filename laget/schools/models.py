"""Schools and what happens in them (issue 10): the school register (an agency of type `skole`
with its NSR organisation number), incident reports by school staff, the city-wide ambulant team's
requests and visits, and forced school change with the pupil's and guardians' right to be heard.

An incident belongs to the school that reported it; no other school sees it (laget.schools.access).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from laget.core import clock
from laget.core.models import BaseModel


class SchoolLevel(models.TextChoices):
    BARNESKOLE = "barneskole", _("Barneskole")
    UNGDOMSSKOLE = "ungdomsskole", _("Ungdomsskole")
    KOMBINERT = "kombinert", _("Kombinert skole (1–10)")
    VIDEREGAENDE = "videregaende", _("Videregående skole")


class School(BaseModel):
    """A school: the agency its staff are members of (teachers as caseworkers, the principal as
    leader), its organisation number in the National School Register, bydel and level."""

    agency = models.OneToOneField("accounts.Agency", on_delete=models.PROTECT,
                                  related_name="school")
    orgnr = models.CharField(_("organisasjonsnummer"), max_length=9, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    district = models.ForeignKey("areas.District", verbose_name=_("bydel"),
                                 on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("trinn"), max_length=14, choices=SchoolLevel.choices)
    #: "syntetisk" or "nsr": where the row came from (data/schools/README.md)
    source = models.CharField(_("kilde"), max_length=10)
    miljoteam = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                       verbose_name=_("miljøteam"))

    class Meta:
        verbose_name = _("skole")
        verbose_name_plural = _("skoler")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- incidents -----------------------------------------------------------------------------------

class IncidentKind(models.TextChoices):
    MOBBING = "mobbing", _("Mobbing eller krenkelse")
    VOLD = "vold", _("Vold")
    TRUSLER = "trusler", _("Trusler")
    VAPEN = "vapen", _("Våpen")
    SKADEVERK = "skadeverk", _("Skadeverk")
    RASISME = "rasisme", _("Rasisme eller diskriminering")
    ANNET = "annet", _("Annet")


#: the kinds that make an incident serious: an entry on the pupil's SaLTo case
SERIOUS_KINDS = frozenset({IncidentKind.VOLD, IncidentKind.TRUSLER, IncidentKind.VAPEN})


class Incident(BaseModel):
    """One incident reported by a member of the school's staff."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="incidents")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    occurred_at = models.DateTimeField(_("tidspunkt"))
    kind = models.CharField(_("type"), max_length=12, choices=IncidentKind.choices)
    description = models.TextField(_("hva skjedde"), max_length=4000)
    staff_affected = models.PositiveSmallIntegerField(_("ansatte som ble rammet"), default=0)
    actions_taken = models.TextField(_("tiltak som er satt i verk"), max_length=2000, blank=True)
    #: the activity plan duty (aktivitetsplikt) towards a pupil who does not feel safe
    activity_plan_started = models.BooleanField(_("aktivitetsplikt satt i gang"), default=False)
    activity_plan_due = models.DateField(_("aktivitetsplan innen"), null=True, blank=True)
    police_informed = models.BooleanField(_("politiet er varslet"), default=False)
    barnevern_informed = models.BooleanField(_("barnevernet er varslet"), default=False)
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True)

    class Meta:
        verbose_name = _("hendelse")
        verbose_name_plural = _("hendelser")
        ordering = ["-occurred_at"]
        # a school's open incidents (the overview)
        indexes = [models.Index(fields=["school", "closed_at"], name="schools_incident_open_idx")]

    def __str__(self) -> str:
        return str(_("Hendelse %(id)s") % {"id": self.pk})

    @property
    def is_serious(self) -> bool:
        return self.kind in SERIOUS_KINDS


class IncidentPupil(BaseModel):
    """A pupil involved in an incident, in one or more roles."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="pupils")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    perpetrator = models.BooleanField(_("utøver"), default=False)
    victim = models.BooleanField(_("utsatt"), default=False)
    witness = models.BooleanField(_("vitne"), default=False)
    #: the entry written on the pupil's open SaLTo case for a serious incident, if any
    salto_entry = models.ForeignKey("records.Entry", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")

    class Meta:
        verbose_name = _("elev i hendelse")
        verbose_name_plural = _("elever i hendelse")
        constraints = [
            # a pupil once per incident
            models.UniqueConstraint(fields=["incident", "person"],
                                    name="schools_incidentpupil_once"),
            models.CheckConstraint(condition=Q(perpetrator=True) | Q(victim=True)
                                   | Q(witness=True), name="schools_incidentpupil_role"),
        ]

    @property
    def roles(self) -> list[str]:
        return [str(label) for flag, label in ((self.perpetrator, _("utøver")),
                                               (self.victim, _("utsatt")),
                                               (self.witness, _("vitne"))) if flag]


# --- the ambulant team ---------------------------------------------------------------------------

class RequestKind(models.TextChoices):
    INCIDENT = "hendelse", _("Enkelthendelse")
    LONG_TERM = "langsiktig", _("Over lengre tid")


class Urgency(models.TextChoices):
    ACUTE = "akutt", _("Akutt (samme dag)")
    HIGH = "hoy", _("Høy (innen tre dager)")
    NORMAL = "normal", _("Normal")


URGENCY_ORDER = {Urgency.ACUTE: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2}


class RequestStatus(models.TextChoices):
    RECEIVED = "mottatt", _("Mottatt")
    TRIAGED = "vurdert", _("Vurdert")
    DISPATCHED = "sendt", _("Teamet er sendt")
    ARRIVED = "ankommet", _("Teamet er på skolen")
    CLOSED = "avsluttet", _("Avsluttet")
    DECLINED = "avvist", _("Avvist")


class AmbulantRequest(BaseModel):
    """A school's request for the city-wide ambulant team. It holds no names of pupils: the
    school describes the situation, and the team learns the rest at the school."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="ambulant_requests")
    #: the school's bydel when the request was made (the statistics group by it)
    district = models.ForeignKey("areas.District", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("bedt om"), default=clock.now)
    kind = models.CharField(_("type"), max_length=12, choices=RequestKind.choices)
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="ambulant_requests")
    situation = models.TextField(_("situasjonen"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.RECEIVED)
    urgency = models.CharField(_("hastegrad"), max_length=8, choices=Urgency.choices, blank=True)
    triage_note = models.CharField(_("vurdering"), max_length=1000, blank=True)
    triaged_at = models.DateTimeField(_("vurdert"), null=True, blank=True)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    dispatched_at = models.DateTimeField(_("sendt ut"), null=True, blank=True)
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    arrived_at = models.DateTimeField(_("ankom"), null=True, blank=True)
    closed_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)
    measures = models.TextField(_("tiltak"), max_length=4000, blank=True)
    closing_report = models.TextField(_("sluttrapport"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("forespørsel til ambulant team")
        verbose_name_plural = _("forespørsler til ambulant team")
        ordering = ["-requested_at"]
        # the ambulant team's board: open requests by waiting time
        indexes = [models.Index(fields=["status", "requested_at"],
                                name="schools_ambulant_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(arrived_at__isnull=True)
                                   | Q(arrived_at__gte=F("requested_at")),
                                   name="schools_ambulant_arrival_after_request"),
        ]

    def __str__(self) -> str:
        return str(_("Forespørsel %(id)s") % {"id": self.pk})

    @property
    def response_minutes(self) -> int | None:
        """Minutes from the request to the team's arrival."""
        if self.arrived_at is None:
            return None
        return int((self.arrived_at - self.requested_at).total_seconds() // 60)


class AmbulantVisit(BaseModel):
    """One visit of the team to the school on a request."""

    request = models.ForeignKey(AmbulantRequest, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("dato"))
    note = models.TextField(_("hva ble gjort"), max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("besøk")
        verbose_name_plural = _("besøk")
        ordering = ["visited_on", "created_at"]


# --- forced school change ------------------------------------------------------------------------

class ChangeStatus(models.TextChoices):
    PROPOSED = "foreslatt", _("Foreslått, til høring")
    DECIDED = "vedtatt", _("Vedtatt skolebytte")
    REJECTED = "ikke_vedtatt", _("Ikke vedtatt")
    APPEALED = "paklaget", _("Påklaget")
    UPHELD = "stadfestet", _("Klage ikke tatt til følge")
    REVERSED = "opphevet", _("Klage tatt til følge, vedtaket opphevet")


class SchoolChange(BaseModel):
    """A proposed forced school change (tvunget skolebytte) for a pupil behind serious violence or
    threats: proposal with grounds and linked incidents, hearing, decision, appeal."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    from_school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="changes_out")
    to_school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="changes_in",
                                  verbose_name=_("ny skole"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    grounds = models.TextField(_("begrunnelse for forslaget"), max_length=4000)
    incidents = models.ManyToManyField(Incident, related_name="school_changes", blank=True)
    hearing_deadline = models.DateField(_("frist for å uttale seg"))
    status = models.CharField(_("status"), max_length=14, choices=ChangeStatus.choices,
                              default=ChangeStatus.PROPOSED)
    decided_at = models.DateTimeField(_("vedtatt"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decision_reasons = models.TextField(_("begrunnelse for vedtaket"), max_length=4000,
                                        blank=True)
    effective_on = models.DateField(_("bytter skole fra"), null=True, blank=True)
    #: what the receiving school needs to receive the pupil well — written for it, and all it gets
    measures_for_receiving = models.TextField(_("tiltak den nye skolen skal sette i verk"),
                                              max_length=2000, blank=True)
    appeal_received_on = models.DateField(_("klage mottatt"), null=True, blank=True)
    appeal_decided_on = models.DateField(_("klage avgjort"), null=True, blank=True)
    #: the SaLTo team membership given to the receiving school's contact (the handover)
    handover_member = models.ForeignKey("records.TeamMember", on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("tvunget skolebytte")
        verbose_name_plural = _("tvungne skolebytter")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_school=F("to_school")),
                                   name="schools_change_other_school"),
        ]

    def __str__(self) -> str:
        return str(_("Skolebytte %(id)s") % {"id": self.pk})


class PartyKind(models.TextChoices):
    PUPIL = "elev", _("Eleven")
    GUARDIAN = "foresatt", _("Foresatt")


class HearingParty(BaseModel):
    """One party with a right to be heard before the decision: the pupil, and each guardian
    with parental responsibility."""

    change = models.ForeignKey(SchoolChange, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(_("part"), max_length=10, choices=PartyKind.choices)
    guardian = models.ForeignKey("people.Guardian", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    heard_at = models.DateTimeField(_("uttalt seg"), null=True, blank=True)
    statement = models.TextField(_("uttalelse (sammendrag)"), max_length=4000, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("part i høring")
        verbose_name_plural = _("parter i høring")
        ordering = ["kind", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="elev", guardian__isnull=True)
                                   | Q(kind="foresatt", guardian__isnull=False),
                                   name="schools_party_guardian"),
            # a guardian once per hearing
            models.UniqueConstraint(fields=["change", "guardian"],
                                    name="schools_party_guardian_once"),
        ]
