"""The outbox: one row per message Laget sends, written in the transaction of the event that
causes it and delivered afterwards by a task (laget.notify.services)."""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from laget.core import clock
from laget.core.models import BaseModel


class Channel(models.TextChoices):
    EMAIL = "email", _("E-post")
    SMS = "sms", _("SMS")
    CONSOLE = "console", _("Konsoll (demo)")
    WEBHOOK = "webhook", _("Webhook til virksomhetens system")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("I kø")
    SENDING = "sending", _("Sendes")
    SENT = "sent", _("Sendt")
    DELIVERED = "delivered", _("Levert")
    FAILED = "failed", _("Feilet")


class MessageQuerySet(models.QuerySet["Message"]):
    def due(self) -> "MessageQuerySet":
        """Messages a worker may take now: queued and due, or being sent by a worker whose lease
        has run out (it died or hung mid-delivery)."""
        now = clock.now()
        return self.filter(
            Q(status=MessageStatus.QUEUED, next_attempt_at__lte=now)
            | Q(status=MessageStatus.SENDING, lease_until__lte=now)
        )


class Message(BaseModel):
    """One message to one recipient, rendered when it was queued. `to_address` and `body` may
    hold personal data: they are never logged, and `last_error` says only what kind of failure it
    was. The gateway gets a key derived from `idempotency_key`, the same on every delivery of the
    message, so that a redelivery after a worker died can be dropped by the receiver."""

    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("mottaker (ansatt)"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    to_address = models.CharField(_("adresse"), max_length=254)
    subject = models.CharField(_("emne"), max_length=200, blank=True)
    body = models.TextField(_("tekst"), max_length=10_000)
    idempotency_key = models.CharField(_("idempotensnøkkel"), max_length=200, unique=True)
    #: the person the message concerns (for the person's access report), by id only
    person_id = models.UUIDField(_("gjelder person"), null=True, blank=True, db_index=True)
    #: the agency that follows up by hand (calls instead) when the message cannot be delivered
    follow_up_agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("følges opp av"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    next_attempt_at = models.DateTimeField(_("neste forsøk"), default=clock.now)
    lease_until = models.DateTimeField(_("tatt til"), null=True, blank=True)
    last_error = models.CharField(_("siste feil"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    #: when the gateway's signed delivery receipt said the phone got it
    delivered_at = models.DateTimeField(_("levert"), null=True, blank=True)
    #: when the last delivery receipt came (a receipt saying «failed» fails a sent message)
    receipt_at = models.DateTimeField(_("kvittering mottatt"), null=True, blank=True)
    failed_at = models.DateTimeField(_("feilet"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldinger")
        ordering = ["created_at", "id"]
        indexes = [
            # The delivery query: queued by due time, and sending by lease expiry.
            models.Index(fields=["next_attempt_at"], condition=Q(status="queued"),
                         name="notify_msg_queued_idx"),
            # the minute sweep's sends whose lease ran out
            models.Index(fields=["lease_until"], condition=Q(status="sending"),
                         name="notify_msg_lease_idx"),
            # Failed messages a human must handle.
            models.Index(fields=["follow_up_agency", "failed_at"], condition=Q(status="failed"),
                         name="notify_msg_failed_agency_idx"),
            # a user's own failed notifications
            models.Index(fields=["recipient_user", "failed_at"], condition=Q(status="failed"),
                         name="notify_msg_failed_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=["email", "sms", "console", "webhook"]),
                name="notify_msg_channel"),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="notify_msg_sent_has_time"),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                name="notify_msg_delivered_has_time"),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(lease_until__isnull=False),
                name="notify_msg_sending_has_lease"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {str(self.pk)[:8]} ({self.status})"

    @property
    def delivery_key(self) -> str:
        """What the receiver sees of the idempotency key: stable across redeliveries, and no
        internal ids (a caller's key may name a case or a user)."""
        digest = hashlib.sha256(f"laget-notify:{self.idempotency_key}".encode()).hexdigest()
        return digest[:40]


class WebhookEvent(models.TextChoices):
    """What an agency's system can be told of. A webhook names things by id only; the system
    reads what it may see through the API (laget.api), which checks and audits the read."""

    TASK_CREATED = "task.created", _("Ny oppgave til virksomheten")
    CONCERN_RECEIVED = "concern.received", _("Ny bekymring til bydelen")
    WEAPON_TRIGGER = "case.weapon_trigger", _("Våpenutløser på en sak i bydelen")


class WebhookEndpoint(BaseModel):
    """Where an agency's own system takes Laget's webhooks. The signing secret is not stored: it
    is derived from LAGET_WEBHOOK_KEY, the endpoint's id and its `secret_version`, so a copy of the
    database cannot forge a delivery. Rotating bumps the version; until `previous_valid_until`
    deliveries carry the old signature beside the new one."""

    agency = models.ForeignKey("accounts.Agency", verbose_name=_("virksomhet"),
                               on_delete=models.PROTECT, related_name="webhook_endpoints")
    url = models.URLField(_("adresse"), max_length=500)
    events = models.JSONField(_("hendelser"), default=list)
    secret_version = models.PositiveIntegerField(_("nøkkelversjon"), default=1)
    previous_valid_until = models.DateTimeField(_("forrige nøkkel gyldig til"), null=True,
                                                blank=True)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("webhook-mottaker")
        verbose_name_plural = _("webhook-mottakere")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"webhook {str(self.pk)[:8]}"

    def secret(self, version: int | None = None) -> str:
        """The shared secret of `version` (the current one by default), as the agency got it."""
        value = f"{self.pk}:{self.secret_version if version is None else version}"
        return salted_hmac("laget.notify.webhook", value, secret=settings.LAGET_WEBHOOK_KEY,
                           algorithm="sha256").hexdigest()

    def signing_secrets(self, at: dt.datetime) -> list[str]:
        """The secrets a delivery at `at` is signed with: the current one, and the previous one
        while its grace period lasts."""
        secrets = [self.secret()]
        if (self.secret_version > 1 and self.previous_valid_until is not None
                and at < self.previous_valid_until):
            secrets.append(self.secret(self.secret_version - 1))
        return secrets
