"""The files of a dataset, written as a stream of byte chunks (memory stays flat).

CSV: UTF-8 with a byte order mark, so that Excel reads å, ä and ö; a comma between fields and a
point as the decimal sign (machine-readable first: what programs and the data portal expect),
fields quoted as RFC 4180 says, lines ended by CRLF. The header row holds the columns' machine
keys. An empty field is a missing value, several ids in one field are separated by "|". A text
that a spreadsheet would run as a formula (it begins with =, +, -, @, a tab or a carriage
return) gets a leading apostrophe, as the portal's other files do (archive.package); numbers
are written as they are.

JSON: {"dataset", "licence", "language", "modified", "rows": [...]}: the rows as objects with
the same keys, texts unchanged, numbers as numbers, dates as ISO 8601, id lists as arrays.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from smeportal.core.file_values import csv_text, iso_value

from .datasets import Dataset

BOM = "\ufeff"
IDS_SEPARATOR = "|"
# Bytes gathered before a chunk is handed to the server.
CHUNK_BYTES = 64 * 1024


def json_value(value: Any) -> Any:
    """A value as the JSON file holds it."""
    if isinstance(value, Decimal):
        # Twelve digits at most (the models' max_digits): a float holds them exactly.
        return float(value)
    return iso_value(value)


def csv_value(value: Any) -> str:
    """A value as the CSV file holds it (see the module's docstring): numbers as they are
    stored ("3.40"), id lists joined, everything else as the portal's files write it."""
    if isinstance(value, list):
        return IDS_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    return csv_text(json_value(value))


def csv_chunks(dataset: Dataset, language: str) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(dataset.keys)
    keys = dataset.keys
    for row in dataset.rows(language):
        writer.writerow([csv_value(row[key]) for key in keys])
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def json_chunks(
    dataset: Dataset, *, language: str, licence: str, modified: datetime
) -> Iterator[bytes]:
    head = {
        "dataset": dataset.slug,
        "licence": licence,
        "language": language,
        "modified": json_value(modified),
    }
    buffer = io.StringIO()
    # The head's keys, then the rows' array, written as it is read.
    buffer.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": [')
    keys = dataset.keys
    separator = "\n"
    for row in dataset.rows(language):
        buffer.write(separator)
        buffer.write(json.dumps({key: json_value(row[key]) for key in keys}, ensure_ascii=False))
        separator = ",\n"
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    buffer.write("\n]}\n")
    yield buffer.getvalue().encode()
