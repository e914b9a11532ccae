"""Audit events: who did what to which personal data, when, why, on which basis.

Rows are only ever inserted (audit_record); the notoritet work makes them a verifiable log.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from laget.accounts.models import Role
from laget.audit.actions import Action, Outcome, Purpose
from laget.core import clock


class AuditEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    # the auditor's search by period; retention's erasure of old events
    occurred_at = models.DateTimeField(_("tidspunkt"), default=clock.now, db_index=True)
    # indexed in Meta (a plain b-tree: no LIKE index beside it, nothing searches by prefix)
    action = models.CharField(_("handling"), max_length=60, choices=Action.choices)
    outcome = models.CharField(
        _("utfall"), max_length=10, choices=Outcome.choices, default=Outcome.OK
    )
    # no index of its own: (actor, occurred_at) in Meta serves every lookup by user
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("bruker"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+", db_index=False,
    )
    actor_label = models.CharField(_("brukernavn"), max_length=150, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("virksomhet"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    role = models.CharField(_("rolle"), max_length=20, blank=True)
    object_type = models.CharField(_("objekttype"), max_length=60, blank=True)
    object_id = models.CharField(_("objekt"), max_length=64, blank=True)
    basis = models.CharField(_("rettsgrunnlag"), max_length=200, blank=True)
    purpose = models.CharField(_("formål"), max_length=30, choices=Purpose.choices, blank=True)
    request_id = models.CharField(_("forespørsel"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)
    # The log: the leaf bytes (a salted commitment to the event), its index once sequenced, and
    # the payload and salt the commitment opens with (erased when the retention period ends).
    leaf = models.BinaryField(default=b"")
    log_index = models.BigIntegerField(null=True, blank=True, unique=True)
    payload = models.BinaryField(null=True, blank=True)
    salt = models.BinaryField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("logghendelse")
        verbose_name_plural = _("logghendelser")
        ordering = ["-id"]
        indexes = [
            # the auditor's search by user and period; the bursts check; the actor's foreign key
            models.Index(fields=["actor", "occurred_at"]),
            # the auditor's search by action; the unusual-access checks by read action
            models.Index(fields=["action"], name="audit_event_action"),
            # the sequencer's waiting events, in id order (and /readyz's lag)
            models.Index(fields=["id"], condition=models.Q(log_index__isnull=True),
                         name="audit_event_unsequenced"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action}"

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role


class AuditEventPerson(models.Model):
    """Which persons an event concerns (for innsyn). A plain id, not a foreign key: the log must
    outlive a person's erasure."""

    # no index of its own: the unique (event, person_id) below serves lookups by event
    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="subjects",
                              db_index=False)
    # innsyn and the auditor's search by person
    person_id = models.UUIDField(db_index=True)

    class Meta:
        constraints = [
            # a person once per event
            models.UniqueConstraint(fields=["event", "person_id"], name="audit_subject_once")
        ]

    def __str__(self) -> str:
        return f"#{self.event_id} → {self.person_id}"


class Checkpoint(models.Model):
    """A signed tree head (C2SP tlog-checkpoint@v1 as a signed note). All are kept."""

    id = models.BigAutoField(primary_key=True)
    size = models.BigIntegerField(unique=True)
    root = models.BinaryField()
    note = models.TextField()
    #: the note verifier key of the key that signed it (public), so checkpoints signed before a
    #: key rotation stay verifiable against the keys the operator still trusts
    verifier = models.CharField(max_length=300)
    signed_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-size"]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"


class Tile(models.Model):
    """A C2SP tlog-tiles hash tile: the hashes (32 bytes each, at most 256) of tree level 8 × level,
    starting at index 256 × index. Only the sequencer appends to it; a prefix never changes, so a
    partial tile of width W is the first W hashes."""

    id = models.BigAutoField(primary_key=True)
    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hashes = models.BinaryField(default=b"")

    class Meta:
        constraints = [
            # a tile by level and index (proofs and /log/tile reads)
            models.UniqueConstraint(fields=["level", "index"], name="audit_tile_once")
        ]

    def __str__(self) -> str:
        return f"tile {self.level}/{self.index} ({len(self.hashes) // 32})"

    @property
    def width(self) -> int:
        return len(self.hashes) // 32


class WithholdingReason(models.TextChoices):
    """Why lines may be left out of a person's access report for a while. Each reason carries its
    citation (laget.audit.innsyn.WITHHOLDING_CITATIONS); the free-text explanation says why it
    applies in this case."""

    CRIMINAL_INVESTIGATION = "criminal_investigation", _(
        "Hemmelighold av hensyn til forebygging, etterforskning, avsløring og rettslig "
        "forfølgning av straffbare handlinger")
    OTHER_LAW = "other_law", _("Annen lovhjemmel (angitt i begrunnelsen)")


class Withholding(models.Model):
    """A period in which an agency's accesses to one person's data are left out of that person's
    access report (innsyn), on a legal reason, until `ends_on`. The person's version shows no trace
    of it; the auditor's version shows how many lines are withheld, by whom, why and until when.

    `person_id` is a plain id like AuditEventPerson's: the record must outlive the person's
    erasure."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # a person's withholdings when innsyn is made
    person_id = models.UUIDField(_("person"), db_index=True)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("virksomhet"), on_delete=models.PROTECT,
        related_name="+", help_text=_("Virksomheten hvis tilganger holdes tilbake."),
    )
    legal_reason = models.CharField(
        _("rettsgrunnlag"), max_length=40, choices=WithholdingReason.choices
    )
    explanation = models.TextField(_("begrunnelse"), max_length=2000)
    starts_on = models.DateField(_("fra"), default=clock.today)
    ends_on = models.DateField(_("til"), help_text=_("Første dag linjene vises igjen."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opprettet av"), on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opprettet"), default=clock.now, editable=False)
    ended_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("avsluttet av"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("tilbakehold av innsyn")
        verbose_name_plural = _("tilbakehold av innsyn")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")),
                                   name="audit_withholding_period"),
        ]

    def __str__(self) -> str:
        return f"{self.legal_reason} → {self.ends_on.isoformat()}"

    def is_active(self, on: dt.date | None = None) -> bool:
        day = on or clock.today()
        return self.ended_at is None and self.starts_on <= day < self.ends_on
