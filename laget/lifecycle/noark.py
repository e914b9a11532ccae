"""Noark 5 v5.0 XML for an archive extract: `arkivstruktur.xml` (arkiv → arkivdel → saksmappe →
journalpost → dokumentbeskrivelse → dokumentobjekt) and `endringslogg.xml` (each case's status
changes as changes to M052 saksstatus). Element order follows the schemas shipped in
data/noark5/v5.0 (docs/ARCHIVE.md has the mapping); tests validate the output against them.

Written with the standard library's ElementTree, streamed to the file."""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from laget.lifecycle.documents import PDF_FORMAT, RenderedDocument

N5_ARKIVSTRUKTUR = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
N5_ENDRINGSLOGG = "http://www.arkivverket.no/standarder/noark5/endringslogg"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "data" / "noark5"

#: the case status in Laget → M052 saksstatus
SAKSSTATUS = {"assessment": "Under behandling", "active": "Under behandling",
              "closing": "Under behandling", "closed": "Avsluttet"}


@dataclass
class Journalpost:
    document: RenderedDocument
    number: int  # journalpostnummer within the folder
    sequence: int  # journalsekvensnummer within the extract
    #: the main document's attachments (dokumentnummer 2, 3, …, «Vedlegg»)
    attachments: list[RenderedDocument] = field(default_factory=list)


@dataclass
class Saksmappe:
    case_id: uuid.UUID
    year: int
    sequence: int
    opened_at: dt.datetime
    opened_by: str
    closed_at: dt.datetime
    closed_by: str
    responsible: str
    part_name: str
    journalposter: list[Journalpost] = field(default_factory=list)


@dataclass(frozen=True)
class StatusChange:
    case_id: uuid.UUID
    at: dt.datetime
    by: str
    before: str
    after: str


@dataclass(frozen=True)
class ExtractHeader:
    extract_id: uuid.UUID
    created_at: dt.datetime
    created_by: str
    agency_id: uuid.UUID
    agency_name: str
    district_name: str
    period_start: dt.date
    period_end: dt.date


