"""Building a Noark 5 archive extract of a bydel's closed cases (docs/ARCHIVE.md).

The files are written first, under `LAGET_VAR_DIR/archive/<extract id>/` with the zip beside
it; then, in one transaction, the `ArchiveExtract`, one `ArchivedItem` per case, document, entry
and left-out entry, one `lifecycle.archive_case` audit event per case naming every document and
entry id that left (and the ids that did not), and one `lifecycle.archive_export` event for the
extract. If anything fails the directory and the zip are removed and nothing is recorded."""

import hashlib
import shutil
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases.models import CaseStatusChange
from laget.core import clock
from laget.core.errors import DomainError
from laget.lifecycle import noark
from laget.lifecycle.documents import RenderedDocument, case_documents, convertible
from laget.lifecycle.models import ArchivedItem, ArchiveExtract, ItemKind
from laget.lifecycle.selectors import cases_due_for, is_archiving_leader
from laget.records.models import Case
from laget.sharing.archive import archive_entries_for

SCHEMA_FILES = ("arkivstruktur.xsd", "metadatakatalog.xsd", "endringslogg.xsd")


def archive_root() -> Path:
    return Path(settings.VAR_DIR) / "archive"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _name(user: object) -> str:
    return (user.get_full_name() or user.username) if user is not None else "Laget"  # type: ignore[attr-defined]


def _status_changes(case: Case) -> list[noark.StatusChange]:
    labels = dict(CaseStatusChange._meta.get_field("to_status").choices)  # type: ignore[arg-type]
    rows = (
        CaseStatusChange.objects.filter(case=case).exclude(from_status="")
        .select_related("changed_by").order_by("changed_at", "id")
    )
    changes = [
        noark.StatusChange(case_id=case.pk, at=row.changed_at, by=_name(row.changed_by),
                           before=str(labels[row.from_status]), after=str(labels[row.to_status]))
        for row in rows
    ]
    if not changes and case.closed_at is not None:
        # A case with no recorded move (made before the history existed): its closing is the
        # one change the archive knows of.
        changes.append(noark.StatusChange(
            case_id=case.pk, at=case.closed_at, by="Laget",
            before=noark.SAKSSTATUS["active"], after=noark.SAKSSTATUS["closed"]))
    return changes


def _zip(directory: Path, target: Path) -> None:
    """Zip the directory file by file from disk (never the whole extract in memory)."""
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            method = zipfile.ZIP_STORED if path.suffix == ".pdf" else zipfile.ZIP_DEFLATED
            archive.write(path, f"{directory.name}/{path.relative_to(directory)}",
                          compress_type=method)


def archive_extract_build(
    *, actor: Actor, case_ids: Iterable[uuid.UUID] | None = None
) -> ArchiveExtract:
    """Build an extract of the leader's bydel's cases due for the archive (all of them, or those
    of `case_ids` that are due). Raises DomainError when the actor may not or nothing is due."""
    if not is_archiving_leader(actor):
        raise DomainError(_("Bare lederen i en bydel kan lage arkivuttrekk."),
                          code="not_archiving_leader")
    assert actor.membership is not None
    agency = actor.membership.agency
    cases = cases_due_for(actor=actor).select_related("person", "district", "opened_by")
    if case_ids is not None:
        cases = cases.filter(pk__in=list(case_ids))
    cases = list(cases)
    if not cases:
        raise DomainError(_("Ingen saker er klare for arkivering."), code="nothing_due")

    extract_id = uuid.uuid4()
    now = clock.now()
    root = archive_root()
    directory = root / str(extract_id)
    zip_path = root / f"{extract_id}.zip"
    directory.mkdir(parents=True, exist_ok=False)
    try:
        return _build(actor=actor, agency=agency, cases=cases, extract_id=extract_id, now=now,
                      directory=directory, zip_path=zip_path)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        zip_path.unlink(missing_ok=True)
        raise


