"""Writing and checking a delivery package (FGS) for the e-archive.

A package is a ZIP:

    mets.xml                      the METS document (archive/mets.py), listing every other file
    content/<table>.csv           the records of one kind, UTF-8 CSV with a header row
    content/<table>.json          the same records as a JSON array of objects
    schema/<table>.schema.json    a JSON Schema of each table: its columns, types and meanings
    documents/<name>.pdf          the summary reports as PDF/A
    package.txt                   what the package covers, in words

What goes in is a list of *contents*: `RecordTable`s (a query read with `.iterator()`, so the
worker's memory does not grow with the number of records) and `PackageDocument`s (a function
that writes one file). A new kind of content is one function that yields such contents, added to
CONTENT_FOR (see archive/contents.py): the records app's released documents, for instance, are
one function yielding a PackageDocument per released PDF.

Each file is written into the ZIP once, streamed, while its size and SHA-256 are counted; the
METS document is written last from those figures. `package_verify` checks a ZIP against its
METS document: every file listed and no other, sizes and checksums equal, and mets.xml valid
against the METS schema.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, BinaryIO

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from smeportal.core.file_values import csv_text, iso_value

from .mets import (
    METS_NS,
    XLINK_NS,
    PackageFile,
    PackageHeader,
    href_path,
    mets_document,
    mets_schema,
    parse_mets,
)

METS_NAME = "mets.xml"
CHUNK = 64 * 1024
# Rows read from the database per round trip while a table is streamed.
ITERATOR_CHUNK = 2000

JSON_TYPES = {
    "integer": {"type": "integer"},
    "number": {"type": "string", "description": "A decimal number written as text."},
    "string": {"type": "string"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "date-time": {"type": "string", "format": "date-time"},
}


@dataclass(frozen=True)
class Column:
    """One column of a table: the field it reads (a values_list path), its type and meaning."""

    name: str
    path: str
    type: str
    description: str
    nullable: bool = False


@dataclass(frozen=True)
class RecordTable:
    """Records of one kind: written as content/<name>.csv and .json with schema/<name>.schema.json.

    `rows` returns an iterator of tuples in the columns' order (a values_list(...).iterator()).
    `model_label` names the model whose ids (the first column) are recorded as delivered;
    None for link tables (an interview's interviewees).
    """

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[], Iterable[tuple]]
    model_label: str | None = None


@dataclass(frozen=True)
class PackageDocument:
    """One file written by a function, e.g. a report as PDF/A under documents/."""

    path: str
    mimetype: str
    write: Callable[[BinaryIO], None]
    title: str = ""
    # The record the file is, when it is one (a released document): marked as delivered.
    model_label: str | None = None
    object_id: int | None = None


@dataclass
class BuildResult:
    files: list[PackageFile] = field(default_factory=list)
    # (model label, object id) of every record the package holds, streamed to `on_record`.
    record_count: int = 0
    size: int = 0
    sha256: str = ""


class _Counting(io.RawIOBase):
    """A writable stream into a ZIP entry that counts the bytes and their SHA-256."""

    def __init__(self, target):
        self.target = target
        self.size = 0
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.target.write(data)
        self.size += len(data)
        self.digest.update(data)
        return len(data)


def _plain(value: Any) -> Any:
    """A value as JSON holds it: dates in ISO 8601, decimals as text."""
    if isinstance(value, Decimal):
        return str(value)
    return iso_value(value)


def _csv_value(value: Any) -> str:
    """A value as the CSV holds it; text a spreadsheet would run as a formula gets a leading
    apostrophe (the JSON file holds the text unchanged)."""
    return csv_text(_plain(value))


def table_schema(table: RecordTable) -> dict:
    """A JSON Schema (draft 2020-12) of one table: each column's type and meaning."""
    properties = {}
    for column in table.columns:
        described = {**JSON_TYPES[column.type]}
        described["description"] = column.description
        if column.nullable:
            described["type"] = [described["type"], "null"]
        properties[column.name] = described
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": table.title,
        "description": (
            f"content/{table.name}.json: a JSON array of objects, one per record. "
            f"content/{table.name}.csv: the same records, UTF-8 with a header row of the "
            "property names, comma-separated; an empty field is a missing value (null); "
            "booleans are written true/false; a text beginning with =, +, -, @, a tab or a "
            "carriage return is preceded by an apostrophe (') so that no spreadsheet runs it "
            "as a formula; the JSON holds such texts unchanged."
        ),
        "type": "array",
        "items": {
            "type": "object",
            "properties": properties,
            "required": [column.name for column in table.columns],
            "additionalProperties": False,
        },
    }


