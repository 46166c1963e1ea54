"""The open data files: CSV and JSON of what is published, and nothing else."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplan.choices import ActivityStatus
from actionplan.models import Celebration
from opendata import datasets as datasets_module
from opendata.datasets import DATASETS
from opendata.models import Licence
from tests.factories import (
    ActivityFactory,
    GoalFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProposalFactory,
)
from tests.public_site.conftest import ANONYMOUS_QUOTE, NAMED_QUOTE, SECRETS
from tests.swedish import sv
from workshops.choices import Actor, ProposalStatus

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"


def url(slug: str, file_format: str) -> str:
    return reverse(f"opendata:download_{file_format}", kwargs={"dataset": slug})


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(client, slug: str) -> list[dict[str, str]]:
    response = client.get(url(slug, "csv"))
    assert response.status_code == 200
    content = body(response)
    assert content.startswith(BOM)
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def json_file(client, slug: str) -> dict:
    response = client.get(url(slug, "json"))
    assert response.status_code == 200
    return json.loads(body(response))


def test_the_csv_starts_with_a_bom_and_reads_as_swedish_text(anonymous, dialogue):
    response = anonymous.get(url("proposals", "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="foretagsdialog-proposals.csv"'
    )
    content = body(response)
    assert content.startswith(BOM)
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0] == "id,area_id,title,actor,actor_label,status,status_label,votes"
    assert "\r\n" in text  # RFC 4180 line ends
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    row = next(row for row in rows if row["id"] == str(dialogue.proposal.pk))
    assert row == {
        "id": str(dialogue.proposal.pk),
        "area_id": str(dialogue.area.pk),
        "title": "Snabbare bygglov för små företag",
        "actor": dialogue.proposal.actor,
        "actor_label": sv(Actor(dialogue.proposal.actor).label),
        "status": "i_handlingsplan",
        "status_label": sv(ProposalStatus.IN_PLAN.label),
        "votes": "12",
    }


@pytest.mark.parametrize("dataset", DATASETS, ids=lambda dataset: dataset.slug)
def test_every_dataset_comes_as_csv_and_json_with_the_same_rows(anonymous, dialogue, dataset):
    rows = csv_rows(anonymous, dataset.slug)
    document = json_file(anonymous, dataset.slug)

    assert document["dataset"] == dataset.slug
    assert document["licence"] == Licence.CC0
    assert document["language"] == "sv"
    assert document["modified"]
    assert [list(row) for row in document["rows"]] == [dataset.keys] * len(document["rows"])
    assert [row["id"] for row in rows] == [str(row["id"]) for row in document["rows"]]
    assert rows, "the dialogue publishes something of every kind"


def test_only_published_objects_and_public_fields_leave_the_portal(anonymous, dialogue):
    # A published activity linked to an unpublished proposal does not name it.
    dialogue.activity.proposals.add(dialogue.hidden_proposal)
    everything = b"".join(
        body(anonymous.get(url(dataset.slug, file_format)))
        for dataset in DATASETS
        for file_format in ("csv", "json")
    )
    text = everything.decode("utf-8-sig")

    for name, secret in SECRETS.items():
        assert secret.encode() not in everything, name
    for quote in (NAMED_QUOTE, ANONYMOUS_QUOTE):  # the interviews reach the files as counts only
        assert quote not in text
    proposals = {row["id"] for row in json_file(anonymous, "proposals")["rows"]}
    assert dialogue.proposal.pk in proposals
    assert dialogue.hidden_proposal.pk not in proposals
    activities = json_file(anonymous, "activities")["rows"]
    assert [row["id"] for row in activities] == [dialogue.activity.pk]
    assert activities[0]["proposal_ids"] == [dialogue.proposal.pk]
    assert {row["id"] for row in json_file(anonymous, "goals")["rows"]} == {dialogue.goal.pk}
    assert {row["id"] for row in json_file(anonymous, "indicators")["rows"]} == {
        dialogue.indicator.pk
    }
    assert {row["id"] for row in json_file(anonymous, "celebrations")["rows"]} == {
        dialogue.celebration.pk
    }


def test_the_areas_hold_the_latest_summarys_counts_only(anonymous, dialogue):
    figures = next(
        area for area in dialogue.snapshot.data["areas"] if area["id"] == dialogue.area.pk
    )
    rows = {row["id"]: row for row in json_file(anonymous, "areas")["rows"]}

    row = rows[dialogue.area.pk]
    assert row["name"] == dialogue.area.name
    assert row["companies"] == figures["companies"] == 3
    assert row["challenges"] == figures["findings_by_type"]["utmaning"]
    assert row["ideas"] == figures["findings_by_type"]["ide"]
    assert row["strengths"] == figures["findings_by_type"]["styrka"]
    assert row["summary_taken_at"] == dialogue.snapshot.data["taken_at"]
    assert set(row) == {
        "id",
        "name",
        "name_en",
        "order",
        "companies",
        "challenges",
        "ideas",
        "strengths",
        "summary_taken_at",
    }


def test_without_a_summary_the_areas_have_no_counts(anonymous, db):
    rows = csv_rows(anonymous, "areas")

    assert len(rows) == 6
    assert {row["companies"] for row in rows} == {""}


def test_activities_goals_and_measurements_carry_their_links_and_figures(anonymous, dialogue):
    activity = json_file(anonymous, "activities")["rows"][0]
    assert activity == {
        "id": dialogue.activity.pk,
        "title": "Bygglovslots för små företag",
        "status": ActivityStatus.DONE,
        "status_label": sv(ActivityStatus.DONE.label),
        "start_date": "2025-01-01",
        "due_date": "2027-06-30",
        "progress": 100,
        "area_ids": [dialogue.area.pk],
        "proposal_ids": [dialogue.proposal.pk],
    }
    goal = json_file(anonymous, "goals")["rows"][0]
    assert goal["indicator_ids"] == [dialogue.indicator.pk]
    measurement = json_file(anonymous, "measurements")["rows"][0]
    assert measurement == {
        "id": measurement["id"],
        "indicator_id": dialogue.indicator.pk,
        "date": "2024-06-01",
        "value": 3.4,
    }
    (csv_measurement,) = csv_rows(anonymous, "measurements")
    assert csv_measurement["value"] == "3.40"  # a decimal point, as stored
    csv_activity = csv_rows(anonymous, "activities")[0]
    assert csv_activity["area_ids"] == str(dialogue.area.pk)


def test_text_a_spreadsheet_would_run_is_neutralised_in_the_csv_only(anonymous, dialogue):
    formulas = ['=HYPERLINK("http://example.invalid","Klicka")', "+46 16 710 00 00", "@SUMMA(A1)"]
    for title in formulas:
        ProposalFactory(area=dialogue.area, title=title, is_public=True)
    indicator = IndicatorFactory(name="-5 % handläggningstid")
    dialogue.goal.indicators.add(indicator)
    MeasurementFactory(indicator=indicator, value=Decimal("-1.50"))

    titles = {row["title"] for row in csv_rows(anonymous, "proposals")}
    assert {"'" + formula for formula in formulas} <= titles
    assert not titles & set(formulas)
    assert "'-5 % handläggningstid" in {row["name"] for row in csv_rows(anonymous, "indicators")}
    # A negative number is a number, not a formula.
    assert "-1.50" in {row["value"] for row in csv_rows(anonymous, "measurements")}
    json_titles = {row["title"] for row in json_file(anonymous, "proposals")["rows"]}
    assert set(formulas) <= json_titles


def test_labels_follow_the_visitors_language(anonymous, dialogue, settings):
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    rows = csv_rows(anonymous, "proposals")
    document = json_file(anonymous, "proposals")

    row = next(row for row in rows if row["id"] == str(dialogue.proposal.pk))
    assert row["status_label"] == "In the action plan"
    assert document["language"] == "en"


def test_an_unchanged_file_answers_304_and_a_change_gives_a_new_etag(anonymous, dialogue):
    first = anonymous.get(url("proposals", "json"))
    body(first)
    etag = first["ETag"]
    assert first["Last-Modified"]
    assert "public" in first["Cache-Control"]

    again = anonymous.get(url("proposals", "json"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    since = anonymous.get(url("proposals", "json"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    # The CSV and the English labels are other files.
    assert anonymous.get(url("proposals", "csv"), HTTP_IF_NONE_MATCH=etag).status_code == 200

    ProposalFactory(area=dialogue.area, title="Ett nytt publicerat förslag", is_public=True)
    cache.clear()  # the version is kept for the public page's cache time
    changed = anonymous.get(url("proposals", "json"), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Ett nytt publicerat förslag" in body(changed).decode()


def test_the_last_change_is_kept_while_the_rows_stay_the_same(anonymous, dialogue):
    first = json_file(anonymous, "goals")["modified"]
    cache.clear()
    assert json_file(anonymous, "goals")["modified"] == first


@pytest.mark.parametrize("path", ["/oppna-data/finns-inte.csv", "/oppna-data/areas.xlsx"])
def test_an_unknown_dataset_or_format_is_a_swedish_404(anonymous, db, path):
    response = anonymous.get(path)

    assert response.status_code == 404
    assert sv("The page could not be found") in response.content.decode()


def test_files_are_read_only(anonymous, db):
    assert anonymous.post(url("areas", "csv")).status_code == 405


def test_files_are_rate_limited_like_the_public_page(anonymous, db, settings):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 1

    assert anonymous.get(url("areas", "json")).status_code == 200
    refused = anonymous.get(url("areas", "json"))
    assert refused.status_code == 429
    assert refused["Retry-After"]


def _publish(count: int, area) -> None:
    """`count` more of every published kind, linked as the plan links them."""
    for number in range(count):
        proposal = ProposalFactory(area=area, title=f"Förslag {number}", is_public=True)
        activity = ActivityFactory(is_public=True, areas=[area])
        activity.proposals.set([proposal])
        indicator = IndicatorFactory()
        MeasurementFactory(indicator=indicator)
        goal = GoalFactory(area=area, plan=activity.plan, is_public=True)
        goal.indicators.set([indicator])
        Celebration.objects.create(
            kind="aktivitet",
            title=f"Aktivitet klar {number}",
            occurred_on="2026-10-01",
            activity=activity,
            is_public=True,
        )


def _queries(client, slug: str, file_format: str) -> int:
    """The queries of a download whose version is not cached (the rows read twice: for the
    version, then for the file); the version's row already records these rows."""
    cache.clear()
    body(client.get(url(slug, file_format)))
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(slug, file_format))
        body(response)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("dataset", DATASETS, ids=lambda dataset: dataset.slug)
def test_a_file_costs_the_same_queries_whatever_its_size(anonymous, dialogue, dataset, monkeypatch):
    # Small chunks, so that the larger data set is read in several of them.
    monkeypatch.setattr(datasets_module, "CHUNK_SIZE", 2)
    _publish(1, dialogue.area)
    small = {
        file_format: _queries(anonymous, dataset.slug, file_format)
        for file_format in ("csv", "json")
    }
    _publish(12, dialogue.area)
    large = {
        file_format: _queries(anonymous, dataset.slug, file_format)
        for file_format in ("csv", "json")
    }

    assert large == small
    assert len(json_file(anonymous, dataset.slug)["rows"]) >= (6 if dataset.slug == "areas" else 13)