@transaction.atomic
def _build(*, actor: Actor, agency: object, cases: list[Case], extract_id: uuid.UUID,
           now: object, directory: Path, zip_path: Path) -> ArchiveExtract:
    # Two leaders building at once must not archive a case twice: lock the cases, then check
    # again that no extract holds them.
    ids = [c.pk for c in cases]
    list(Case.objects.select_for_update(no_key=True).filter(pk__in=ids).values_list("pk"))
    if ArchivedItem.objects.filter(case_id__in=ids, kind=ItemKind.CASE).exists():
        raise DomainError(_("Noen av sakene ble nettopp arkivert. Prøv igjen."),
                          code="already_archived")
    by = _name(actor.user)
    folders: list[noark.Saksmappe] = []
    changes: list[noark.StatusChange] = []
    per_case: list[tuple[Case, list[RenderedDocument], list[uuid.UUID], list[uuid.UUID]]] = []
    sequence_in_year: dict[int, int] = {}
    journal_sequence = 0
    for case in cases:
        found = archive_entries_for(actor=actor, case=case)
        documents = case_documents(
            case=case, entries=found.own, excluded=len(found.excluded_ids), root=directory,
            folder=f"dokumenter/{case.pk}", printed=now,  # type: ignore[arg-type]
            attachments=found.attachments)
        attached = [d for d in documents if d.kind == "vedlegg"]
        year = case.created_at.year
        sequence_in_year[year] = sequence_in_year.get(year, 0) + 1
        history = _status_changes(case)
        folder = noark.Saksmappe(
            case_id=case.pk, year=year, sequence=sequence_in_year[year],
            opened_at=case.created_at, opened_by=_name(case.opened_by),
            closed_at=case.closed_at or now, closed_by=history[-1].by if history else by,  # type: ignore[arg-type]
            responsible=_name(case.opened_by), part_name=case.person.full_name,
        )
        main = [d for d in documents if d.kind != "vedlegg"]
        for number, document in enumerate(main, start=1):
            journal_sequence += 1
            folder.journalposter.append(noark.Journalpost(
                document=document, number=number, sequence=journal_sequence,
                attachments=attached if document.kind == "opplysninger" else []))
        folders.append(folder)
        changes.extend(history)
        per_case.append((case, documents, [e.pk for e in found.own], found.excluded_ids,
                         [a.id for a in found.attachments if not convertible(a)]))

    closed_days = [(c.closed_at or now).date() for c in cases]  # type: ignore[union-attr]
    header = noark.ExtractHeader(
        extract_id=extract_id, created_at=now, created_by=by,  # type: ignore[arg-type]
        agency_id=agency.pk, agency_name=agency.name,  # type: ignore[attr-defined]
        district_name=cases[0].district.name,
        period_start=min(closed_days), period_end=max(closed_days),
    )
    noark.write_xml(noark.arkivstruktur_tree(header, folders), directory / "arkivstruktur.xml")
    noark.write_xml(noark.endringslogg_tree(changes), directory / "endringslogg.xml")
    for name in SCHEMA_FILES:
        shutil.copyfile(noark.SCHEMA_DIR / "v5.0" / name, directory / name)
    shutil.copyfile(noark.SCHEMA_DIR / "addml" / "v8.3" / "addml.xsd", directory / "addml.xsd")
    described = ("arkivstruktur.xml", "endringslogg.xml", *SCHEMA_FILES)
    posts_total = sum(len(f.journalposter) for f in folders)
    documents_total = sum(1 + len(p.attachments) for f in folders for p in f.journalposter)
    noark.write_xml(
        noark.arkivuttrekk_tree(
            header, {name: _sha256(directory / name) for name in described},
            {"mappe": len(folders), "registrering": posts_total,
             "dokumentbeskrivelse": documents_total, "dokumentobjekt": documents_total,
             "endring": len(changes)}),
        directory / "arkivuttrekk.xml")
    manifest = [
        f"{_sha256(path)}  {path.relative_to(directory)}"
        for path in sorted(p for p in directory.rglob("*") if p.is_file())
    ]
    (directory / "sjekksummer.sha256").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    _zip(directory, zip_path)

    extract = ArchiveExtract.objects.create(
        id=extract_id, district_id=cases[0].district_id, agency=agency, created_by=actor.user,
        created_at=now, directory=str(directory), zip_name=zip_path.name,
        zip_sha256=_sha256(zip_path), zip_size=zip_path.stat().st_size,
        case_count=len(cases), document_count=sum(len(d) for _c, d, _o, _x, _n in per_case),
    )
    items: list[ArchivedItem] = []
    for case, documents, entry_ids, excluded_ids, not_converted in per_case:
        items.append(ArchivedItem(extract=extract, case=case, kind=ItemKind.CASE,
                                  object_id=case.pk))
        items += [
            ArchivedItem(extract=extract, case=case, kind=ItemKind.DOCUMENT,
                         object_id=d.object_id, document=d.path.stem, path=d.relative,
                         sha256=d.sha256, size=d.size)
            for d in documents
        ]
        items += [ArchivedItem(extract=extract, case=case, kind=ItemKind.ENTRY, object_id=pk,
                               path=f"dokumenter/{case.pk}/opplysninger.pdf")
                  for pk in entry_ids]
        items += [ArchivedItem(extract=extract, case=case, kind=ItemKind.ENTRY_EXCLUDED,
                               object_id=pk) for pk in excluded_ids]
        items += [ArchivedItem(extract=extract, case=case,
                               kind=ItemKind.ATTACHMENT_NOT_CONVERTED, object_id=pk)
                  for pk in not_converted]
        audit_record(
            action=Action.LIFECYCLE_ARCHIVE_CASE, actor=actor, obj=case, persons=[case.person_id],
            purpose=Purpose.ARKIVERING, basis="arkivlova § 6",
            details={
                "extract": str(extract_id),
                "documents": [d.relative for d in documents],
                "sha256": [d.sha256 for d in documents],
                "entries": [str(pk) for pk in entry_ids],
                "entries_excluded": [str(pk) for pk in excluded_ids],
                "attachments_not_converted": [str(pk) for pk in not_converted],
            },
        )
    ArchivedItem.objects.bulk_create(items)
    audit_record(
        action=Action.LIFECYCLE_ARCHIVE_EXPORT, actor=actor, obj=extract,
        persons=[c.person_id for c in cases], purpose=Purpose.ARKIVERING, basis="arkivlova § 6",
        details={"cases": [str(c.pk) for c in cases], "zip_sha256": extract.zip_sha256,
                 "documents": extract.document_count},
    )
    return extract


def extract_download_record(*, actor: Actor, extract: ArchiveExtract) -> Path:
    """The zip of an extract for its bydel's leader, audited. (Admins and auditors see what an
    extract holds, never its contents.)"""
    if not is_archiving_leader(actor) or (
        actor.membership is None or actor.membership.agency.district_id != extract.district_id
    ):
        raise DomainError(_("Bare lederen i bydelen kan laste ned uttrekket."),
                          code="not_archiving_leader")
    path = archive_root() / extract.zip_name
    if not path.is_file():
        raise DomainError(_("Zip-filen finnes ikke lenger."), code="gone")
    case_ids = extract.items.filter(kind=ItemKind.CASE).values_list("case__person_id", flat=True)
    with transaction.atomic():
        audit_record(action=Action.LIFECYCLE_ARCHIVE_DOWNLOAD, actor=actor, obj=extract,
                     persons=list(case_ids), purpose=Purpose.ARKIVERING,
                     details={"zip_sha256": extract.zip_sha256})
    return path
