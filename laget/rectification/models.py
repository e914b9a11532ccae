"""Requests for rectification (GDPR art. 16) and objections (art. 21), and their decisions. A
request names the person, the case, the agency that decides (the one that owns the information)
and, when registered by staff, the entries concerned. A correction never edits an entry: the
decision writes a new entry through the sharing engine that supersedes the old one, which stays in
the history. Requests and decisions are kept; nothing here is ever deleted."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from laget.core.models import BaseModel

#: What the requester writes: enough to say what is wrong, not a report.
TEXT_MAX_LENGTH = 4000


class Kind(models.TextChoices):
    CORRECTION = "correction", _("Retting (GDPR art. 16)")
    OBJECTION = "objection", _("Innsigelse (GDPR art. 21)")


class Channel(models.TextChoices):
    FAMILY = "family", _("Familiesiden")
    STAFF = "staff", _("Registrert av en ansatt")


class RequestedBy(models.TextChoices):
    SELF = "self", _("Personen selv")
    GUARDIAN = "guardian", _("En foresatt")


class Decision(models.TextChoices):
    CORRECTED = "corrected", _("Rettet")
    PARTLY = "partly", _("Delvis rettet")
    REJECTED = "rejected", _("Ikke rettet")
    OBJECTION_UPHELD = "objection_upheld", _("Innsigelsen tatt til følge")
    OBJECTION_REJECTED = "objection_rejected", _("Innsigelsen ikke tatt til følge")


#: The decisions open to each kind of request.
DECISIONS: dict[str, tuple[str, ...]] = {
    Kind.CORRECTION: (Decision.CORRECTED, Decision.PARTLY, Decision.REJECTED),
    Kind.OBJECTION: (Decision.OBJECTION_UPHELD, Decision.OBJECTION_REJECTED),
}
#: Decisions that change what the record says: each concerned entry is superseded by a new one.
CHANGING: frozenset[str] = frozenset({Decision.CORRECTED, Decision.PARTLY,
                                      Decision.OBJECTION_UPHELD})


class RectificationRequest(BaseModel):
    """One request, from the family pages or registered by a team member on the person's (or a
    guardian's) behalf. `agency` decides: the source agency of the entries concerned, or for a
    request from the family pages the agency responsible for the plan item it points at, else the
    case's bydel. The requester is named by the guardian row or `self`, never by number."""

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    person = models.ForeignKey("people.Person", verbose_name=_("person"),
                               on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("records.Case", verbose_name=_("sak"), on_delete=models.PROTECT,
                             related_name="rectification_requests")
    agency = models.ForeignKey("accounts.Agency", verbose_name=_("virksomheten som avgjør"),
                               on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("mottatt via"), max_length=10, choices=Channel.choices)
    requested_by = models.CharField(_("fremsatt av"), max_length=10,
                                    choices=RequestedBy.choices)
    guardian = models.ForeignKey("people.Guardian", verbose_name=_("foresatt"),
                                 on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registrert av"),
                                      on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    registered_by_agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("registrert av virksomhet"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+")
    #: the plan item a request from the family pages points at (its title kept as it was)
    task = models.ForeignKey("cases.Task", verbose_name=_("oppgave i planen"),
                             on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    goal = models.ForeignKey("cases.Goal", verbose_name=_("mål i planen"),
                             on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    plan_item = models.CharField(_("punkt i planen"), max_length=300, blank=True)
    what_is_wrong = models.TextField(_("hva er feil"), max_length=TEXT_MAX_LENGTH)
    should_say = models.TextField(_("hva det burde stå"), max_length=TEXT_MAX_LENGTH,
                                  blank=True)
    received_at = models.DateTimeField(_("mottatt"))
    #: one month from receipt (GDPR art. 12(3))
    deadline = models.DateField(_("frist"))
    decision = models.CharField(_("avgjørelse"), max_length=20, choices=Decision.choices,
                                blank=True)
    reason = models.TextField(_("begrunnelse"), max_length=TEXT_MAX_LENGTH, blank=True)
    corrected_text = models.TextField(_("rettet tekst"), max_length=20_000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("avgjort av"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("avgjort"), null=True, blank=True)
    #: GDPR art. 12(3): the month may be extended once by two further months where necessary,
    #: the person told of it, with the reasons, within the first month
    extended_from = models.DateField(_("opprinnelig frist"), null=True, blank=True)
    extended_at = models.DateTimeField(_("fristen forlenget"), null=True, blank=True)
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("forlenget av"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    extension_reason = models.TextField(_("grunnen til forlengelsen"),
                                        max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("krav om retting eller innsigelse")
        verbose_name_plural = _("krav om retting eller innsigelse")
        ordering = ["deadline", "received_at", "id"]
        indexes = [
            # the agency's open requests by deadline (the list)
            models.Index(fields=["agency", "decision", "deadline"], name="rect_agency_open_idx"),
            # a person's requests, newest first (the family page)
            models.Index(fields=["person", "-received_at"], name="rect_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="") | (models.Q(
                    decided_by__isnull=False, decided_at__isnull=False) & ~models.Q(reason="")),
                name="rect_decision_has_reason_and_decider"),
            models.CheckConstraint(
                condition=models.Q(requested_by=RequestedBy.SELF, guardian__isnull=True)
                | models.Q(requested_by=RequestedBy.GUARDIAN, guardian__isnull=False),
                name="rect_guardian_matches_requester"),
            models.CheckConstraint(
                condition=models.Q(channel=Channel.FAMILY, registered_by__isnull=True)
                | models.Q(channel=Channel.STAFF, registered_by__isnull=False),
                name="rect_registrar_matches_channel"),
            models.CheckConstraint(
                condition=models.Q(GreaterThanOrEqual(Length("what_is_wrong"), 1)),
                name="rect_what_is_wrong_given"),
            models.CheckConstraint(
                condition=models.Q(extended_from__isnull=True, extended_at__isnull=True,
                                   extended_by__isnull=True, extension_reason="")
                | (models.Q(extended_from__isnull=False, extended_at__isnull=False,
                            extended_by__isnull=False) & ~models.Q(extension_reason="")),
                name="rect_extension_complete"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return not self.decision

    @property
    def is_extended(self) -> bool:
        return self.extended_from is not None


class RequestedEntry(BaseModel):
    """An entry a request concerns and, once a decision changed it, the entry that superseded it.
    Both are read only through the sharing engine (by id here)."""

    request = models.ForeignKey(RectificationRequest, on_delete=models.PROTECT,
                                related_name="entries")
    entry = models.ForeignKey("records.Entry", verbose_name=_("opplysning"),
                              on_delete=models.PROTECT, related_name="+")
    correction = models.ForeignKey("records.Entry", verbose_name=_("rettet opplysning"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("opplysning i kravet")
        verbose_name_plural = _("opplysninger i kravet")
        ordering = ["created_at", "id"]
        constraints = [
            # an entry once per request
            models.UniqueConstraint(fields=["request", "entry"], name="rect_entry_once"),
        ]

    def __str__(self) -> str:
        return str(self.entry_id)
