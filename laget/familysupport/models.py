"""Support for the families around a SaLTo case (issue 8, «Families»): guardians referred to a
parent-support programme and its outcome, applications for help to move away from a criminal
environment, and interpreters booked for meetings and conversations.

The models hold what each flow needs and no more: a referral carries only what the programme's
provider may see of the guardian; an interpreter booking names the case and nothing about the young
person; a relocation application's destination is kept apart by `access` when the family's
address is protected."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from laget.core.models import BaseModel

# --- parent support -----------------------------------------------------------------------------


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sendt")
    ACCEPTED = "accepted", _("Tatt imot")
    DECLINED = "declined", _("Avslått")
    FINISHED = "finished", _("Avsluttet")


class ParentOutcome(models.TextChoices):
    COMPLETED = "completed", _("Fullført")
    DROPPED_OUT = "dropped_out", _("Avbrutt")
    OTHER = "other", _("Annet")


class ParentSupportReferral(BaseModel):
    """One guardian referred from a SaLTo case to one parent-support programme (a
    `pathways.Offer` of kind «foreldrestotte»). The provider sees the guardian's name, contact,
    language and interpreter need and `text` — never the case or the young person. `basis` says
    what allowed the referrer to tell the provider (a rule of the rulebook, or the guardians'
    consent on the case)."""

    case = models.ForeignKey("records.Case", verbose_name=_("sak"), on_delete=models.PROTECT,
                             related_name="+")
    guardian = models.ForeignKey("people.Guardian", verbose_name=_("foresatt"),
                                 on_delete=models.PROTECT, related_name="+")
    offer = models.ForeignKey("pathways.Offer", verbose_name=_("program"),
                              on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("henvisningen"), max_length=2000)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    referring_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT,
                                         related_name="+")
    #: "rule" (rule id in basis_ref) or "consent" (consent id in basis_ref)
    basis = models.CharField(_("grunnlag"), max_length=10)
    basis_ref = models.CharField(_("grunnlag (regel eller samtykke)"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices,
                              default=ReferralStatus.SENT)
    answered_at = models.DateTimeField(_("besvart"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    decline_reason = models.CharField(_("begrunnelse for avslag"), max_length=500, blank=True)
    outcome = models.CharField(_("resultat"), max_length=12, choices=ParentOutcome.choices,
                               blank=True)
    #: «opplevd nytte», the guardian's own rating 1–5 (optional: not every guardian answers)
    benefit = models.PositiveSmallIntegerField(_("opplevd nytte (1–5)"), null=True, blank=True)
    outcome_note = models.CharField(_("kort om resultatet"), max_length=500, blank=True)
    outcome_at = models.DateTimeField(_("resultat registrert"), null=True, blank=True)
    outcome_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("henvisning til foreldrestøtte")
        verbose_name_plural = _("henvisninger til foreldrestøtte")
        ordering = ["-created_at"]
        constraints = [
            # one open referral per guardian and programme
            models.UniqueConstraint(
                fields=["guardian", "offer"], condition=Q(status__in=["sent", "accepted"]),
                name="familysupport_referral_one_open"),
            models.CheckConstraint(
                condition=Q(benefit__isnull=True) | Q(benefit__gte=1, benefit__lte=5),
                name="familysupport_referral_benefit_range"),
            models.CheckConstraint(
                condition=Q(status="finished", outcome__in=ParentOutcome.values)
                | (~Q(status="finished") & Q(outcome="")),
                name="familysupport_referral_outcome_when_finished"),
        ]

    def __str__(self) -> str:
        return str(_("Henvisning %(id)s") % {"id": str(self.pk)[:8]})


class ParentSupportSession(BaseModel):
    """A session of the programme the guardian attended."""

    referral = models.ForeignKey(ParentSupportReferral, on_delete=models.CASCADE,
                                 related_name="sessions")
    held_on = models.DateField(_("dato"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("oppmøte")
        verbose_name_plural = _("oppmøter")
        ordering = ["held_on"]
        # one session per referral and day
        constraints = [models.UniqueConstraint(fields=["referral", "held_on"],
                                               name="familysupport_session_once_a_day")]


# --- relocation ---------------------------------------------------------------------------------


class RelocationReason(models.TextChoices):
    """Why the family must move; grounds name no other persons."""

    CRIMINAL_ENVIRONMENT = "kriminelt_miljo", _("Kriminelt miljø")
    THREATS = "trusler", _("Trusler")
    VIOLENCE = "vold", _("Vold eller fare for vold")
    RECRUITMENT = "rekruttering", _("Rekruttering til kriminalitet")
    DEBT = "gjeld", _("Gjeld eller press fra miljøet")
    OTHER = "annet", _("Annet")


class RelocationDecision(models.TextChoices):
    PENDING = "", _("Ikke avgjort")
    GRANTED = "granted", _("Innvilget")
    PARTLY = "partly", _("Delvis innvilget")
    REFUSED = "refused", _("Avslått")


class AppealOutcome(models.TextChoices):
    PENDING = "", _("Ikke avgjort")
    UPHELD = "upheld", _("Vedtaket stadfestet")
    REVERSED = "reversed", _("Vedtaket omgjort")
    RETURNED = "returned", _("Opphevet og sendt tilbake")


class RelocationApplication(BaseModel):
    """An application for help to move for a family whose child must leave a criminal
    environment. Seen only by the coordinator who registered it, the leader who decides it and
    the case handlers they name (`familysupport.access`); the destination, when protected, only
    by the first two."""

    case = models.ForeignKey("records.Case", verbose_name=_("sak"), on_delete=models.PROTECT,
                             related_name="+")
    district = models.ForeignKey("areas.District", verbose_name=_("bydel"),
                                 on_delete=models.PROTECT, related_name="+")
    guardians = models.ManyToManyField("people.Guardian", verbose_name=_("søkere"),
                                       related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+")
    #: the bydel leader who decides (named when the application is registered)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leder som avgjør"),
                               on_delete=models.PROTECT, related_name="+")
    handlers = models.ManyToManyField(settings.AUTH_USER_MODEL,
                                      verbose_name=_("saksbehandlere"), blank=True,
                                      related_name="+")
    grounds = models.TextField(_("begrunnelse"), max_length=4000)
    reasons = models.JSONField(_("grunner"), default=list)
    destination_number = models.CharField(_("kommunenummer"), max_length=4)
    destination_name = models.CharField(_("kommune"), max_length=100)
    protected = models.BooleanField(_("skjermet adresse"), default=False)
    cost_moving = models.PositiveIntegerField(_("flytting (kr)"), default=0)
    cost_deposit = models.PositiveIntegerField(_("depositum (kr)"), default=0)
    cost_other = models.PositiveIntegerField(_("annet (kr)"), default=0)
    decision = models.CharField(_("vedtak"), max_length=10, choices=RelocationDecision.choices,
                                blank=True, default=RelocationDecision.PENDING)
    decision_amount = models.PositiveIntegerField(_("innvilget beløp (kr)"), default=0)
    decision_reason = models.TextField(_("begrunnelse for vedtaket"), max_length=4000,
                                       blank=True)
    decided_on = models.DateField(_("vedtaksdato"), null=True, blank=True)
    appeal_lodged_on = models.DateField(_("klage mottatt"), null=True, blank=True)
    appeal_grounds = models.TextField(_("klagens begrunnelse"), max_length=4000, blank=True)
    appeal_outcome = models.CharField(_("statsforvalterens avgjørelse"), max_length=10,
                                      choices=AppealOutcome.choices, blank=True,
                                      default=AppealOutcome.PENDING)
    appeal_amount = models.PositiveIntegerField(_("beløp etter klagen (kr)"), null=True,
                                                blank=True)
    appeal_decided_on = models.DateField(_("klagen avgjort"), null=True, blank=True)

    class Meta:
        verbose_name = _("søknad om flyttehjelp")
        verbose_name_plural = _("søknader om flyttehjelp")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(destination_number__regex=r"^[0-9]{4}$"),
                                   name="familysupport_relocation_kommune_number"),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decided_on__isnull=False),
                name="familysupport_relocation_decided_on"),
            models.CheckConstraint(
                condition=~Q(decision="refused") | Q(decision_amount=0),
                name="familysupport_relocation_refused_no_amount"),
            models.CheckConstraint(
                condition=Q(appeal_lodged_on__isnull=True) | ~Q(decision=""),
                name="familysupport_relocation_appeal_after_decision"),
            models.CheckConstraint(
                condition=Q(appeal_lodged_on__isnull=True)
                | Q(appeal_lodged_on__gte=F("decided_on")),
                name="familysupport_relocation_appeal_order"),
        ]

    def __str__(self) -> str:
        return str(_("Søknad %(id)s") % {"id": str(self.pk)[:8]})

    @property
    def cost_total(self) -> int:
        return self.cost_moving + self.cost_deposit + self.cost_other

    @property
    def granted_amount(self) -> int:
        """What may be paid: the decision's amount, or the amount after a reversed appeal."""
        if self.appeal_outcome == AppealOutcome.REVERSED and self.appeal_amount is not None:
            return self.appeal_amount
        if self.decision in (RelocationDecision.GRANTED, RelocationDecision.PARTLY):
            return self.decision_amount
        return 0


