"""The DCAT-AP-SE description: valid JSON-LD that names the catalog, every dataset, both files
of each, the API, and the licence the administrator chose."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from opendata.datasets import DATASETS
from opendata.models import Licence
from opendata.selectors import opendata_settings
from opendata.services import opendata_settings_save

pytestmark = pytest.mark.django_db

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority"
BASE = "http://testserver"
CATALOG = URIRef(f"{BASE}/oppna-data/dcat.jsonld")


def description(client) -> Graph:
    response = client.get(reverse("opendata:dcat"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    document = json.loads(response.content)
    assert isinstance(document["@context"], dict)  # inline: nothing fetched from elsewhere
    return Graph().parse(data=response.content, format="json-ld")


def texts(graph: Graph, subject, predicate) -> dict[str, str]:
    return {value.language: str(value) for value in graph.objects(subject, predicate)}


def test_the_description_is_json_ld_with_the_catalog_every_dataset_and_both_files(
    anonymous, dialogue
):
    graph = description(anonymous)

    assert (CATALOG, RDF.type, DCAT.Catalog) in graph
    assert set(texts(graph, CATALOG, DCTERMS.title)) == {"sv", "en"}
    assert set(texts(graph, CATALOG, DCTERMS.description)) == {"sv", "en"}
    assert (CATALOG, DCTERMS.license, URIRef(Licence.CC0)) in graph
    publisher = graph.value(CATALOG, DCTERMS.publisher)
    assert publisher == URIRef("http://dataportal.se/organisation/SE2120000340")
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert graph.value(publisher, FOAF.name) == Literal("Eskilstuna kommun")
    datasets = set(graph.objects(CATALOG, DCAT.dataset))
    assert datasets == {URIRef(f"{CATALOG}#{dataset.slug}") for dataset in DATASETS}
    for dataset in DATASETS:
        subject = URIRef(f"{CATALOG}#{dataset.slug}")
        assert (subject, RDF.type, DCAT.Dataset) in graph
        assert graph.value(subject, DCTERMS.identifier) == Literal(str(subject))
        assert texts(graph, subject, DCTERMS.title) == {
            "sv": dataset.title_sv,
            "en": dataset.title_en,
        }
        assert set(texts(graph, subject, DCTERMS.description)) == {"sv", "en"}
        assert graph.value(subject, DCTERMS.publisher) == publisher
        assert set(graph.objects(subject, DCAT.theme)) == {
            URIRef(f"{EU}/data-theme/ECON"),
            URIRef(f"{EU}/data-theme/GOVE"),
        }
        assert graph.value(subject, DCTERMS.accrualPeriodicity) == URIRef(f"{EU}/frequency/IRREG")
        assert graph.value(subject, DCTERMS.modified) is not None
        assert {word.language for word in graph.objects(subject, DCAT.keyword)} == {"sv", "en"}
        contact = graph.value(subject, DCAT.contactPoint)
        assert (contact, RDF.type, VCARD.Organization) in graph
        assert graph.value(contact, VCARD.hasEmail) == URIRef(
            "mailto:foretagsdialog@eskilstuna.invalid"
        )
        files = {
            str(graph.value(distribution, DCAT.downloadURL)): distribution
            for distribution in graph.objects(subject, DCAT.distribution)
        }
        csv_url = f"{BASE}/oppna-data/{dataset.slug}.csv"
        json_url = f"{BASE}/oppna-data/{dataset.slug}.json"
        assert set(files) == {csv_url, json_url}
        for address, file_type, media_type in (
            (csv_url, "CSV", "text/csv"),
            (json_url, "JSON", "application/json"),
        ):
            distribution = files[address]
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            assert graph.value(distribution, DCAT.accessURL) == URIRef(address)
            assert graph.value(distribution, DCTERMS.format) == URIRef(
                f"{EU}/file-type/{file_type}"
            )
            assert graph.value(distribution, DCAT.mediaType) == URIRef(
                f"https://www.iana.org/assignments/media-types/{media_type}"
            )
            assert graph.value(distribution, DCTERMS.license) == URIRef(Licence.CC0)
            assert anonymous.get(address).status_code == 200


def test_the_api_is_described_as_a_data_service(anonymous, db):
    graph = description(anonymous)

    service = graph.value(CATALOG, DCAT.service)
    assert (service, RDF.type, DCAT.DataService) in graph
    assert graph.value(service, DCAT.endpointURL) == URIRef(f"{BASE}/api/v1/public/")
    assert graph.value(service, DCAT.endpointDescription) == URIRef(f"{BASE}/api/v1/schema/")
    assert set(graph.objects(service, DCAT.servesDataset)) == set(
        graph.objects(CATALOG, DCAT.dataset)
    )
    assert set(texts(graph, service, DCTERMS.title)) == {"sv", "en"}


def test_the_licence_and_contact_the_administrator_chose_are_described(
    anonymous, administrator, db
):
    chosen = opendata_settings()
    chosen.licence = Licence.CC_BY
    chosen.contact_email = "oppnadata@eskilstuna.invalid"
    opendata_settings_save(open_data_settings=chosen, user=administrator)

    graph = description(anonymous)

    cc_by = URIRef("http://creativecommons.org/licenses/by/4.0/")
    assert (CATALOG, DCTERMS.license, cc_by) in graph
    # The catalog, the API and every file: all under the licence chosen.
    assert {licence for _subject, licence in graph.subject_objects(DCTERMS.license)} == {cc_by}
    contact = graph.value(URIRef(f"{CATALOG}#areas"), DCAT.contactPoint)
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:oppnadata@eskilstuna.invalid")
    document = json.loads(
        b"".join(
            anonymous.get(
                reverse("opendata:download_json", kwargs={"dataset": "areas"})
            ).streaming_content
        )
    )
    assert document["licence"] == str(cc_by)


def test_the_description_answers_304_when_unchanged(anonymous, db):
    first = anonymous.get(reverse("opendata:dcat"))

    again = anonymous.get(reverse("opendata:dcat"), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert "public" in again["Cache-Control"]