def _when(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def _add(parent: ET.Element, tag: str, text: object) -> ET.Element:
    child = ET.SubElement(parent, tag)
    child.text = str(text)
    return child


def arkivstruktur_tree(header: ExtractHeader, folders: list[Saksmappe]) -> ET.ElementTree:
    created, by = _when(header.created_at), header.created_by
    arkiv = ET.Element("arkiv", {"xmlns": N5_ARKIVSTRUKTUR, "xmlns:xsi": XSI})
    _add(arkiv, "systemID", header.extract_id)
    _add(arkiv, "tittel", f"Laget – SaLTo-saker, {header.agency_name}")
    _add(arkiv, "beskrivelse",
         "Avsluttede SaLTo-saker fra Laget, samhandlingsløsningen for SaLTo i Oslo kommune.")
    _add(arkiv, "dokumentmedium", "Elektronisk arkiv")
    _add(arkiv, "opprettetDato", created)
    _add(arkiv, "opprettetAv", by)
    _add(arkiv, "avsluttetDato", created)
    _add(arkiv, "avsluttetAv", by)
    skaper = ET.SubElement(arkiv, "arkivskaper")
    _add(skaper, "arkivskaperID", header.agency_id)
    _add(skaper, "arkivskaperNavn", header.agency_name)

    arkivdel = ET.SubElement(arkiv, "arkivdel")
    _add(arkivdel, "systemID", uuid.uuid5(header.extract_id, "arkivdel"))
    _add(arkivdel, "tittel", f"SaLTo-saker avsluttet {header.period_start:%d.%m.%Y}–"
                             f"{header.period_end:%d.%m.%Y}, bydel {header.district_name}")
    _add(arkivdel, "arkivdelstatus", "Avsluttet periode")
    _add(arkivdel, "dokumentmedium", "Elektronisk arkiv")
    _add(arkivdel, "opprettetDato", created)
    _add(arkivdel, "opprettetAv", by)
    _add(arkivdel, "avsluttetDato", created)
    _add(arkivdel, "avsluttetAv", by)
    _add(arkivdel, "arkivperiodeStartDato", header.period_start.isoformat())
    _add(arkivdel, "arkivperiodeSluttDato", header.period_end.isoformat())

    for folder in folders:
        mappe = ET.SubElement(arkivdel, "mappe", {"xsi:type": "saksmappe"})
        _add(mappe, "systemID", folder.case_id)
        _add(mappe, "mappeID", f"{folder.year}/{folder.sequence}")
        _add(mappe, "tittel", f"SaLTo-sak {folder.year}/{folder.sequence}")
        _add(mappe, "dokumentmedium", "Elektronisk arkiv")
        _add(mappe, "opprettetDato", _when(folder.opened_at))
        _add(mappe, "opprettetAv", folder.opened_by)
        _add(mappe, "avsluttetDato", _when(folder.closed_at))
        _add(mappe, "avsluttetAv", folder.closed_by)
        part = ET.SubElement(mappe, "part")
        _add(part, "partNavn", folder.part_name)
        _add(part, "partRolle", "Sakens part (den unge)")
        skjerming = ET.SubElement(mappe, "skjerming")
        _add(skjerming, "tilgangsrestriksjon", "Unntatt offentlighet")
        _add(skjerming, "skjermingshjemmel", "Offl. § 13, jf. fvl. § 13")
        _add(skjerming, "skjermingMetadata", "Skjerming navn part i sak")
        for post in folder.journalposter:
            _journalpost(mappe, post, header)
        _add(mappe, "saksaar", folder.year)
        _add(mappe, "sakssekvensnummer", folder.sequence)
        _add(mappe, "saksdato", folder.opened_at.date().isoformat())
        _add(mappe, "administrativEnhet", header.agency_name)
        _add(mappe, "saksansvarlig", folder.responsible)
        _add(mappe, "saksstatus", "Avsluttet")
    tree = ET.ElementTree(arkiv)
    ET.indent(tree)
    return tree


def _journalpost(mappe: ET.Element, post: Journalpost, header: ExtractHeader) -> None:
    doc = post.document
    created, archived = _when(doc.created_at), _when(header.created_at)
    reg = ET.SubElement(mappe, "registrering", {"xsi:type": "journalpost"})
    _add(reg, "systemID", uuid.uuid5(header.extract_id, f"registrering:{doc.relative}"))
    _add(reg, "opprettetDato", created)
    _add(reg, "opprettetAv", doc.created_by)
    _add(reg, "arkivertDato", archived)
    _add(reg, "arkivertAv", header.created_by)
    _dokumentbeskrivelse(reg, doc, header, number=1, role="Hoveddokument")
    for number, attachment in enumerate(post.attachments, start=2):
        _dokumentbeskrivelse(reg, attachment, header, number=number, role="Vedlegg")
    _add(reg, "tittel", doc.title)
    korrespondansepart = ET.SubElement(reg, "korrespondansepart")
    _add(korrespondansepart, "korrespondanseparttype", "Intern avsender")
    _add(korrespondansepart, "korrespondansepartNavn", header.agency_name)
    _add(reg, "journalaar", doc.created_at.year)
    _add(reg, "journalsekvensnummer", post.sequence)
    _add(reg, "journalpostnummer", post.number)
    _add(reg, "journalposttype", "Organinternt dokument uten oppfølging")
    _add(reg, "journalstatus", "Arkivert")
    _add(reg, "journaldato", doc.created_at.date().isoformat())


def _dokumentbeskrivelse(reg: ET.Element, doc: RenderedDocument, header: ExtractHeader, *,
                         number: int, role: str) -> None:
    created, archived = _when(doc.created_at), _when(header.created_at)
    beskrivelse = ET.SubElement(reg, "dokumentbeskrivelse")
    _add(beskrivelse, "systemID", uuid.uuid5(header.extract_id, f"dokument:{doc.relative}"))
    _add(beskrivelse, "dokumenttype", "Saksdokument")
    _add(beskrivelse, "dokumentstatus", "Dokumentet er ferdigstilt")
    _add(beskrivelse, "tittel", doc.title)
    _add(beskrivelse, "opprettetDato", created)
    _add(beskrivelse, "opprettetAv", doc.created_by)
    _add(beskrivelse, "tilknyttetRegistreringSom", role)
    _add(beskrivelse, "dokumentnummer", number)
    _add(beskrivelse, "tilknyttetDato", archived)
    _add(beskrivelse, "tilknyttetAv", header.created_by)
    objekt = ET.SubElement(beskrivelse, "dokumentobjekt")
    _add(objekt, "systemID", uuid.uuid5(header.extract_id, f"objekt:{doc.relative}"))
    _add(objekt, "versjonsnummer", 1)
    _add(objekt, "variantformat", "Arkivformat")
    _add(objekt, "format", PDF_FORMAT)
    _add(objekt, "opprettetDato", archived)
    _add(objekt, "opprettetAv", header.created_by)
    _add(objekt, "referanseDokumentfil", doc.relative)
    _add(objekt, "sjekksum", doc.sha256)
    _add(objekt, "sjekksumAlgoritme", "SHA256")
    _add(objekt, "filstoerrelse", doc.size)


def endringslogg_tree(changes: list[StatusChange]) -> ET.ElementTree:
    root = ET.Element("endringslogg", {"xmlns": N5_ENDRINGSLOGG})
    for change in changes:
        endring = ET.SubElement(root, "endring")
        _add(endring, "referanseArkivenhet", change.case_id)
        _add(endring, "referanseMetadata", "saksstatus")
        _add(endring, "endretDato", _when(change.at))
        _add(endring, "endretAv", change.by)
        _add(endring, "tidligereVerdi", change.before)
        _add(endring, "nyVerdi", change.after)
    tree = ET.ElementTree(root)
    ET.indent(tree)
    return tree


def write_xml(tree: ET.ElementTree, path: Path) -> None:
    tree.write(path, encoding="utf-8", xml_declaration=True)


ADDML = "http://www.arkivverket.no/standarder/addml"


def _property(parent: ET.Element, name: str, value: object | None = None) -> ET.Element:
    prop = ET.SubElement(parent, "property", {"name": name})
    if value is not None:
        _add(prop, "value", value)
    return prop


def _properties(parent: ET.Element) -> ET.Element:
    return ET.SubElement(parent, "properties")


def _file(parent: ET.Element, kind: str, name: str, sha256: str) -> None:
    entry = _property(parent, kind)
    props = _properties(entry)
    _property(props, "name", name)
    checksum = _property(props, "checksum")
    checksum_props = _properties(checksum)
    _property(checksum_props, "algorithm", "SHA256")
    _property(checksum_props, "value", sha256)


def arkivuttrekk_tree(
    header: ExtractHeader, files: dict[str, str], counts: dict[str, int]
) -> ET.ElementTree:
    """The extract's description (ADDML 8.3): who made it, the period, and each XML file with
    its schema and their SHA-256 checksums, and the number of folders, records and document
    objects in arkivstruktur.xml. `files` maps a file name in the extract to its checksum."""
    root = ET.Element("addml", {"xmlns": ADDML})
    dataset = ET.SubElement(root, "dataset")
    reference = ET.SubElement(dataset, "reference")
    context = ET.SubElement(reference, "context")
    elements = ET.SubElement(context, "additionalElements")
    creators = ET.SubElement(elements, "additionalElement", {"name": "recordCreators"})
    creator_list = ET.SubElement(creators, "additionalElements")
    creator = ET.SubElement(creator_list, "additionalElement", {"name": "recordCreator"})
    creator_props = _properties(creator)
    _property(creator_props, "name", header.agency_name)
    _property(creator_props, "id", header.agency_id)
    for name, value in (("systemType", "Noark5"), ("systemName", "Laget"),
                        ("creator", header.created_by),
                        ("creationDate", _when(header.created_at))):
        element = ET.SubElement(elements, "additionalElement", {"name": name})
        _add(element, "value", value)
    content = ET.SubElement(reference, "content")
    content_elements = ET.SubElement(content, "additionalElements")
    period = ET.SubElement(content_elements, "additionalElement", {"name": "archivalPeriod"})
    period_props = _properties(period)
    _property(period_props, "startDate", header.period_start.isoformat())
    _property(period_props, "endDate", header.period_end.isoformat())

    objects = ET.SubElement(dataset, "dataObjects")
    extract = ET.SubElement(objects, "dataObject", {"name": "Noark 5 arkivuttrekk"})
    info = _property(_properties(extract), "info")
    info_props = _properties(info)
    _property(info_props, "type", "Noark 5")
    _property(info_props, "version", "v5.0")
    _property(info_props, "id", header.extract_id)
    children = ET.SubElement(extract, "dataObjects")
    for name in ("arkivstruktur", "endringslogg"):
        child = ET.SubElement(children, "dataObject", {"name": name})
        props = _properties(child)
        _file(props, "file", f"{name}.xml", files[f"{name}.xml"])
        _file(props, "schema", f"{name}.xsd", files[f"{name}.xsd"])
        if name == "arkivstruktur":
            _file(props, "schema", "metadatakatalog.xsd", files["metadatakatalog.xsd"])
            occurrences = _property(props, "numberOfOccurrences")
            occurrence_props = _properties(occurrences)
            for element, count in counts.items():
                _property(occurrence_props, element, count)
    tree = ET.ElementTree(root)
    ET.indent(tree)
    return tree
