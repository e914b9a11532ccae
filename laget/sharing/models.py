"""The sharing engine's tables: rulebook versions and their rules, consents, disclosures (every
cross-agency read) and emergency accesses awaiting review."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laget.core import clock
from laget.core.models import BaseModel
from laget.records.vocabulary import ConsentState, InfoCategory, SharingPurpose


class Effect(models.TextChoices):
    ALLOW = "allow", _("Tillatt")
    DENY = "deny", _("Ikke tillatt")
    CONSENT_REQUIRED = "consent_required", _("Krever samtykke")


class CitationStatus(models.TextChoices):
    VERIFIED = "verified", "✔"
    PARTIAL = "partial", "◐"
    UNVERIFIED = "unverified", "✖"


class RulebookVersion(BaseModel):
    """One loaded version of the rulebook file. The newest loaded is in force; older ones are kept
    so that "what did the rules say on date D" can be answered."""

    version = models.CharField(_("versjon"), max_length=40)
    title = models.CharField(_("tittel"), max_length=200)
    sha256 = models.CharField(max_length=64)
    source = models.TextField(_("kildefil"))
    file_name = models.CharField(max_length=200)
    # the version in force at a time: the latest loaded before it
    loaded_at = models.DateTimeField(_("lastet"), default=clock.now, db_index=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    consent_settings = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("regelbokversjon")
        verbose_name_plural = _("regelbokversjoner")
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return self.version


class Rule(models.Model):
    """One rule of one rulebook version: who may share what with whom, why, and on which law."""

    version = models.ForeignKey(RulebookVersion, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveIntegerField()
    rule_id = models.SlugField(_("regel"), max_length=80)
    sources = models.JSONField(_("kilder"))
    recipients = models.JSONField(_("mottakere"))
    categories = models.JSONField(_("kategorier"))
    purposes = models.JSONField(_("formål"))
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    programme = models.CharField(max_length=30, blank=True)
    weapon_trigger = models.BooleanField(default=False)
    effect = models.CharField(_("virkning"), max_length=20, choices=Effect.choices)
    consent_requires = models.CharField(
        _("samtykke fra"), max_length=10, blank=True,
        help_text=_("«both»: en mindreårigs samtykke må gis av både den unge og foresatte."),
    )
    citation = models.CharField(_("hjemmel"), max_length=300)
    citation_status = models.CharField(
        _("status for hjemmel"), max_length=12, choices=CitationStatus.choices
    )
    explanation_nb = models.TextField()
    explanation_en = models.TextField()
    reviewed_by = models.CharField(_("vurdert av"), max_length=200, blank=True)
    reviewed_on = models.DateField(_("vurdert"), null=True, blank=True)
    valid_from = models.DateField(_("gjelder fra"))
    valid_to = models.DateField(_("gjelder til og med"), null=True, blank=True)

    class Meta:
        verbose_name = _("regel")
        verbose_name_plural = _("regler")
        ordering = ["version", "position"]
        constraints = [
            # a rule once per version; rule pages look it up by both
            models.UniqueConstraint(fields=["version", "rule_id"], name="sharing_rule_unique_id"),
        ]

    def __str__(self) -> str:
        return self.rule_id


class ConsentGivenBy(models.TextChoices):
    GUARDIAN = ConsentState.GUARDIAN.value, ConsentState.GUARDIAN.label
    YOUTH = ConsentState.YOUTH.value, ConsentState.YOUTH.label
    BOTH = ConsentState.BOTH.value, ConsentState.BOTH.label


class AgeBand(models.TextChoices):
    """The consent regime by age (DOMAIN.md, Consent): a consent lapses when the band changes."""

    UNDER_16 = "under_16", _("Under 16 år")
    AGE_16_17 = "16_17", _("16–17 år")
    ADULT = "adult", _("18 år eller eldre")


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Signert skjema")
    DIGITAL = "digital", _("Digitalt")


class WithdrawnBy(models.TextChoices):
    GUARDIAN = "guardian", _("Foresatt")
    YOUTH = "youth", _("Den unge")


class Consent(BaseModel):
    """A consent to share (fvl. § 13 a nr. 1): who gave it, what it covers, for how long.
    Withdrawal takes effect on the very next read; the record itself is an entry on the case."""

    case = models.ForeignKey("records.Case", on_delete=models.PROTECT, related_name="consents")
    entry = models.OneToOneField(
        "records.Entry", on_delete=models.PROTECT, related_name="consent"
    )
    given_by = models.CharField(_("gitt av"), max_length=10, choices=ConsentGivenBy.choices)
    age_band = models.CharField(_("aldersregime"), max_length=10, choices=AgeBand.choices)
    guardians = models.ManyToManyField("people.Guardian", related_name="consents", blank=True)
    youth_view = models.TextField(_("den unges syn"), blank=True, max_length=4000)
    method = models.CharField(_("hvordan"), max_length=20, choices=ConsentMethod.choices)
    categories = models.JSONField(_("kategorier"))
    recipients = models.JSONField(_("mottakere"))
    purposes = models.JSONField(_("formål"))
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til og med"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)
    withdrawn_by = models.CharField(
        _("trukket tilbake av"), max_length=10, choices=WithdrawnBy.choices, blank=True
    )
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("samtykke")
        verbose_name_plural = _("samtykker")
        ordering = ["-valid_from", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")), name="sharing_consent_period"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Samtykke fra %(date)s") % {"date": self.valid_from.isoformat()})

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ConsentGrant(models.Model):
    """The consent's scope expanded into rows (category × recipient × purpose) that the database
    can match in an EXISTS subquery."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="grants")
    case = models.ForeignKey("records.Case", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=20, choices=InfoCategory.choices)
    recipient = models.CharField(max_length=20)
    purpose = models.CharField(max_length=20, choices=SharingPurpose.choices)

    class Meta:
        indexes = [
            # the engine's consent match: a case's grants by category, recipient and purpose
            models.Index(fields=["case", "category", "recipient", "purpose"],
                         name="sharing_grant_match_idx"),
        ]
        constraints = [
            # a grant once per consent
            models.UniqueConstraint(
                fields=["consent", "category", "recipient", "purpose"],
                name="sharing_grant_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.recipient} ({self.purpose})"


class BasisKind(models.TextChoices):
    RULE = "rule", _("Regel")
    CONSENT = "consent", _("Samtykke")
    EMERGENCY = "emergency", _("Nødtilgang")


class Disclosure(models.Model):
    """One cross-agency read of an entry: who, which entry, on which basis, for which purpose.
    Written in the same transaction as the audit event of the read."""

    id = models.BigAutoField(primary_key=True)
    # the disclosure log by period (for oversight; no page reads it yet)
    at = models.DateTimeField(default=clock.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey("records.Entry", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("records.Case", on_delete=models.PROTECT, related_name="+")
    source_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    basis_kind = models.CharField(max_length=10, choices=BasisKind.choices)
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, null=True, blank=True)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True)
    purpose = models.CharField(max_length=20, choices=SharingPurpose.choices)
    audit_event = models.ForeignKey(
        "audit.AuditEvent", on_delete=models.PROTECT, related_name="disclosures"
    )

    class Meta:
        verbose_name = _("utlevering")
        verbose_name_plural = _("utleveringer")
        ordering = ["-at", "-id"]
        # a case's disclosures, newest first (no page reads it yet)
        indexes = [models.Index(fields=["case", "-at"], name="sharing_disclosure_case_idx")]

    def __str__(self) -> str:
        return f"{self.basis_kind} {self.at:%Y-%m-%d %H:%M}"


class ReviewOutcome(models.TextChoices):
    JUSTIFIED = "justified", _("Berettiget")
    NOT_JUSTIFIED = "not_justified", _("Ikke berettiget")


class EmergencyAccess(BaseModel):
    """A team member opened an entry without a basis because of danger to life or health
    (fvl. § 13 b (1) nr. 7). The source agency's leader must review it within a set number of
    days."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey("records.Entry", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("records.Case", on_delete=models.PROTECT, related_name="+")
    source_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("begrunnelse"), max_length=2000)
    review_due = models.DateField(_("vurderes innen"))
    reviewed_at = models.DateTimeField(_("vurdert"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    review_outcome = models.CharField(
        _("vurdering"), max_length=20, choices=ReviewOutcome.choices, blank=True
    )
    review_note = models.TextField(_("merknad"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("nødtilgang")
        verbose_name_plural = _("nødtilganger")
        ordering = ["review_due", "created_at"]
        indexes = [
            # the leader's emergency accesses awaiting review
            models.Index(fields=["source_agency", "reviewed_at"], name="sharing_emergency_idx")
        ]


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Foreslått")
    ACCEPTED = "accepted", _("Godtatt")
    DECLINED = "declined", _("Avslått")
    WITHDRAWN = "withdrawn", _("Trukket av koordinator")


class ConsentProposal(BaseModel):
    """A consent the case's bydel coordinator has prepared for the family to give digitally on
    the family pages (laget.sharing.proposals): the same terms as a registered consent. It
    becomes a `Consent` (method «digital») when the last one who must consent accepts."""

    case = models.ForeignKey("records.Case", on_delete=models.PROTECT,
                             related_name="consent_proposals")
    given_by = models.CharField(_("gis av"), max_length=10, choices=ConsentGivenBy.choices)
    categories = models.JSONField(_("kategorier"))
    recipients = models.JSONField(_("mottakere"))
    purposes = models.JSONField(_("formål"))
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til og med"))
    youth_view = models.TextField(_("den unges syn"), blank=True, max_length=4000)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ProposalStatus.choices,
                              default=ProposalStatus.PROPOSED)
    closed_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)
    consent = models.OneToOneField(Consent, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="proposal")

    class Meta:
        verbose_name = _("samtykkeforslag")
        verbose_name_plural = _("samtykkeforslag")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")),
                name="sharing_proposal_period",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Samtykkeforslag fra %(date)s") % {"date": self.valid_from.isoformat()})


class ConsentProposalAnswer(models.Model):
    """One answer to a proposal by one who must consent: a guardian (by their row) or the young
    person. Each acceptance is kept, so a consent both guardians must give shows who gave it
    when."""

    proposal = models.ForeignKey(ConsentProposal, on_delete=models.CASCADE,
                                 related_name="answers")
    answered_by = models.CharField(max_length=10, choices=WithdrawnBy.choices)
    guardian = models.ForeignKey("people.Guardian", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    accepted = models.BooleanField()
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at"]
        constraints = [
            # one answer per guardian to a proposal
            models.UniqueConstraint(fields=["proposal", "guardian"],
                                    condition=Q(guardian__isnull=False),
                                    name="sharing_proposal_answer_guardian"),
            # one answer from the young person to a proposal
            models.UniqueConstraint(fields=["proposal"], condition=Q(answered_by="youth"),
                                    name="sharing_proposal_answer_youth"),
        ]

    def __str__(self) -> str:
        return f"{self.answered_by} {'+' if self.accepted else '-'} {self.at:%Y-%m-%d %H:%M}"
