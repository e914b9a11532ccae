"""Intensive follow-up («aktive gutter»): a youth's enrolment by the SaLTo team's decision, the
named follow-up team, the weekly plan hour by hour, and the check-ins against it. Rules live in
services and gaps; here are the fields and the vocabularies."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laget.core.models import BaseModel

#: the hours the week plan covers: slots start from 07 and end by 23
DAY_START = 7
DAY_END = 23


class EndReason(models.TextChoices):
    """Why an enrolment ended; a code, never free text (it may be read by the whole team)."""

    GOALS_MET = "goals_met", _("Målene er nådd")
    STEP_DOWN = "step_down", _("Over til vanlig SaLTo-oppfølging")
    DECLINED = "declined", _("Den unge eller familien ønsker ikke å fortsette")
    MOVED = "moved", _("Flyttet fra bydelen")
    CASE_CLOSED = "case_closed", _("Saken er avsluttet")
    OTHER = "other", _("Annet")


class Enrolment(BaseModel):
    """A youth in intensive follow-up: decided by the SaLTo team (the day, and the team meeting
    when it was decided in one), recorded by the case's bydel coordinator. The programme marker
    on the case and the consent given at enrolment are what the sharing rule
    `intensiv-oppfolging-plan` needs; both end with the enrolment. `ended_on` is the first day
    the youth is no longer enrolled."""

    case = models.ForeignKey("records.Case", verbose_name=_("sak"), on_delete=models.PROTECT,
                             related_name="intensive_enrolments")
    decided_on = models.DateField(_("besluttet i SaLTo-teamet"))
    meeting = models.ForeignKey("cases.Meeting", verbose_name=_("teammøte"),
                                on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    starts_on = models.DateField(_("med fra"))
    marker = models.OneToOneField("records.CaseMarker", on_delete=models.PROTECT,
                                  related_name="intensive_enrolment")
    consent = models.ForeignKey("sharing.Consent", on_delete=models.PROTECT, related_name="+")
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    ended_on = models.DateField(_("ute fra"), null=True, blank=True)
    end_reason = models.CharField(_("årsak"), max_length=20, choices=EndReason.choices,
                                  blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")

    class Meta:
        verbose_name = _("opptak i intensiv oppfølging")
        verbose_name_plural = _("opptak i intensiv oppfølging")
        ordering = ["-starts_on", "-created_at"]
        constraints = [
            # one running enrolment per case; the case page finds it
            models.UniqueConstraint(fields=["case"], condition=Q(ended_on__isnull=True),
                                    name="intensive_enrolment_one_open"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("starts_on")),
                name="intensive_enrolment_period"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | ~Q(end_reason=""),
                name="intensive_enrolment_end_reason"),
        ]

    def __str__(self) -> str:
        return str(_("Intensiv oppfølging fra %(day)s") % {"day": self.starts_on.isoformat()})


class FollowUpMember(BaseModel):
    """A member of the case's team named to the follow-up team: they see the youth's week plan,
    may be responsible for its slots and check in against them. Their reading of other agencies'
    entries still goes through the sharing engine (as team members, under the programme's rule)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="members")
    team_member = models.ForeignKey("records.TeamMember", on_delete=models.PROTECT,
                                    related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    removed_at = models.DateTimeField(_("fjernet"), null=True, blank=True)

    class Meta:
        verbose_name = _("medlem av oppfølgingsteamet")
        verbose_name_plural = _("oppfølgingsteamet")
        ordering = ["created_at", "id"]
        constraints = [
            # a team member once on a follow-up team (the member rows a reader's access checks)
            models.UniqueConstraint(fields=["enrolment", "team_member"],
                                    condition=Q(removed_at__isnull=True),
                                    name="intensive_member_once"),
        ]

    def __str__(self) -> str:
        return str(self.team_member)


class SlotKind(models.TextChoices):
    SKOLE = "skole", _("Skole")
    JOBB = "jobb", _("Jobb")
    TRENING = "trening", _("Trening")
    AKTIVITET = "aktivitet", _("Aktivitet")
    MOTE = "mote", _("Møte")
    HJEMME = "hjemme", _("Hjemme")
    ANNET = "annet", _("Annet")


class Slot(BaseModel):
    """A recurring weekly slot of the plan: weekday (0 Monday … 6 Sunday), whole hours from
    `start_hour` up to `end_hour`, what it is and who is responsible — a follow-up member, or an
    agency (a club's staff without a Laget user), or neither (home time). The description is
    short and must not hold sensitive data: the whole follow-up team reads it. Slots never
    overlap (services.slot_add checks under the enrolment's row lock)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("ukedag"))
    start_hour = models.PositiveSmallIntegerField(_("fra kl."))
    end_hour = models.PositiveSmallIntegerField(_("til kl."))
    kind = models.CharField(_("hva"), max_length=20, choices=SlotKind.choices)
    responsible = models.ForeignKey(FollowUpMember, verbose_name=_("ansvarlig"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="slots")
    responsible_agency = models.ForeignKey("accounts.Agency",
                                           verbose_name=_("ansvarlig virksomhet"),
                                           on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+")
    description = models.CharField(_("beskrivelse"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    #: a removed slot leaves the plan but keeps its check-ins for the outcomes
    removed_at = models.DateTimeField(_("fjernet"), null=True, blank=True)

    class Meta:
        verbose_name = _("økt i ukeplanen")
        verbose_name_plural = _("ukeplan")
        ordering = ["weekday", "start_hour"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6, start_hour__gte=DAY_START,
                            end_hour__lte=DAY_END, start_hour__lt=models.F("end_hour")),
                name="intensive_slot_hours"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_hour:02d}–{self.end_hour:02d}"


class CheckIn(BaseModel):
    """Whether the youth came to a slot on a date, recorded once by whoever is responsible."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="checkins")
    on = models.DateField(_("dato"))
    attended = models.BooleanField(_("møtte"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("oppmøte")
        verbose_name_plural = _("oppmøter")
        ordering = ["-on"]
        constraints = [
            # one check-in per slot and day (today's check-ins)
            models.UniqueConstraint(fields=["slot", "on"], name="intensive_checkin_once"),
        ]

    def __str__(self) -> str:
        return f"{self.slot} {self.on.isoformat()}"
