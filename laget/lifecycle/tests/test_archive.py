"""The Noark 5 extract: what is due, what leaves (and what does not), the files' checksums, PDF/A,
the XML against the shipped Noark 5 v5.0 schemas, and the audit events naming every id."""

import hashlib
import re
import zipfile
import zlib
from pathlib import Path

import pytest
from lxml import etree

from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.lifecycle import selectors, services
from laget.lifecycle.models import ArchivedItem, ItemKind
from laget.lifecycle.noark import SCHEMA_DIR
from laget.sharing.archive import archive_entries_for

from .conftest import CLOSED

pytestmark = pytest.mark.django_db

N5 = "{http://www.arkivverket.no/standarder/noark5/arkivstruktur}"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _build(scene):
    with clock.frozen(scene.later):
        return services.archive_extract_build(actor=scene.leader)


def test_a_closed_case_is_due_only_after_the_set_days(scene):
    with clock.frozen(CLOSED):
        assert list(selectors.cases_due_for(actor=scene.leader)) == []
    with clock.frozen(scene.later):
        assert list(selectors.cases_due_for(actor=scene.leader)) == [scene.case]
        # the coordinator does not archive; nor does the police
        assert list(selectors.cases_due_for(actor=scene.coordinator)) == []
        assert list(selectors.cases_due_for(actor=scene.police)) == []


def test_only_the_bydel_leader_builds_and_only_what_is_due(scene):
    with clock.frozen(CLOSED), pytest.raises(DomainError) as refused:
        services.archive_extract_build(actor=scene.leader)
    assert refused.value.code == "nothing_due"
    with clock.frozen(scene.later), pytest.raises(DomainError) as refused:
        services.archive_extract_build(actor=scene.coordinator)
    assert refused.value.code == "not_archiving_leader"
    root = services.archive_root()
    assert not root.exists() or not any(root.iterdir())


def test_the_archive_path_refuses_an_open_case_and_other_roles(scene):
    with pytest.raises(NotFound):
        archive_entries_for(actor=scene.coordinator, case=scene.case)
    scene.case.status = "active"
    with pytest.raises(NotFound):
        archive_entries_for(actor=scene.leader, case=scene.case)


def test_the_extract_holds_the_bydels_record_and_lists_exactly_what_left(scene):
    extract = _build(scene)
    directory = Path(extract.directory)
    names = sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())
    folder = f"dokumenter/{scene.case.pk}"
    assert names == sorted([
        "arkivstruktur.xml", "endringslogg.xml", "arkivstruktur.xsd", "metadatakatalog.xsd",
        "endringslogg.xsd", "arkivuttrekk.xml", "addml.xsd", "sjekksummer.sha256",
        f"{folder}/saksforlop.pdf", f"{folder}/motereferat-001.pdf", f"{folder}/opplysninger.pdf",
    ])
    items = {(i.kind, i.object_id) for i in ArchivedItem.objects.filter(extract=extract)}
    own = {e.pk for e in scene.own_entries}
    assert {pk for kind, pk in items if kind == ItemKind.ENTRY} == own
    # The police's entry did not leave with the bydel's archive: listed by id as left out.
    assert {pk for kind, pk in items if kind == ItemKind.ENTRY_EXCLUDED} == {scene.police_entry.pk}
    assert (ItemKind.CASE, scene.case.pk) in items
    # The case is no longer due.
    with clock.frozen(scene.later):
        assert list(selectors.cases_due_for(actor=scene.leader)) == []

    # Every document's checksum and size in the database and the XML match the file.
    documents = ArchivedItem.objects.filter(extract=extract, kind=ItemKind.DOCUMENT)
    assert documents.count() == 3 == extract.document_count
    xml = (directory / "arkivstruktur.xml").read_text(encoding="utf-8")
    for item in documents:
        path = directory / item.path
        assert item.sha256 == _sha(path) and item.size == path.stat().st_size
        assert f"<referanseDokumentfil>{item.path}</referanseDokumentfil>" in xml
        assert f"<sjekksum>{item.sha256}</sjekksum>" in xml
    manifest = (directory / "sjekksummer.sha256").read_text(encoding="utf-8").splitlines()
    for line in manifest:
        digest, name = line.split("  ", 1)
        assert _sha(directory / name) == digest
    assert extract.zip_sha256 == _sha(services.archive_root() / extract.zip_name)
    with zipfile.ZipFile(services.archive_root() / extract.zip_name) as archive:
        assert len(archive.namelist()) == len(names)

    # The bydel's own text is in the archive; the police's is not, anywhere.
    from tests.pdf import pdf_text
    entries_text = pdf_text((directory / folder / "opplysninger.pdf").read_bytes())
    assert "Fravær fra skolen i januar (rettet)." in entries_text
    assert "1 opplysning" in entries_text
    for path in directory.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".pdf":
                data = pdf_text(data).encode()
            assert b"POLITIETS-OPPLYSNING" not in data
    minutes = pdf_text((directory / folder / "motereferat-001.pdf").read_bytes())
    assert "Vi ble enige om leksehjelp." in minutes and "Leksehjelp fra februar." in minutes
    course = pdf_text((directory / folder / "saksforlop.pdf").read_bytes())
    assert "Målene er nådd." in course and "Leksehjelp to dager i uka" in course