class PackageWriter:
    """Writes the files of one package into a ZIP, counting each, and finally mets.xml."""

    def __init__(self, target: BinaryIO, *, on_record: Callable[[str, int], None] | None = None):
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self.files: list[PackageFile] = []
        self.on_record = on_record
        self.record_count = 0

    def _entry(self, path: str, mimetype: str, write: Callable[[BinaryIO], None]) -> None:
        created = timezone.now()
        with self.zip.open(path, "w", force_zip64=True) as raw:
            counting = _Counting(raw)
            write(counting)
        self.files.append(
            PackageFile(
                path=path,
                mimetype=mimetype,
                size=counting.size,
                sha256=counting.digest.hexdigest(),
                created=created,
            )
        )

    def add_bytes(self, path: str, mimetype: str, data: bytes) -> None:
        self._entry(path, mimetype, lambda handle: handle.write(data))

    def add_document(self, document: PackageDocument) -> None:
        self._entry(document.path, document.mimetype, document.write)
        if document.model_label and self.on_record is not None:
            self.on_record(document.model_label, document.object_id)

    def add_table(self, table: RecordTable) -> int:
        """Write a table as CSV (recording the delivered ids) and JSON, and its schema."""
        names = [column.name for column in table.columns]
        count = 0

        def write_csv(handle):
            nonlocal count
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(names)
            for row in table.rows():
                writer.writerow([_csv_value(value) for value in row])
                count += 1
                if table.model_label and self.on_record is not None:
                    self.on_record(table.model_label, row[0])
            text.flush()
            text.detach()

        def write_json(handle):
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n", write_through=True)
            text.write("[")
            first = True
            for row in table.rows():
                record = {name: _plain(value) for name, value in zip(names, row, strict=True)}
                text.write("\n  " if first else ",\n  ")
                text.write(json.dumps(record, ensure_ascii=False))
                first = False
            text.write("\n]\n")
            text.flush()
            text.detach()

        self._entry(f"content/{table.name}.csv", "text/csv", write_csv)
        self._entry(f"content/{table.name}.json", "application/json", write_json)
        schema = json.dumps(table_schema(table), ensure_ascii=False, indent=2).encode()
        self.add_bytes(f"schema/{table.name}.schema.json", "application/schema+json", schema)
        if table.model_label:
            self.record_count += count
        return count

    def discard(self) -> None:
        """Close the ZIP after a failure (the caller throws the file away)."""
        try:
            self.zip.close()
        except (OSError, ValueError, zipfile.BadZipFile):
            pass

    def close(self, header: PackageHeader) -> list[PackageFile]:
        """Write mets.xml (listing every other file) and finish the ZIP."""
        files = list(self.files)
        with self.zip.open(METS_NAME, "w") as handle:
            handle.write(mets_document(header, files))
        self.zip.close()
        return files


# --- Verification -----------------------------------------------------------------------------


@dataclass
class Verification:
    """The outcome of checking a package: passed when there are no problems."""

    problems: list[str] = field(default_factory=list)
    checked_files: int = 0

    @property
    def passed(self) -> bool:
        return not self.problems

    def report(self) -> str:
        if self.passed:
            return _(
                "Passed: %(count)s files match mets.xml (sizes and SHA-256 checksums), no file "
                "is missing or unlisted, and mets.xml is valid METS."
            ) % {"count": self.checked_files}
        return "\n".join(self.problems)


def _digest_of(archive: zipfile.ZipFile, name: str) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(name) as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def package_verify_file(source: str | BinaryIO) -> Verification:
    """Check a package: mets.xml valid METS, every file in fileSec and vice versa, sizes and
    SHA-256 checksums equal. Each problem names the file it concerns."""
    result = Verification()
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        result.problems.append(
            _("The file is not a readable ZIP archive (%(error)s).") % {"error": error}
        )
        return result
    with archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        if METS_NAME not in names:
            result.problems.append(_("The package has no mets.xml."))
            return result
        try:
            tree = parse_mets(archive.read(METS_NAME))
        except etree.XMLSyntaxError as error:
            result.problems.append(
                _("mets.xml is not well-formed XML: %(error)s") % {"error": error}
            )
            return result
        schema = mets_schema()
        if not schema.validate(tree):
            for entry in list(schema.error_log)[:10]:
                result.problems.append(
                    _("mets.xml is not valid METS (line %(line)s): %(message)s")
                    % {"line": entry.line, "message": entry.message}
                )
        listed: dict[str, etree._Element] = {}
        for element in tree.iter(f"{{{METS_NS}}}file"):
            location = element.find(f"{{{METS_NS}}}FLocat")
            href = location.get(f"{{{XLINK_NS}}}href") if location is not None else None
            if not href:
                result.problems.append(
                    _("File %(id)s in mets.xml has no location.") % {"id": element.get("ID")}
                )
                continue
            listed[href_path(href)] = element
        present = set(names) - {METS_NAME}
        for missing in sorted(set(listed) - present):
            result.problems.append(
                _("%(name)s is listed in mets.xml but missing from the package.")
                % {"name": missing}
            )
        for extra in sorted(present - set(listed)):
            result.problems.append(
                _("%(name)s is in the package but not listed in mets.xml.") % {"name": extra}
            )
        for name in sorted(present & set(listed)):
            element = listed[name]
            size, digest = _digest_of(archive, name)
            result.checked_files += 1
            if element.get("CHECKSUMTYPE") != "SHA-256":
                result.problems.append(
                    _("%(name)s: mets.xml gives no SHA-256 checksum.") % {"name": name}
                )
            elif element.get("CHECKSUM", "").lower() != digest:
                result.problems.append(
                    _("%(name)s: the SHA-256 checksum does not match mets.xml.") % {"name": name}
                )
            if element.get("SIZE") != str(size):
                result.problems.append(
                    _("%(name)s: the size (%(size)s bytes) does not match mets.xml (%(listed)s).")
                    % {"name": name, "size": size, "listed": element.get("SIZE")}
                )
    return result


def iter_chunks(handle: BinaryIO) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK):
        yield chunk
