"""The open data page (anyone) and its settings page (administrators)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opendata.datasets import DATASETS
from opendata.models import Licence, OpenDataSettings
from tests.swedish import sv

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/oppna-data/installningar/"
VALID = {
    "licence": Licence.CC_BY,
    "publisher_name": "Eskilstuna kommun",
    "organisation_number": "2120000340",
    "contact_email": "oppnadata@eskilstuna.invalid",
}


def test_the_page_lists_every_dataset_with_its_rows_files_and_licence(anonymous, dialogue):
    response = anonymous.get("/oppna-data/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="sv">' in page
    for dataset in DATASETS:
        assert dataset.title_sv in page
        assert f'href="/oppna-data/{dataset.slug}.csv"' in page
        assert f'href="/oppna-data/{dataset.slug}.json"' in page
    rows = {row["dataset"].slug: row["version"].row_count for row in response.context["rows"]}
    assert rows == {
        "areas": 6,
        "proposals": 2,
        "activities": 1,
        "goals": 1,
        "indicators": 1,
        "measurements": 1,
        "celebrations": 1,
    }
    assert f'href="{Licence.CC0.value}"' in page
    assert (
        '<link rel="alternate" type="application/ld+json" '
        'href="http://testserver/oppna-data/dcat.jsonld"'
    ) in page
    assert "public" in response["Cache-Control"]


def test_the_page_in_english(anonymous, db, settings):
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = anonymous.get("/oppna-data/").content.decode()

    assert '<html lang="en">' in page
    assert "Activities of the action plan" in page


def test_the_public_page_links_to_the_open_data(anonymous, db):
    page = anonymous.get(reverse("public:results")).content.decode()

    assert 'href="/oppna-data/"' in page


def test_the_administrator_chooses_the_licence_and_contact(admin_client, administrator):
    assert admin_client.get(SETTINGS_URL).status_code == 200

    response = admin_client.post(SETTINGS_URL, VALID)

    assert response.status_code == 302
    saved = OpenDataSettings.objects.get()
    assert saved.licence == Licence.CC_BY
    assert saved.organisation_number == "212000-0340"
    assert saved.contact_email == "oppnadata@eskilstuna.invalid"
    assert saved.updated_by == administrator
    assert saved.history.count() == 1
    page = admin_client.get("/oppna-data/").content.decode()
    assert 'href="http://creativecommons.org/licenses/by/4.0/"' in page
    assert "oppnadata@eskilstuna.invalid" in page


@pytest.mark.parametrize(
    "client_name", ["developer_client", "facilitator_client", "council_client"]
)
def test_other_roles_may_not_change_the_settings(request, client_name):
    client = request.getfixturevalue(client_name)

    assert client.get(SETTINGS_URL).status_code == 403
    assert client.post(SETTINGS_URL, VALID).status_code == 403
    assert not OpenDataSettings.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(anonymous, db):
    response = anonymous.get(SETTINGS_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("licence", "https://example.invalid/egen-licens", None),
        (
            "organisation_number",
            "12345",
            "An organisation number has ten digits, e.g. 556036-0793.",
        ),
        (
            "organisation_number",
            "800101-1231",  # a personal identity number (a sole trader's)
            "The publisher is an organisation: give its organisation number.",
        ),
        ("contact_email", "inte en adress", "Enter a valid email address."),
        ("publisher_name", "", "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_swedish_message(admin_client, field, value, message):
    response = admin_client.post(SETTINGS_URL, {**VALID, field: value})

    assert response.status_code == 400
    page = response.content.decode()
    assert sv("The form has errors. Please correct them:") in page
    assert response.context["form"].errors[field]
    if message:
        assert sv(message) in page
    assert not OpenDataSettings.objects.exists()