class RelocationPayment(BaseModel):
    """A payment of the granted help; together never more than the granted amount."""

    application = models.ForeignKey(RelocationApplication, on_delete=models.PROTECT,
                                    related_name="payments")
    paid_on = models.DateField(_("utbetalt"))
    amount = models.PositiveIntegerField(_("beløp (kr)"))
    purpose = models.CharField(_("formål"), max_length=200)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+")

    class Meta:
        verbose_name = _("utbetaling")
        verbose_name_plural = _("utbetalinger")
        ordering = ["paid_on", "created_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0),
                                              name="familysupport_payment_positive")]


# --- interpreters -------------------------------------------------------------------------------


class InterpreterQualification(models.TextChoices):
    """The categories of the national interpreter register (Nasjonalt tolkeregister,
    tolkeportalen.no), by IMDi."""

    A = "A", _("Kategori A: statsautorisasjon og tolkeutdanning")
    B = "B", _("Kategori B: statsautorisasjon")
    C = "C", _("Kategori C: tolkeutdanning")
    D = "D", _("Kategori D: bestått ToSPoT og kurs i tolkens ansvar og rolle")
    E = "E", _("Kategori E: kurs i tolkens ansvar og rolle")
    NONE = "none", _("Ikke kvalifisert (ikke i Tolkeregisteret)")


