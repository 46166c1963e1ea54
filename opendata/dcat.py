"""The DCAT-AP-SE description of the open datasets, as JSON-LD, for the national data portal.

One dcat:Catalog (identified by the description's own address, the address to harvest) with
its datasets, each with a CSV and a JSON distribution, and the open API as a dcat:DataService.
The portal harvests over HTTP and wants no blank nodes for the catalog, its datasets,
distributions, publisher and contact: each has an address of its own, a fragment of the
description's address (a dataset's landing page is its row on the open data page). The publisher is identified as the data portal asks, by organisation number
(http://dataportal.se/organisation/SE<number>). Free texts are given in Swedish and English,
language-tagged. The @context is inline: a harvester needs nothing else to read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from .datasets import Dataset
from .models import OpenDataSettings
from .versions import Version

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU = "http://publications.europa.eu/resource/authority"
THEMES = (f"{EU}/data-theme/ECON", f"{EU}/data-theme/GOVE")
# The data changes when staff publish something or a new summary is made: no fixed rhythm.
FREQUENCY = f"{EU}/frequency/IRREG"
LANGUAGE = f"{EU}/language/SWE"
PUBLIC_ACCESS = f"{EU}/access-right/PUBLIC"
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/LocalAuthority"
# (file type authority, IANA media type, the file's name for people)
FORMATS = {
    "csv": (f"{EU}/file-type/CSV", "https://www.iana.org/assignments/media-types/text/csv", "CSV"),
    "json": (
        f"{EU}/file-type/JSON",
        "https://www.iana.org/assignments/media-types/application/json",
        "JSON",
    ),
}

CATALOG_TITLE = {
    "sv": "Öppna data från företagsdialogen",
    "en": "Open data from the SME dialogue",
}
CATALOG_DESCRIPTION = {
    "sv": (
        "Vad Eskilstuna kommuns dialog med små och medelstora företag ledde till: de "
        "prioriterade områdena med sammanräknade intervjusvar, och de förslag, aktiviteter, mål, "
        "mätetal, mätningar och framgångar som kommunen har publicerat."
    ),
    "en": (
        "What Eskilstuna municipality's dialogue with small and medium-sized enterprises led "
        "to: the priority areas with the interviews' findings in aggregate, and the proposals, "
        "activities, goals, indicators, measurements and successes the municipality has "
        "published."
    ),
}
API_TITLE = {
    "sv": "Öppet API för företagsdialogens publicerade data",
    "en": "Open API of the SME dialogue's published data",
}
API_DESCRIPTION = {
    "sv": "Samma publicerade data som filerna, som JSON, sida för sida. Beskrivs med OpenAPI.",
    "en": "The same published data as the files, as JSON, page by page. Described with OpenAPI.",
}


@dataclass(frozen=True)
class Addresses:
    """The absolute addresses the description names (built from the request)."""

    description: str  # this description: the catalog's identifier, the address to harvest
    page: str  # the open data page
    file: Callable[[str, str], str]  # (slug, format) -> the file's address
    api_endpoint: str
    api_schema: str
    api_docs: str


def _texts(texts: dict[str, str]) -> list[dict]:
    return [{"@value": text, "@language": language} for language, text in texts.items()]


def _iri(address: str) -> dict:
    return {"@id": address}


def _when(moment: datetime) -> dict:
    return {"@value": timezone.localtime(moment).isoformat(), "@type": "xsd:dateTime"}


def dcat_document(
    *,
    datasets: Iterable[Dataset],
    versions: dict[str, Version],
    settings: OpenDataSettings,
    addresses: Addresses,
) -> dict:
    """The catalog as a JSON-LD document (a dict to serialise)."""
    datasets = list(datasets)
    licence = _iri(settings.licence)
    publisher = _iri(settings.publisher_uri)
    contact = _iri(f"{addresses.description}#contact")
    api = _iri(f"{addresses.description}#api")
    graph: list[dict] = []
    dataset_ids = []
    for dataset in datasets:
        version = versions[dataset.slug]
        dataset_id = f"{addresses.description}#{dataset.slug}"
        dataset_ids.append(_iri(dataset_id))
        distributions = []
        for file_format, (file_type, media_type, name) in FORMATS.items():
            file_address = addresses.file(dataset.slug, file_format)
            distribution_id = f"{dataset_id}-{file_format}"
            distributions.append(_iri(distribution_id))
            graph.append(
                {
                    "@id": distribution_id,
                    "@type": "dcat:Distribution",
                    "dct:title": _texts(
                        {"sv": f"{dataset.title_sv} ({name})", "en": f"{dataset.title_en} ({name})"}
                    ),
                    "dcat:accessURL": _iri(file_address),
                    "dcat:downloadURL": _iri(file_address),
                    "dct:format": _iri(file_type),
                    "dcat:mediaType": _iri(media_type),
                    "dct:license": licence,
                    "dct:modified": _when(version.modified),
                }
            )
        graph.append(
            {
                "@id": dataset_id,
                "@type": "dcat:Dataset",
                "dct:identifier": dataset_id,
                "dct:title": _texts({"sv": dataset.title_sv, "en": dataset.title_en}),
                "dct:description": _texts(
                    {"sv": dataset.description_sv, "en": dataset.description_en}
                ),
                "dct:publisher": publisher,
                "dcat:contactPoint": contact,
                "dcat:theme": [_iri(theme) for theme in THEMES],
                "dcat:keyword": [
                    *({"@value": word, "@language": "sv"} for word in dataset.keywords_sv),
                    *({"@value": word, "@language": "en"} for word in dataset.keywords_en),
                ],
                "dct:accrualPeriodicity": _iri(FREQUENCY),
                "dct:language": _iri(LANGUAGE),
                "dct:accessRights": _iri(PUBLIC_ACCESS),
                "dct:modified": _when(version.modified),
                "dcat:landingPage": _iri(f"{addresses.page}#{dataset.slug}"),
                "dcat:distribution": distributions,
            }
        )
    latest = max((versions[dataset.slug].modified for dataset in datasets), default=None)
    catalog = {
        "@id": addresses.description,
        "@type": "dcat:Catalog",
        "dct:title": _texts(CATALOG_TITLE),
        "dct:description": _texts(CATALOG_DESCRIPTION),
        "dct:publisher": publisher,
        "dct:license": licence,
        "dct:language": _iri(LANGUAGE),
        "foaf:homepage": _iri(addresses.page),
        "dcat:themeTaxonomy": _iri(f"{EU}/data-theme"),
        "dcat:dataset": dataset_ids,
        "dcat:service": api,
    }
    if latest is not None:
        catalog["dct:modified"] = _when(latest)
    return {
        "@context": CONTEXT,
        "@graph": [
            catalog,
            {
                "@id": publisher["@id"],
                "@type": "foaf:Agent",
                "foaf:name": settings.publisher_name,
                "dct:type": _iri(PUBLISHER_TYPE),
            },
            {
                "@id": contact["@id"],
                "@type": "vcard:Organization",
                "vcard:fn": settings.publisher_name,
                "vcard:hasEmail": _iri(f"mailto:{settings.contact_address}"),
            },
            {
                "@id": api["@id"],
                "@type": "dcat:DataService",
                "dct:title": _texts(API_TITLE),
                "dct:description": _texts(API_DESCRIPTION),
                "dcat:endpointURL": _iri(addresses.api_endpoint),
                "dcat:endpointDescription": _iri(addresses.api_schema),
                "dcat:landingPage": _iri(addresses.api_docs),
                "dcat:servesDataset": dataset_ids,
                "dct:publisher": publisher,
                "dcat:contactPoint": contact,
                "dct:license": licence,
                "dct:accessRights": _iri(PUBLIC_ACCESS),
            },
            *graph,
        ],
    }
