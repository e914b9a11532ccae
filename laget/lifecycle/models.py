"""What left Laget for the archive: one `ArchiveExtract` per Noark 5 arkivuttrekk and one
`ArchivedItem` per thing in it (a case, a document, an entry), with the checksum of the file it
went into. The later erasure of archived cases reads these rows to know what the archive holds
and marks them (`erased_at`), so the rows never point at data Laget no longer has."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class ArchivedItem(BaseModel):
    """One thing in an extract. `object_id` is the case's, entry's or meeting's id (documents that
    Laget rendered for the extract have the case's or meeting's id and a `document` name)."""

    extract = models.ForeignKey(ArchiveExtract, on_delete=models.PROTECT, related_name="items")
    case = models.ForeignKey(
        "records.Case", verbose_name=_("sak"), on_delete=models.PROTECT, related_name="+"
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
        indexes = [models.Index(fields=["case"], name="lifecycle_item_case_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["extract", "kind", "object_id", "document"],
                name="lifecycle_item_once_per_extract",
            ),
        ]
