"""The METS document of a delivery package, after Riksarkivet's FGS Paketstruktur (CSPackage).

`mets_document(...)` writes `mets.xml` with lxml: the root's PROFILE names the FGS package
profile; `metsHdr` says when it was made, that it is a new package (RECORDSTATUS="NEW"), who
holds the archive (ARCHIVIST, Eskilstuna kommun), who made the records (CREATOR) and the
software that made the package (OTHER/SOFTWARE, the portal and its version), and carries the
submission agreement (leveransöverenskommelse) and the package type as `altRecordID`s;
`fileSec` lists every other file of the package with its size, time, SHA-256 checksum and
place; `structMap` groups them as the package's folders do.

What FGS adds beyond METS itself in its own extension schema (`ext:OAISTYPE` and the like) is
left out, so that the document is valid against the METS schema alone, which is kept in
`archive/schemas/` and read without fetching anything (`mets_schema()`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lxml import etree

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {None: METS_NS, "xlink": XLINK_NS, "xsi": XSI_NS}
FGS_PROFILE = "http://xml.ra.se/e-arkiv/METS/CommonSpecificationSwedenPackageProfile.xml"
FGS_SCHEMA_LOCATION = "http://www.loc.gov/METS/ http://xml.ra.se/e-arkiv/METS/CSPackageMETS.xsd"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
XLINK_REMOTE = "http://www.loc.gov/standards/xlink/xlink.xsd"


@dataclass(frozen=True)
class PackageFile:
    """One file of the package as fileSec lists it."""

    path: str  # inside the ZIP, e.g. "content/interviews.csv"
    mimetype: str
    size: int
    sha256: str
    created: datetime


@dataclass(frozen=True)
class PackageHeader:
    object_id: str  # "UUID:…"
    label: str
    created: datetime
    archivist: str
    archivist_id: str
    creator: str
    software: str
    software_version: str
    submission_agreement: str
    package_type: str = "SIP"


def _m(tag: str) -> str:
    return f"{{{METS_NS}}}{tag}"


def _time(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat()


def _file_id(index: int) -> str:
    return f"ID{index:06d}"


def mets_document(header: PackageHeader, files: Iterable[PackageFile]) -> bytes:
    """mets.xml for a package holding `files` (every file of the package but mets.xml)."""
    files = list(files)
    root = etree.Element(
        _m("mets"),
        nsmap=NSMAP,
        attrib={
            "OBJID": header.object_id,
            "LABEL": header.label,
            "TYPE": "OTHER",
            "PROFILE": FGS_PROFILE,
            f"{{{XSI_NS}}}schemaLocation": FGS_SCHEMA_LOCATION,
        },
    )
    head = etree.SubElement(
        root,
        _m("metsHdr"),
        CREATEDATE=_time(header.created),
        RECORDSTATUS="NEW",
    )
    archivist = etree.SubElement(head, _m("agent"), ROLE="ARCHIVIST", TYPE="ORGANIZATION")
    etree.SubElement(archivist, _m("name")).text = header.archivist
    if header.archivist_id:
        etree.SubElement(archivist, _m("note")).text = header.archivist_id
    creator = etree.SubElement(head, _m("agent"), ROLE="CREATOR", TYPE="ORGANIZATION")
    etree.SubElement(creator, _m("name")).text = header.creator
    software = etree.SubElement(
        head, _m("agent"), ROLE="OTHER", OTHERROLE="PRODUCER", TYPE="OTHER", OTHERTYPE="SOFTWARE"
    )
    etree.SubElement(software, _m("name")).text = header.software
    etree.SubElement(software, _m("note")).text = header.software_version
    agreement = etree.SubElement(head, _m("altRecordID"), TYPE="SUBMISSIONAGREEMENT")
    agreement.text = header.submission_agreement
    etree.SubElement(head, _m("altRecordID"), TYPE="PACKAGETYPE").text = header.package_type

    file_sec = etree.SubElement(root, _m("fileSec"))
    group = etree.SubElement(file_sec, _m("fileGrp"), ID="FILEGROUP", USE="FILES")
    for index, package_file in enumerate(files, start=1):
        element = etree.SubElement(
            group,
            _m("file"),
            ID=_file_id(index),
            MIMETYPE=package_file.mimetype,
            SIZE=str(package_file.size),
            CREATED=_time(package_file.created),
            CHECKSUM=package_file.sha256,
            CHECKSUMTYPE="SHA-256",
        )
        etree.SubElement(
            element,
            _m("FLocat"),
            LOCTYPE="URL",
            attrib={
                f"{{{XLINK_NS}}}type": "simple",
                f"{{{XLINK_NS}}}href": f"file:///{package_file.path}",
            },
        )

    struct_map = etree.SubElement(root, _m("structMap"), TYPE="physical", LABEL="Paketstruktur")
    package_div = etree.SubElement(struct_map, _m("div"), LABEL=header.label or "Paket")
    folders: dict[str, etree._Element] = {}
    for index, package_file in enumerate(files, start=1):
        folder = package_file.path.rsplit("/", 1)[0] if "/" in package_file.path else ""
        if folder not in folders:
            folders[folder] = etree.SubElement(package_div, _m("div"), LABEL=folder or "/")
        etree.SubElement(folders[folder], _m("fptr"), FILEID=_file_id(index))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def href_path(href: str) -> str:
    """The path inside the package that an FLocat's xlink:href names."""
    for prefix in ("file:///", "file:"):
        if href.startswith(prefix):
            return href[len(prefix) :]
    return href


class _LocalSchemas(etree.Resolver):
    """Reads the XLink schema that mets.xsd imports from here, never from the network."""

    def resolve(self, url, public_id, context):
        if url == XLINK_REMOTE or url.endswith("/xlink.xsd"):
            return self.resolve_filename(str(SCHEMA_DIR / "xlink.xsd"), context)
        return None


@functools.cache
def mets_schema() -> etree.XMLSchema:
    """The METS 1.12.1 schema, with its XLink import resolved locally (no network access)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalSchemas())
    document = etree.parse(str(SCHEMA_DIR / "mets.xsd"), parser)
    return etree.XMLSchema(document)


def parse_mets(data: bytes) -> etree._ElementTree:
    """Parse a mets.xml safely: no entities, no network, no DTD loading."""
    parser = etree.XMLParser(
        no_network=True, resolve_entities=False, load_dtd=False, huge_tree=False
    )
    return etree.ElementTree(etree.fromstring(data, parser))