class InterpreterMode(models.TextChoices):
    IN_PERSON = "oppmote", _("Oppmøte")
    PHONE = "telefon", _("Telefon")
    VIDEO = "video", _("Video")


class InterpretedKind(models.TextChoices):
    MEETING = "meeting", _("Møte")
    CONVERSATION = "conversation", _("Samtale")


class InterpreterBooking(BaseModel):
    """An interpreter booked for a meeting or a conversation in a case, charged to the city's
    central interpreter budget for a year. Names the case only: nothing about the young person."""

    case = models.ForeignKey("records.Case", verbose_name=_("sak"), on_delete=models.PROTECT,
                             related_name="+")
    meeting = models.ForeignKey("cases.Meeting", verbose_name=_("møte"),
                                on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    kind = models.CharField(_("til"), max_length=12, choices=InterpretedKind.choices)
    starts_at = models.DateTimeField(_("tidspunkt"))
    duration_minutes = models.PositiveIntegerField(_("varighet (minutter)"))
    language_code = models.CharField(_("språkkode (ISO 639)"), max_length=3)
    language_name = models.CharField(_("språk"), max_length=60)
    interpreter_name = models.CharField(_("tolk"), max_length=200)
    qualification = models.CharField(_("kvalifikasjon"), max_length=4,
                                     choices=InterpreterQualification.choices)
    mode = models.CharField(_("form"), max_length=10, choices=InterpreterMode.choices)
    cost_nok = models.PositiveIntegerField(_("kostnad (kr)"))
    budget_year = models.PositiveSmallIntegerField(_("budsjettår"))
    district = models.ForeignKey("areas.District", verbose_name=_("bydel"),
                                 on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", verbose_name=_("virksomhet"),
                               on_delete=models.PROTECT, related_name="+")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("tolkebestilling")
        verbose_name_plural = _("tolkebestillinger")
        ordering = ["-starts_at"]
        # the interpreter report: a budget year's bookings by bydel and agency
        indexes = [models.Index(fields=["budget_year", "district", "agency"],
                                name="familysupport_interp_report")]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gt=0)
                                   & Q(duration_minutes__lte=600),
                                   name="familysupport_interp_duration"),
            models.CheckConstraint(condition=Q(language_code__regex=r"^[a-z]{2,3}$"),
                                   name="familysupport_interp_language_code"),
        ]

    @property
    def hours(self) -> float:
        return self.duration_minutes / 60
