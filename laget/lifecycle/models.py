"""What left Laget for the archive: one `ArchiveExtract` per Noark 5 arkivuttrekk and one
`ArchivedItem` per thing in it (a case, a document, an entry), with the checksum of the file it
went into. The later erasure of archived cases reads these rows to know what the archive holds
and marks them (`erased_at`), so the rows never point at data Laget no longer has.

Retention and erasure (laget.lifecycle.erasure): `ErasureCandidate` (what the periodic task found
due under the retention schedule, awaiting the owning bydel leader's confirmation), `LegalHold`
(stops the erasure of a case, a person or a concern until its end date) and `Tombstone` (what
was erased, when, under which rule, on whose confirmation — no personal data). They refer to
cases, persons and concerns by plain ids: the rows outlive the erased data."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from laget.core import clock
from laget.core.models import BaseModel


class ArchiveExtract(BaseModel):
    """One Noark 5 archive extract for one bydel: a directory under var/archive/ and the zip of it
    that the leader downloads."""

    district = models.ForeignKey(
        "areas.District", verbose_name=_("bydel"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("arkivskaper"), on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("laget av"), on_delete=models.PROTECT,
        related_name="+",
    )
    directory = models.CharField(_("katalog"), max_length=500)
    zip_name = models.CharField(_("zip-fil"), max_length=500)
    zip_sha256 = models.CharField(_("sjekksum for zip-filen"), max_length=64)
    zip_size = models.PositiveBigIntegerField(_("størrelse"))
    case_count = models.PositiveIntegerField(_("saker"))
    document_count = models.PositiveIntegerField(_("dokumenter"))

    class Meta:
        verbose_name = _("arkivuttrekk")
        verbose_name_plural = _("arkivuttrekk")
        ordering = ["-created_at", "-id"]


class ItemKind(models.TextChoices):
    CASE = "case", _("Sak (saksmappe)")
    DOCUMENT = "document", _("Dokument")
    ENTRY = "entry", _("Opplysning")
    #: another agency's entry on the case: not in this bydel's extract (that agency archives its
    #: own records); listed by id so that the extract says exactly what did not leave.
    ENTRY_EXCLUDED = "entry_excluded", _("Opplysning fra en annen virksomhet (ikke med)")
    #: a PDF or Word attachment of the bydel's own entry: not convertible to PDF/A here, so not
    #: in the extract; listed (and named in the entries' document) for the archive to ask for
    ATTACHMENT_NOT_CONVERTED = "attachment_nc", _("Vedlegg som ikke kunne gjøres om til PDF/A")


class ArchivedItem(BaseModel):
    """One thing in an extract. `object_id` is the case's, entry's or meeting's id (documents that
    Laget rendered for the extract have the case's or meeting's id and a `document` name)."""

    extract = models.ForeignKey(ArchiveExtract, on_delete=models.PROTECT, related_name="items")
    #: no database constraint: the row outlives the case's erasure in Laget (`erased_at` is set
    #: then, and `case_id` still says which folder of the extract it was)
    case = models.ForeignKey(
        "records.Case", verbose_name=_("sak"), on_delete=models.DO_NOTHING, related_name="+",
        db_constraint=False,
    )
    kind = models.CharField(_("type"), max_length=20, choices=ItemKind.choices)
    object_id = models.UUIDField()
    document = models.CharField(_("dokument"), max_length=40, blank=True)
    path = models.CharField(_("fil i uttrekket"), max_length=300, blank=True)
    sha256 = models.CharField(_("sjekksum"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("størrelse"), null=True, blank=True)
    #: set by the later erasure of the case in Laget (the archive keeps its copy)
    erased_at = models.DateTimeField(_("slettet i Laget"), null=True, blank=True)

    class Meta:
        verbose_name = _("arkivert element")
        verbose_name_plural = _("arkiverte elementer")
        ordering = ["extract", "case", "kind", "document", "object_id"]
        # whether a case is archived (the archive's due cases)
        indexes = [models.Index(fields=["case"], name="lifecycle_item_case_idx")]
        constraints = [
            # an object's document once per extract
            models.UniqueConstraint(
                fields=["extract", "kind", "object_id", "document"],
                name="lifecycle_item_once_per_extract",
            ),
        ]


# --- retention and erasure (issue 15) -------------------------------------------------------------

class ErasureKind(models.TextChoices):
    CASE = "case", _("Sak")
    CONCERN = "concern", _("Bekymring")
    PERSON = "person", _("Person")


class CandidateStatus(models.TextChoices):
    DUE = "due", _("Venter på bekreftelse")
    REJECTED = "rejected", _("Avvist av leder")
    ERASED = "erased", _("Slettet")


class ErasureCandidate(BaseModel):
    """A case or concern due for erasure under a rule of the retention schedule, found by the
    periodic task; the bydel's leader confirms (then it is erased at once) or rejects it. A case
    or concern has at most one candidate that is due or erased: nothing is found or erased twice."""

    kind = models.CharField(_("type"), max_length=10, choices=ErasureKind.choices)
    object_id = models.UUIDField(_("id"))
    #: the person it concerns (a plain id; for legal holds on the person and the person's erasure)
    person_id = models.UUIDField(_("person"), null=True, blank=True)
    district = models.ForeignKey(
        "areas.District", verbose_name=_("bydel"), on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField(_("regel"), max_length=40)
    legal_reference = models.CharField(_("hjemmel"), max_length=500)
    schedule_sha256 = models.CharField(_("sjekksum for planen"), max_length=64)
    opened_at = models.DateTimeField(_("opprettet"))
    closed_at = models.DateTimeField(_("avsluttet"))
    due_at = models.DateTimeField(_("kan slettes fra"))
    found_at = models.DateTimeField(_("funnet"), default=clock.now)
    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.DUE
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("avgjort av"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    decided_at = models.DateTimeField(_("avgjort"), null=True, blank=True)
    decision_note = models.CharField(
        _("begrunnelse"), max_length=500, blank=True,
        help_text=_("Uten personopplysninger: bare hvorfor saken ikke skal slettes nå."),
    )

    class Meta:
        verbose_name = _("sletting til bekreftelse")
        verbose_name_plural = _("slettinger til bekreftelse")
        ordering = ["due_at", "id"]
        # the erasure page: a bydel's due candidates by due time
        indexes = [models.Index(fields=["district", "status", "due_at"],
                                name="lifecycle_candidate_desk_idx")]
        constraints = [
            # one live candidate per object (the daily sweep skips those it has)
            models.UniqueConstraint(
                fields=["kind", "object_id"], condition=~models.Q(status="rejected"),
                name="lifecycle_candidate_once",
            ),
            models.CheckConstraint(
                condition=models.Q(status="due")
                | (models.Q(decided_by__isnull=False) & models.Q(decided_at__isnull=False)),
                name="lifecycle_candidate_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {str(self.object_id)[:8]}"


class HoldReason(models.TextChoices):
    COMPLAINT = "complaint", _("Klage")
    INVESTIGATION = "investigation", _("Etterforskning eller tilsyn")
    LITIGATION = "litigation", _("Rettssak")
    ACCESS_REQUEST = "access_request", _("Innsynskrav under behandling")
    OTHER = "other", _("Annen rettslig grunn")


class LegalHoldQuerySet(models.QuerySet["LegalHold"]):
    def active(self, on: dt.date | None = None) -> "LegalHoldQuerySet":
        day = on or clock.today()
        return self.filter(lifted_at__isnull=True, starts_on__lte=day, ends_on__gte=day)


class LegalHold(BaseModel):
    """A stop on erasure («sletteforbud»): while it is active (not lifted, until and including
    `ends_on`), nothing of the case, person or concern is erased. Placed and lifted by the owning
    bydel's leader, with the reason and the end date."""

    kind = models.CharField(_("gjelder"), max_length=10, choices=ErasureKind.choices)
    object_id = models.UUIDField(_("id"))
    district = models.ForeignKey(
        "areas.District", verbose_name=_("bydel"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("grunn"), max_length=20, choices=HoldReason.choices)
    note = models.CharField(
        _("forklaring"), max_length=500,
        help_text=_("Uten personopplysninger: for eksempel klagens eller sakens referanse."),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("satt av"), on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("fra"), default=clock.today)
    ends_on = models.DateField(_("til og med"))
    lifted_at = models.DateTimeField(_("opphevet"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opphevet av"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("sletteforbud")
        verbose_name_plural = _("sletteforbud")
        ordering = ["-starts_on", "-created_at"]
        # whether a legal hold stops an object's erasure
        indexes = [models.Index(fields=["kind", "object_id"], name="lifecycle_hold_object_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="lifecycle_hold_period"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {str(self.object_id)[:8]} → {self.ends_on}"

    def is_active(self, on: dt.date | None = None) -> bool:
        day = on or clock.today()
        return self.lifted_at is None and self.starts_on <= day <= self.ends_on


class Tombstone(BaseModel):
    """What is left of an erased case, concern or person: what kind of thing it was, its id, when
    it was made and closed, when it was erased, under which rule (and the schedule's checksum),
    on whose confirmation, and how many rows of each kind went — never any personal data."""

    kind = models.CharField(_("type"), max_length=10, choices=ErasureKind.choices)
    original_id = models.UUIDField(_("opprinnelig id"))
    district = models.ForeignKey(
        "areas.District", verbose_name=_("bydel"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opprettet"))
    closed_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)
    erased_at = models.DateTimeField(_("slettet"), default=clock.now)
    rule = models.CharField(_("regel"), max_length=40)
    legal_reference = models.CharField(_("hjemmel"), max_length=500)
    schedule_sha256 = models.CharField(_("sjekksum for planen"), max_length=64)
    candidate = models.ForeignKey(
        ErasureCandidate, verbose_name=_("bekreftet sletting"), on_delete=models.PROTECT,
        related_name="tombstones",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("bekreftet av"), on_delete=models.PROTECT,
        related_name="+",
    )
    #: rows erased per model ({"records.Entry": 3, …}) and files removed
    counts = models.JSONField(_("antall"), default=dict, blank=True)

    class Meta:
        verbose_name = _("gravstein")
        verbose_name_plural = _("gravsteiner")
        ordering = ["-erased_at", "-id"]
        constraints = [
            # one tombstone per erased object
            models.UniqueConstraint(fields=["kind", "original_id"],
                                    name="lifecycle_tombstone_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {str(self.original_id)[:8]}"