def test_one_audit_event_per_case_names_every_id_that_left(scene):
    extract = _build(scene)
    events = AuditEvent.objects.filter(action="lifecycle.archive_case")
    assert events.count() == 1
    details = events.get().details
    assert set(details["entries"]) == {str(e.pk) for e in scene.own_entries}
    assert details["entries_excluded"] == [str(scene.police_entry.pk)]
    documents = ArchivedItem.objects.filter(extract=extract, kind=ItemKind.DOCUMENT)
    assert set(zip(details["documents"], details["sha256"], strict=True)) == {
        (i.path, i.sha256) for i in documents}
    export = AuditEvent.objects.get(action="lifecycle.archive_export")
    assert export.details["cases"] == [str(scene.case.pk)]
    assert export.details["zip_sha256"] == extract.zip_sha256


def _pdfa_part(data: bytes) -> str | None:
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            body = zlib.decompress(match.group(1))
        except zlib.error:
            body = match.group(1)
        found = re.search(rb'pdfaid:part[=>"\s]+(\d)', body)
        if found:
            conformance = re.search(rb'pdfaid:conformance[=>"\s]+([AB])', body)
            return found.group(1).decode() + (conformance.group(1).decode() if conformance else "")
    return None


def test_the_documents_claim_pdfa_2b(scene):
    extract = _build(scene)
    for item in ArchivedItem.objects.filter(extract=extract, kind=ItemKind.DOCUMENT):
        assert _pdfa_part((Path(extract.directory) / item.path).read_bytes()) == "2B"


def test_the_extract_validates_against_the_noark5_schemas(scene):
    extract = _build(scene)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "laget" / "validering.xsd")))
    for name in ("arkivstruktur.xml", "endringslogg.xml"):
        document = etree.parse(str(Path(extract.directory) / name))
        assert schema.validate(document), (name, str(schema.error_log))
    addml = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "addml" / "v8.3" / "addml.xsd")))
    description = etree.parse(str(Path(extract.directory) / "arkivuttrekk.xml"))
    assert addml.validate(description), str(addml.error_log)
    # the description's checksums are those of the files it names
    ns = {"a": "http://www.arkivverket.no/standarder/addml"}
    named = description.xpath(
        "//a:property[@name='file' or @name='schema']/a:properties", namespaces=ns)
    assert len(named) == 5
    for props in named:
        name = props.xpath("a:property[@name='name']/a:value/text()", namespaces=ns)[0]
        value = props.xpath(".//a:property[@name='value']/a:value/text()", namespaces=ns)[0]
        assert value == _sha(Path(extract.directory) / name)
    tree = etree.parse(str(Path(extract.directory) / "arkivstruktur.xml"))
    assert tree.findtext(f".//{N5}mappe/{N5}systemID") == str(scene.case.pk)
    assert len(tree.findall(f".//{N5}registrering")) == 3
    # a broken document does not validate: the schemas are really applied
    tree.find(f".//{N5}dokumentobjekt/{N5}sjekksumAlgoritme").tag = f"{N5}feil"
    assert not schema.validate(tree)


