"""An agency's own systems as API clients: the client, its bearer tokens (only a hash at rest) and
the idempotency records of its creating requests (laget.api.idempotency)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laget.core import clock
from laget.core.models import BaseModel


class Scope(models.TextChoices):
    """What a client may do; each API operation names the one scope it needs."""

    CONCERNS_WRITE = "concerns:write", _("Melde bekymringer")
    NOTIFICATIONS_READ = "notifications:read", _("Lese status for meldinger")
    CASES_READ = "cases:read", _("Lese saker, team og plan")
    TASKS_WRITE = "tasks:write", _("Legge oppgaver i planen")
    ENTRIES_READ = "entries:read", _("Lese opplysninger i saker")
    ENTRIES_WRITE = "entries:write", _("Registrere opplysninger i saker")
    PERSONS_READ = "persons:read", _("Slå opp personer")
    POLICE_WRITE = "police:write", _("Registrere politiets kontroller og pågripelser")
    FASTTRACK_READ = "fasttrack:read", _("Lese saker i hurtigsporet")
    FASTTRACK_WRITE = "fasttrack:write", _("Registrere milepæler i hurtigsporet")


class ApiClient(BaseModel):
    """One system of one agency. It acts through its own service user and membership
    (`user`, `membership`): audit events and access checks see an ordinary `Actor` whose user is
    the client, never a person's account (laget.apiclients.services.client_actor)."""

    agency = models.ForeignKey("accounts.Agency", verbose_name=_("virksomhet"),
                               on_delete=models.PROTECT, related_name="api_clients")
    name = models.CharField(_("navn"), max_length=120)
    scopes = models.JSONField(_("tilganger"), default=list)
    created_by = models.ForeignKey("accounts.User", verbose_name=_("opprettet av"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    active = models.BooleanField(_("aktiv"), default=True)
    user = models.OneToOneField("accounts.User", verbose_name=_("tjenestebruker"),
                                on_delete=models.PROTECT, related_name="api_client")
    membership = models.OneToOneField("accounts.Membership", verbose_name=_("rolle"),
                                      on_delete=models.PROTECT, related_name="api_client")

    class Meta:
        verbose_name = _("API-klient")
        verbose_name_plural = _("API-klienter")
        ordering = ["agency__name", "name"]
        # a client's name is unique within its agency
        constraints = [models.UniqueConstraint(fields=["agency", "name"],
                                               name="apiclients_client_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class ApiToken(BaseModel):
    """A bearer token of a client. Only its SHA-256 is stored (the token is 32 random bytes, so a
    plain hash is enough; no salt or slow hash is needed against guessing); `prefix` is shown to
    tell tokens apart. Valid until `expires_at`, or until `revoked_at` if that comes first."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    prefix = models.CharField(_("prefiks"), max_length=16, unique=True)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("utløper"))
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("sist brukt"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nøkkel")
        verbose_name_plural = _("API-nøkler")
        ordering = ["client", "-created_at"]

    def __str__(self) -> str:
        return self.prefix

    def is_valid(self) -> bool:
        now = clock.now()
        return self.expires_at > now and (self.revoked_at is None or self.revoked_at > now)


class IdempotencyRecord(BaseModel):
    """A creating request of a client — or of a staff user's browser session — under its
    `Idempotency-Key`: the request's fingerprint (method, path, SHA-256 of the body) and the
    response that was given, replayed on a retry. Exactly one of `client` and `user` is set."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+",
                               null=True, blank=True)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+",
                             null=True, blank=True)
    key = models.CharField(_("nøkkel"), max_length=255)
    fingerprint = models.CharField(_("fingeravtrykk"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"))
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()

    class Meta:
        verbose_name = _("idempotensnøkkel")
        verbose_name_plural = _("idempotensnøkler")
        constraints = [
            # an Idempotency-Key replay: the client's record by key
            models.UniqueConstraint(fields=["client", "key"], name="apiclients_idem_unique_key",
                                    condition=Q(client__isnull=False)),
            # the same for a browser session's calls: the user's record by key
            models.UniqueConstraint(fields=["user", "key"], name="apiclients_idem_unique_user_key",
                                    condition=Q(user__isnull=False)),
            models.CheckConstraint(condition=Q(client__isnull=True) ^ Q(user__isnull=True),
                                   name="apiclients_idem_one_owner"),
            models.CheckConstraint(condition=~Q(key=""), name="apiclients_idem_key_not_empty"),
        ]
