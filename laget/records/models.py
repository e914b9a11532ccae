"""The shared record: a person's case, the named people on its team, and the entries
("opplysninger") that agencies add to it. Entries are read only through the sharing engine."""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from laget.core import clock
from laget.core.models import BaseModel
from laget.records.access import EntryAccessError, is_open
from laget.records.vocabulary import SENSITIVITY, InfoCategory, Programme, SharingPurpose


class CaseStatus(models.TextChoices):
    """Where a case is in its lifecycle (the moves between them: laget.cases.services). A concern
    ("bekymring") that has not led to a case yet is not a case status."""

    ASSESSMENT = "assessment", pgettext_lazy("case status", "Vurdering")
    ACTIVE = "active", _("Aktiv")
    CLOSING = "closing", _("Avsluttes")
    CLOSED = "closed", _("Avsluttet")


#: Statuses of a case that is still open: the team works on it and it can be written to.
OPEN_STATUSES = frozenset({CaseStatus.ASSESSMENT, CaseStatus.ACTIVE, CaseStatus.CLOSING})


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> "CaseQuerySet":
        """Cases not closed (at most one per person)."""
        return self.exclude(status=CaseStatus.CLOSED)


class Case(BaseModel):
    """A person's SaLTo case in their bydel. (The workflow around it — concerns, plan, meetings —
    belongs to the `cases` app.)"""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="cases"
    )
    district = models.ForeignKey(
        "areas.District", verbose_name=_("bydel"), on_delete=models.PROTECT, related_name="cases"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.ASSESSMENT
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("sak")
        verbose_name_plural = _("saker")
        ordering = ["-created_at"]
        constraints = [
            # one open case per person; case_open_for_person looks it up
            models.UniqueConstraint(
                fields=["person"], condition=~Q(status="closed"), name="records_case_one_open"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Sak %(id)s") % {"id": str(self.pk)[:8]})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TeamMemberQuerySet(models.QuerySet["TeamMember"]):
    def active(self, on: dt.date | None = None) -> "TeamMemberQuerySet":
        day = on or clock.today()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=day), joined_on__lte=day)


class TeamMember(BaseModel):
    """A named person from an agency on a case's team. Membership is personal: it is never a whole
    agency, and leaving the team ends the access it gave."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    team_role = models.CharField(_("rolle i teamet"), max_length=120, blank=True)
    is_contact = models.BooleanField(
        _("kontaktperson"), default=False,
        help_text=_("Virksomhetens kontaktperson for saken."),
    )
    joined_on = models.DateField(_("med fra"), default=clock.today)
    left_on = models.DateField(
        _("ute fra"), null=True, blank=True, help_text=_("Første dag uten tilgang.")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("teammedlem")
        verbose_name_plural = _("teammedlemmer")
        ordering = ["joined_on", "id"]
        # the sharing filter's EXISTS: is this user on the case's team for this agency
        indexes = [models.Index(fields=["user", "agency", "case"], name="records_team_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="records_teammember_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.agency})"


class MarkerKind(models.TextChoices):
    PROGRAMME = "programme", _("Program")
    WEAPON_TRIGGER = "weapon_trigger", _("Våpenutløser")


class CaseMarker(BaseModel):
    """A fact about a case that sharing rules may depend on: enrolment in a programme, or an open
    weapon trigger (C7). Open from `valid_from`; `valid_to` is the first day it no longer holds."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="markers")
    kind = models.CharField(_("type"), max_length=20, choices=MarkerKind.choices)
    programme = models.CharField(
        _("program"), max_length=30, choices=Programme.choices, blank=True
    )
    valid_from = models.DateField(_("fra"), default=clock.today)
    valid_to = models.DateField(_("til"), null=True, blank=True)

    class Meta:
        verbose_name = _("saksmerke")
        verbose_name_plural = _("saksmerker")
        # a case's markers by kind and programme (the engine's facts)
        indexes = [models.Index(fields=["case", "kind", "programme"], name="records_marker_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="programme") & ~Q(programme=""))
                | (Q(kind="weapon_trigger") & Q(programme="")),
                name="records_marker_programme_iff_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.get_programme_display() or self.get_kind_display()


class GuardedEntryManager(models.Manager["Entry"]):
    """Refuses to build a query unless the sharing engine has opened access (records.access)."""

    def get_queryset(self) -> models.QuerySet["Entry"]:
        if not is_open():
            raise EntryAccessError(
                "Entries are read only through laget.sharing (visible_to / explain)."
            )
        return super().get_queryset()


class Entry(BaseModel):
    """An "opplysning": one piece of information an agency adds to a case. Never edited in place: a
    correction is a new entry that supersedes this one, and both stay in the history."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="entries")
    source_agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("kilde"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("kategori"), max_length=20, choices=InfoCategory.choices)
    purpose = models.CharField(
        _("formål"), max_length=20, choices=SharingPurpose.choices,
        default=SharingPurpose.FOREBYGGING,
    )
    text = models.TextField(_("opplysning"), max_length=20_000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    supersedes = models.OneToOneField(
        "self", verbose_name=_("retter"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="superseded_by",
    )

    objects = GuardedEntryManager()

    class Meta:
        verbose_name = _("opplysning")
        verbose_name_plural = _("opplysninger")
        base_manager_name = "objects"
        default_manager_name = "objects"
        ordering = ["-created_at", "-id"]
        indexes = [
            # a case's entries, newest first (case page, API)
            models.Index(fields=["case", "-created_at"], name="records_entry_case_idx"),
            # an agency's entries, newest first (emergency reviews, exports)
            models.Index(fields=["source_agency", "-created_at"], name="records_entry_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.created_at:%Y-%m-%d})"

    @property
    def sensitivity(self) -> str:
        return SENSITIVITY[self.category]


def attachment_path(instance: "EntryAttachment", filename: str) -> str:
    # Never the uploaded name in the path: it may hold personal data.
    return f"entries/{instance.entry_id}/{instance.pk}"


class EntryAttachment(BaseModel):
    """A file attached to an entry; served only through the sharing engine."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(_("filnavn"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()