def test_the_shipped_schemas_are_the_published_ones():
    # The files as retrieved (data/noark5/README.md); a changed byte fails here.
    expected = {
        "arkivstruktur.xsd": "25c433136a991dacf6328be8471ac82910dbc941ff1e6b619bf6fb57bc7f3e66",
        "metadatakatalog.xsd": "93c3c60b1f4282e7f65ff7a6d47233314b1213db3a1f158c1c6f75713c97bce7",
        "endringslogg.xsd": "253a3dfad12b39729593703c9008b3a10f5f3e6ed2410aa187f3e935aba3997a",
    }
    assert {name: _sha(SCHEMA_DIR / "v5.0" / name) for name in expected} == expected
    assert _sha(SCHEMA_DIR / "addml" / "v8.3" / "addml.xsd") == (
        "ffe4914371d6647bf5580c5b23714e8e2c2d0632082a6a907183836712fd555c")


def test_attachments_go_as_pdfa_vedlegg_or_are_listed_as_not_converted(scene, settings, tmp_path):
    """An image and a text file become PDF/A «vedlegg» to the entries' document; a PDF cannot be
    made PDF/A here, so it stays out and is named (entries' document, ArchivedItem, audit)."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from laget.records.access import entries_opened
    from laget.records.models import EntryAttachment
    from tests.pdf import pdf_text

    settings.MEDIA_ROOT = tmp_path / "media"
    picture = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(picture, format="PNG")
    files = [("tegning.png", "image/png", picture.getvalue()),
             ("notat.txt", "text/plain", b"VEDLEGGSTEKST om leksehjelp."),
             ("skjema.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n")]
    entry = scene.own_entries[0]
    with entries_opened():
        made = [EntryAttachment.objects.create(
            entry=entry, file=ContentFile(data, name=name), name=name, content_type=kind,
            size=len(data), sha256=EntryAttachment.digest(data)) for name, kind, data in files]
    extract = _build(scene)
    directory = Path(extract.directory)
    folder = directory / f"dokumenter/{scene.case.pk}"
    assert sorted(p.name for p in folder.glob("vedlegg-*.pdf")) == ["vedlegg-001.pdf",
                                                                    "vedlegg-002.pdf"]
    for path in folder.glob("vedlegg-*.pdf"):
        assert _pdfa_part(path.read_bytes()) == "2B"
    texts = [pdf_text(p.read_bytes()) for p in sorted(folder.glob("vedlegg-*.pdf"))]
    assert any("VEDLEGGSTEKST om leksehjelp." in t for t in texts)
    assert any("tegning.png" in t for t in texts)
    entries_text = pdf_text((folder / "opplysninger.pdf").read_bytes())
    assert "skjema.pdf" in entries_text and made[2].sha256 in entries_text.replace("\n", "")
    # in the XML: the entries' journalpost has a Hoveddokument and two Vedlegg, and validates
    schema = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "laget" / "validering.xsd")))
    tree = etree.parse(str(directory / "arkivstruktur.xml"))
    assert schema.validate(tree), str(schema.error_log)
    roles = [e.text for e in tree.iter(f"{N5}tilknyttetRegistreringSom")]
    assert roles.count("Vedlegg") == 2 and roles.count("Hoveddokument") == 3
    items = ArchivedItem.objects.filter(extract=extract)
    assert items.filter(kind=ItemKind.DOCUMENT).count() == 5 == extract.document_count
    assert list(items.filter(kind=ItemKind.ATTACHMENT_NOT_CONVERTED).values_list(
        "object_id", flat=True)) == [made[2].pk]
    event = AuditEvent.objects.get(action="lifecycle.archive_case")
    assert event.details["attachments_not_converted"] == [str(made[2].pk)]
