"""Indicators fetched from Kolada (issue 16): values become measurements, nothing entered by hand
is overwritten, and a Kolada that fails, is slow or answers nonsense leaves a clear status.

Kolada is played by a real HTTP server on loopback (pytest-httpserver) serving responses
recorded from Kolada's v2 API (tests/actionplan/kolada_responses/), and by a closed port.
Fetches run through the real task, in-process (eager), as `make run` runs them.
"""

from __future__ import annotations

import datetime
import html
import time
from decimal import Decimal
from pathlib import Path

import pytest
from celery.exceptions import Retry
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from freezegun import freeze_time
from werkzeug import Response

from actionplan.choices import (
    CelebrationKind,
    IndicatorSource,
    KoladaFetchStatus,
    MeasurementSource,
)
from actionplan.forms_indicators import IndicatorForm
from actionplan.kolada import (
    QUEUED_TIMEOUT,
    KoladaClient,
    KoladaMalformed,
    kolada_fetch_execute,
    kolada_fetch_request,
)
from actionplan.models import Celebration, Indicator, KoladaFetch, Measurement
from actionplan.services import measurement_correct
from actionplan.tasks import fetch_kolada_indicator, fetch_kolada_indicators
from smeportal.accounts.roles import Role
from tests.factories import IndicatorFactory, MeasurementFactory, UserFactory
from tests.smtp import free_port
from tests.swedish import sv, sv_plural

RESPONSES = Path(__file__).parent / "kolada_responses"
# Mid-June 2026 in Sweden (10:00 UTC is 12:00 CEST): the year 2026 is not over, 2025 is.
NOW = "2026-06-15 10:00:00"
FETCHED_AT_TEXT = "15 juni 2026 12:00"
KPI_PATH = "/v2/kpi/N01004"
DATA_PATH = "/v2/data/kpi/N01004/municipality/0484"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_june():
    with freeze_time(NOW):
        yield


def recorded(name: str, **placeholders: str) -> str:
    text = (RESPONSES / name).read_text(encoding="utf-8")
    for key, value in placeholders.items():
        text = text.replace("{" + key + "}", value)
    return text


def serve(httpserver, path: str, name: str, *, status: int = 200, query=None, **placeholders):
    content_type = "text/html" if name.endswith(".html") else "application/json"
    httpserver.expect_request(path, query_string=query).respond_with_data(
        recorded(name, **placeholders), status=status, content_type=content_type
    )


@pytest.fixture
def kolada(settings, httpserver):
    """Kolada on loopback: the KPI's description and Eskilstuna's values, as recorded."""
    settings.KOLADA_BASE_URL = httpserver.url_for("/v2")
    settings.KOLADA_MUNICIPALITY = "0484"
    settings.KOLADA_TIMEOUT = 5
    return httpserver


def serve_kpi_and_values(httpserver, data: str = "data_N01004_0484.json") -> None:
    serve(httpserver, KPI_PATH, "kpi_N01004.json")
    serve(httpserver, DATA_PATH, data)


@pytest.fixture
def owner(db):
    return UserFactory(username="agare", role=Role.FACILITATOR)


@pytest.fixture
def indicator(owner):
    """New workplaces per 1,000 inhabitants from Kolada: 3,6 in 2019, target 5,0 in 2029."""
    return IndicatorFactory(
        name="Nystartade arbetsställen",
        unit="antal/1 000 inv.",
        source=IndicatorSource.KOLADA,
        kolada_kpi="N01004",
        baseline_value=Decimal("3.6"),
        baseline_date=datetime.date(2019, 12, 31),
        target_value=Decimal("5.0"),
        target_date=datetime.date(2029, 12, 31),
        owner=owner,
    )


def fetch_now(indicator, capture) -> KoladaFetch:
    """Queue a fetch and let it run as the transaction commits (the task, in-process)."""
    with capture(execute=True):
        fetch, queued = kolada_fetch_request(indicator=indicator)
    assert queued
    fetch.refresh_from_db()
    return fetch


def values(indicator) -> dict[str, tuple[Decimal, str]]:
    return {
        m.date.isoformat(): (m.value, m.source) for m in indicator.measurements.order_by("date")
    }


def page_text(response) -> str:
    """The page as its reader sees the text (entities such as &#x27; read as characters)."""
    return html.unescape(response.content.decode())


def detail_url(indicator) -> str:
    return reverse("actionplan:indicator_detail", args=[indicator.pk])


def fetch_url(indicator) -> str:
    return reverse("actionplan:indicator_kolada_fetch", args=[indicator.pk])


# --- Values become measurements ---------------------------------------------------------------


def test_yearly_values_are_added_as_measurements_from_kolada(
    kolada, indicator, django_capture_on_commit_callbacks
):
    serve_kpi_and_values(kolada)

    fetch = fetch_now(indicator, django_capture_on_commit_callbacks)

    assert fetch.status == KoladaFetchStatus.OK
    # Dated the last day of each year, rounded to hundredths; 2024 is not published (null)
    # and 2026 is not over yet: both skipped.
    kolada_source = MeasurementSource.KOLADA
    assert values(indicator) == {
        "2022-12-31": (Decimal("4.10"), kolada_source),
        "2023-12-31": (Decimal("4.15"), kolada_source),
        "2025-12-31": (Decimal("4.30"), kolada_source),
    }
    assert set(indicator.measurements.values_list("fetched_at", flat=True)) == {timezone.now()}
    assert (fetch.added, fetch.updated, fetch.unchanged, fetch.kept_by_hand) == (3, 0, 0, 0)
    assert fetch.kpi_title == "Nystartade arbetsställen, antal/1000 inv"
    assert fetch.attempts == 1 and fetch.finished_at == timezone.now()


def test_the_women_series_is_fetched_when_the_indicator_follows_it(
    kolada, indicator, django_capture_on_commit_callbacks
):
    indicator.kolada_gender = "K"
    indicator.save()
    serve_kpi_and_values(kolada)

    fetch_now(indicator, django_capture_on_commit_callbacks)

    assert [value for value, _source in values(indicator).values()] == [
        Decimal("3.10"),
        Decimal("3.30"),
        Decimal("3.60"),
    ]


def test_the_pages_of_an_answer_are_followed_to_the_last(
    kolada, indicator, django_capture_on_commit_callbacks
):
    serve(kolada, KPI_PATH, "kpi_N01004.json")
    serve(kolada, DATA_PATH, "data_page_2.json", query={"page": "2", "per_page": "2"})
    serve(kolada, DATA_PATH, "data_page_1.json", base=kolada.url_for("/v2"))

    fetch = fetch_now(indicator, django_capture_on_commit_callbacks)

    assert fetch.status == KoladaFetchStatus.OK
    assert list(values(indicator)) == ["2020-12-31", "2021-12-31", "2022-12-31"]


def test_a_next_page_on_another_site_is_not_followed(kolada, indicator):
    serve(kolada, DATA_PATH, "data_page_1.json", base="http://elsewhere.invalid/v2")
    with KoladaClient() as client, pytest.raises(KoladaMalformed) as error:
        client.values("N01004", "0484")
    assert error.value.message == sv(
        "Kolada's answer could not be read (%(problem)s). Nothing was changed."
    ) % {"problem": sv("a link to another address")}


def test_a_changed_kolada_value_is_updated_and_the_old_one_kept_in_the_history(
    kolada, indicator, django_capture_on_commit_callbacks
):
    earlier = MeasurementFactory(
        indicator=indicator,
        date=datetime.date(2022, 12, 31),
        value=Decimal("3.95"),
        source=MeasurementSource.KOLADA,
        fetched_at=timezone.now() - datetime.timedelta(days=30),
    )
    MeasurementFactory(
        indicator=indicator,
        date=datetime.date(2023, 12, 31),
        value=Decimal("4.15"),
        source=MeasurementSource.KOLADA,
    )
    serve_kpi_and_values(kolada)

    fetch = fetch_now(indicator, django_capture_on_commit_callbacks)

    assert (fetch.added, fetch.updated, fetch.unchanged, fetch.kept_by_hand) == (1, 1, 1, 0)
    earlier.refresh_from_db()
    assert earlier.value == Decimal("4.10") and earlier.fetched_at == timezone.now()
    assert [h.value for h in earlier.history.order_by("history_date")] == [
        Decimal("3.95"),
        Decimal("4.10"),
    ]


def test_a_value_entered_by_hand_is_kept_and_reported_on_the_page(
    kolada, indicator, developer_client, django_capture_on_commit_callbacks
):
    hand = MeasurementFactory(
        indicator=indicator,
        date=datetime.date(2022, 12, 31),
        value=Decimal("4.0"),
        source=MeasurementSource.HAND,
        comment="Egen beräkning",
    )
    serve_kpi_and_values(kolada)

    fetch = fetch_now(indicator, django_capture_on_commit_callbacks)

    hand.refresh_from_db()
    assert (hand.value, hand.source, hand.comment) == (Decimal("4.00"), "hand", "Egen beräkning")
    assert (fetch.added, fetch.kept_by_hand) == (2, 1)
    assert fetch.conflicts == [
        {"date": "2022-12-31", "kolada": "4.10", "kept": "4.00", "source": "hand"}
    ]
    body = page_text(developer_client.get(detail_url(indicator)))
    kept = sv_plural(
        "%(count)s value entered by hand was kept",
        "%(count)s values entered by hand were kept",
        1,
    ) % {"count": 1}
    both = sv("(Kolada: %(kolada)s; entered: %(kept)s)") % {"kolada": "4,1", "kept": "4,0"}
    new = sv_plural("%(count)s new value", "%(count)s new values", 2) % {"count": 2}
    summary = sv("Last fetched from Kolada %(when)s: %(outcome)s.") % {
        "when": FETCHED_AT_TEXT,
        "outcome": f"{new}, {kept} {both}",
    }
    assert summary in body
    # The conflict listed by date with both values, and its source in words.
    assert '<td class="text-nowrap">2022-12-31</td>' in body
    assert f"<td>{sv('By hand')}</td>" in body


def test_imported_and_reported_values_are_kept_too(
    kolada, indicator, django_capture_on_commit_callbacks
):
    for on, source in (("2022-12-31", "import"), ("2023-12-31", "api")):
        MeasurementFactory(
            indicator=indicator,
            date=datetime.date.fromisoformat(on),
            value=Decimal("1"),
            source=source,
        )
    serve_kpi_and_values(kolada)

    fetch = fetch_now(indicator, django_capture_on_commit_callbacks)

    assert values(indicator)["2022-12-31"] == (Decimal("1.00"), "import")
    assert values(indicator)["2023-12-31"] == (Decimal("1.00"), "api")
    assert [conflict["source"] for conflict in fetch.conflicts] == ["import", "api"]


def test_a_value_corrected_by_hand_is_the_users_from_then_on(
    kolada, indicator, django_capture_on_commit_callbacks
):
    serve_kpi_and_values(kolada)
    fetch_now(indicator, django_capture_on_commit_callbacks)
    measurement = indicator.measurements.get(date=datetime.date(2022, 12, 31))

    measurement_correct(
        measurement=measurement, value=Decimal("4.2"), on=measurement.date, comment="Rättad"
    )
    second = fetch_now(indicator, django_capture_on_commit_callbacks)

    measurement.refresh_from_db()
    assert (measurement.value, measurement.source, measurement.fetched_at) == (
        Decimal("4.20"),
        MeasurementSource.HAND,
        None,
    )
    assert (second.added, second.updated, second.unchanged, second.kept_by_hand) == (0, 0, 2, 1)


def test_fetching_the_same_values_again_changes_nothing(
    kolada, indicator, django_capture_on_commit_callbacks
):
    serve_kpi_and_values(kolada)
    first = fetch_now(indicator, django_capture_on_commit_callbacks)
    history = Measurement.history.filter(indicator_id=indicator.pk).count()

    second = fetch_now(indicator, django_capture_on_commit_callbacks)

    assert (first.added, second.added, second.unchanged) == (3, 0, 3)
    assert Measurement.history.filter(indicator_id=indicator.pk).count() == history
    # Running a finished fetch's task again (a redelivered message) does nothing either.
    assert fetch_kolada_indicator.apply(args=[second.pk]).get() == KoladaFetchStatus.OK
    assert KoladaFetch.objects.get(pk=second.pk).attempts == 1


def test_reaching_the_target_with_a_kolada_value_is_celebrated(
    kolada, indicator, django_capture_on_commit_callbacks
):
    indicator.target_value = Decimal("4.3")
    indicator.save()
    serve_kpi_and_values(kolada)

    fetch_now(indicator, django_capture_on_commit_callbacks)

    celebration = Celebration.objects.get(indicator=indicator)
    assert celebration.kind == CelebrationKind.TARGET_REACHED
    assert (celebration.value, celebration.occurred_on) == (
        Decimal("4.30"),
        datetime.date(2025, 12, 31),
    )


def test_null_values_and_a_year_not_over_are_skipped(
    kolada, indicator, django_capture_on_commit_callbacks
):
    serve_kpi_and_values(kolada)
    with freeze_time("2026-12-31 12:00"):
        fetch = fetch_now(indicator, django_capture_on_commit_callbacks)
        # On the last day of 2026 its value counts: the year is over at its end.
        assert "2026-12-31" in values(indicator)
    assert "2024-12-31" not in values(indicator)
    assert fetch.added == 4


# --- Kolada fails ---------------------------------------------------------------------------------


def failed_fetch(kolada, indicator, capture) -> KoladaFetch:
    fetch = fetch_now(indicator, capture)
    assert not indicator.measurements.exists(), "nothing may be written"
    return fetch


def test_an_unknown_kpi_says_so(kolada, indicator, django_capture_on_commit_callbacks):
    serve(kolada, KPI_PATH, "error_404.json", status=404)

    fetch = failed_fetch(kolada, indicator, django_capture_on_commit_callbacks)

    assert fetch.status == KoladaFetchStatus.FAILED
    assert fetch.message == sv(
        "KPI %(kpi)s does not exist at Kolada. Check the KPI on the indicator."
    ) % {"kpi": "N01004"}


def test_a_kpi_kolada_does_not_list_is_unknown_too(
    kolada, indicator, django_capture_on_commit_callbacks
):
    serve(kolada, KPI_PATH, "kpi_unknown.json")

    fetch = failed_fetch(kolada, indicator, django_capture_on_commit_callbacks)

    assert fetch.status == KoladaFetchStatus.FAILED
    assert "N01004" in fetch.message


def unreachable(reason: str) -> str:
    return sv("Kolada could not be reached (%(reason)s). Nothing was changed; try again later.") % {
        "reason": reason
    }


def test_a_server_error_means_kolada_could_not_be_reached(
    kolada, indicator, developer_client, django_capture_on_commit_callbacks
):
    serve(kolada, KPI_PATH, "kpi_N01004.json")
    serve(kolada, DATA_PATH, "error_500.html", status=500)

    fetch = failed_fetch(kolada, indicator, django_capture_on_commit_callbacks)

    assert fetch.status == KoladaFetchStatus.UNREACHABLE
    reason = sv("Kolada answered with an error, HTTP %(status)s") % {"status": 500}
    assert fetch.message == unreachable(reason)
    body = page_text(developer_client.get(detail_url(indicator)))
    assert (
        sv("The fetch from Kolada %(when)s did not succeed: %(message)s")
        % {"when": FETCHED_AT_TEXT, "message": unreachable(reason)}
        in body
    )


def test_a_slow_kolada_times_out(settings, kolada, indicator, django_capture_on_commit_callbacks):
    def too_slow(request):
        time.sleep(1)
        return Response(recorded("kpi_N01004.json"), content_type="application/json")

    settings.KOLADA_TIMEOUT = 0.2
    kolada.expect_request(KPI_PATH).respond_with_handler(too_slow)

    fetch = failed_fetch(kolada, indicator, django_capture_on_commit_callbacks)

    assert fetch.status == KoladaFetchStatus.UNREACHABLE
    reason = sv("no answer within %(seconds)s seconds") % {"seconds": "0,2"}
    assert fetch.message == unreachable(reason)


def test_a_closed_port_means_kolada_could_not_be_reached(
    settings, indicator, django_capture_on_commit_callbacks
):
    settings.KOLADA_BASE_URL = f"http://127.0.0.1:{free_port()}/v2"

    fetch = fetch_now(indicator, django_capture_on_commit_callbacks)

    assert fetch.status == KoladaFetchStatus.UNREACHABLE
    assert fetch.message == unreachable(sv("no connection"))
    assert not indicator.measurements.exists()


def malformed(problem: str) -> str:
    return sv("Kolada's answer could not be read (%(problem)s). Nothing was changed.") % {
        "problem": problem
    }


def test_an_answer_that_is_not_json_is_refused(
    kolada, indicator, django_capture_on_commit_callbacks
):
    serve_kpi_and_values(kolada, "data_truncated.json")

    fetch = failed_fetch(kolada, indicator, django_capture_on_commit_callbacks)

    assert fetch.status == KoladaFetchStatus.FAILED
    assert fetch.message == malformed(sv("it is not JSON"))


def test_an_answer_of_the_wrong_shape_is_refused(
    kolada, indicator, django_capture_on_commit_callbacks
):
    serve_kpi_and_values(kolada, "data_wrong_shape.json")

    fetch = failed_fetch(kolada, indicator, django_capture_on_commit_callbacks)

    assert fetch.status == KoladaFetchStatus.FAILED
    where = sv("unexpected content at %(where)s") % {"where": "values[0].period"}
    assert fetch.message == malformed(where)


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        ({"kpi": "N01005"}, "values[0].kpi"),
        ({"municipality": "0180"}, "values[0].municipality"),
        ({"period": True}, "values[0].period"),
        ({"values": [{"gender": "T", "value": "4,1"}]}, "values[0].values[0].value"),
        ({"values": [{"gender": "T"}]}, "values[0].values[0].value"),
        ({"values": [{"gender": None, "value": 4.1}]}, "values[0].values[0].gender"),
        ({"values": [{"gender": "T", "value": 1e12}]}, "values[0].values[0].value"),
    ],
)
def test_each_part_of_the_answer_is_checked(kolada, entry, where):
    page = {
        "count": 1,
        "values": [
            {
                "kpi": "N01004",
                "municipality": "0484",
                "period": 2023,
                "values": [{"gender": "T", "value": 4.1}],
                **entry,
            }
        ],
    }
    kolada.expect_request(DATA_PATH).respond_with_json(page)
    with KoladaClient() as client, pytest.raises(KoladaMalformed) as error:
        client.values("N01004", "0484")
    assert error.value.message == malformed(
        sv("unexpected content at %(where)s") % {"where": where}
    )


# --- Retries, the queue and stale fetches -----------------------------------------------------


def test_a_worker_tries_an_unreachable_kolada_again_and_then_gives_up(settings, indicator):
    settings.KOLADA_BASE_URL = f"http://127.0.0.1:{free_port()}/v2"
    fetch = KoladaFetch.objects.create(indicator=indicator)

    # Called as a worker calls it (not in-process): the first failure asks for a retry.
    with pytest.raises(Retry):
        fetch_kolada_indicator(fetch.pk)

    fetch.refresh_from_db()
    assert (fetch.status, fetch.attempts) == (KoladaFetchStatus.QUEUED, 1)
    assert fetch.message == sv(
        "Kolada could not be reached (%(reason)s); attempt %(attempt)s of %(attempts)s. The "
        "next attempt follows in a while."
    ) % {"reason": sv("no connection"), "attempt": 1, "attempts": 4}
    # The last attempt ends it, with the reason.
    kolada_fetch_execute(fetch_id=fetch.pk, final_attempt=True)
    fetch.refresh_from_db()
    assert (fetch.status, fetch.attempts) == (KoladaFetchStatus.UNREACHABLE, 2)
    assert fetch.message == unreachable(sv("no connection"))


def test_a_fetch_whose_queue_cannot_be_reached_fails_visibly(
    settings, indicator, django_capture_on_commit_callbacks
):
    from smeportal.celery import app

    closed = f"redis://127.0.0.1:{free_port()}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = closed
    previous = app.conf.broker_url
    app.conf.broker_url = closed
    try:
        with django_capture_on_commit_callbacks(execute=True):
            fetch, _queued = kolada_fetch_request(indicator=indicator)
    finally:
        app.conf.broker_url = previous
    fetch.refresh_from_db()
    assert fetch.status == KoladaFetchStatus.FAILED
    assert "Redis" in fetch.message


def test_a_fetch_left_queued_for_long_no_longer_blocks_a_new_one(indicator):
    stuck = KoladaFetch.objects.create(
        indicator=indicator,
        requested_at=timezone.now() - QUEUED_TIMEOUT - datetime.timedelta(minutes=1),
    )

    fetch, queued = kolada_fetch_request(indicator=indicator)

    stuck.refresh_from_db()
    assert queued and fetch.pk != stuck.pk
    assert stuck.status == KoladaFetchStatus.FAILED and stuck.message


def test_the_monthly_job_queues_each_kolada_indicator_once(indicator):
    other = IndicatorFactory(source=IndicatorSource.KOLADA, kolada_kpi="U07414")
    IndicatorFactory()  # entered by hand: not fetched

    assert fetch_kolada_indicators() == 2
    assert fetch_kolada_indicators() == 0  # both still queued
    assert set(KoladaFetch.objects.values_list("indicator_id", "status")) == {
        (indicator.pk, KoladaFetchStatus.QUEUED),
        (other.pk, KoladaFetchStatus.QUEUED),
    }


def test_the_monthly_job_is_scheduled_by_the_migrations():
    periodic = PeriodicTask.objects.select_related("crontab").get(
        task="actionplan.tasks.fetch_kolada_indicators"
    )
    crontab = periodic.crontab
    assert periodic.enabled
    assert (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year) == (
        "30",
        "5",
        "3",
        "*",
    )
    assert str(crontab.timezone) == "Europe/Stockholm"


# --- The button on the indicator's page ------------------------------------------------------


def test_the_button_fetches_and_the_page_tells_what_it_found(
    kolada, indicator, developer_client, django_capture_on_commit_callbacks
):
    serve_kpi_and_values(kolada)
    page = developer_client.get(detail_url(indicator)).content.decode()
    assert sv("Fetch from Kolada now") in page
    assert sv("Nothing has been fetched from Kolada yet.") in page

    with django_capture_on_commit_callbacks(execute=True):
        response = developer_client.post(fetch_url(indicator))

    assert response.status_code == 302
    assert response.url == detail_url(indicator) + "#kolada"
    # The fetch ran as the request's transaction committed (here: as the test's block ends).
    body = page_text(developer_client.get(response.url))
    new = sv_plural("%(count)s new value", "%(count)s new values", 3) % {"count": 3}
    assert (
        sv("Last fetched from Kolada %(when)s: %(outcome)s.")
        % {"when": FETCHED_AT_TEXT, "outcome": new}
        in body
    )
    assert "N01004 – Nystartade arbetsställen, antal/1000 inv" in body
    # The source of each measurement in words.
    assert body.count(f'<span class="d-block">{sv("Kolada")}</span>') == 3
    fetch = KoladaFetch.objects.get()
    assert fetch.requested_by.username == "utvecklare"


def test_a_second_click_while_a_fetch_is_queued_starts_no_other(indicator, developer_client):
    # The transaction is not committed in this test, so the first fetch stays queued.
    first = developer_client.post(fetch_url(indicator), follow=True)
    second = developer_client.post(fetch_url(indicator), follow=True)

    assert KoladaFetch.objects.filter(indicator=indicator).count() == 1
    assert sv(
        "The fetch from Kolada has started. Reload the page in a minute to see what it found."
    ) in (first.content.decode())
    assert sv("A fetch from Kolada is already under way; no other was started.") in (
        second.content.decode()
    )
    assert sv("A fetch is under way; clicking again starts no other.") in second.content.decode()


def test_the_indicators_owner_may_fetch(indicator, owner, client):
    client.force_login(owner)  # a facilitator, but the indicator is theirs
    assert client.post(fetch_url(indicator)).status_code == 302
    assert KoladaFetch.objects.filter(indicator=indicator, requested_by=owner).exists()


@pytest.mark.parametrize("role_client", [Role.COUNCIL, Role.FACILITATOR], indirect=True)
def test_council_and_facilitators_may_not_fetch(role_client, indicator):
    assert role_client.post(fetch_url(indicator)).status_code == 403
    assert role_client.get(fetch_url(indicator)).status_code in {403, 405}
    body = role_client.get(detail_url(indicator)).content.decode()
    assert sv("Fetch from Kolada now") not in body
    assert not KoladaFetch.objects.exists()


def test_an_indicator_entered_by_hand_is_not_fetched(developer_client):
    by_hand = IndicatorFactory()
    response = developer_client.post(fetch_url(by_hand))
    assert response.status_code == 409
    assert (
        sv(
            "Only an indicator with Kolada as its source and a KPI is fetched from Kolada. Edit "
            "the indicator first."
        )
        in response.content.decode()
    )
    assert not KoladaFetch.objects.exists()
    assert (
        sv("Fetch from Kolada now")
        not in developer_client.get(detail_url(by_hand)).content.decode()
    )


def test_a_measurement_entered_on_the_page_is_marked_as_entered_by_hand(
    indicator, developer_client
):
    developer_client.post(
        reverse("actionplan:measurement_create", args=[indicator.pk]),
        {"value": "4,2", "date": "2026-01-31", "comment": ""},
    )
    assert indicator.measurements.get().source == MeasurementSource.HAND
    body = developer_client.get(detail_url(indicator)).content.decode()
    assert f'<span class="d-block">{sv("By hand")}</span>' in body


# --- The KPI on the indicator's form ---------------------------------------------------------


def indicator_data(**changes) -> dict:
    data = {
        "name": "Nystartade arbetsställen",
        "unit": "antal/1 000 inv.",
        "direction": "hogre",
        "source": "kolada",
        "source_detail": "",
        "kolada_kpi": "N01004",
        "kolada_gender": "T",
        "baseline_value": "3,6",
        "baseline_date": "2019-12-31",
        "target_value": "5",
        "target_date": "2029-12-31",
        "reporting_interval": "12",
        "owner": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kolada_kpi": ""}, "An indicator fetched from Kolada needs its KPI."),
        (
            {"source": "skr_insikt"},
            "A KPI is only used when the source is Kolada: choose Kolada as the source or "
            "leave the KPI empty.",
        ),
        (
            {"kolada_kpi": "N1004"},
            "Enter the KPI as a capital letter and five digits, for example N01004.",
        ),
        (
            {"kolada_kpi": "01004N"},
            "Enter the KPI as a capital letter and five digits, for example N01004.",
        ),
        ({"kolada_kpi": "N01004/../x"}, None),  # too long, whatever it holds
    ],
)
def test_the_kpi_is_checked_on_the_form(changes, message):
    form = IndicatorForm(indicator_data(**changes))
    assert not form.is_valid()
    assert form.errors["kolada_kpi"]
    if message:
        assert sv(message) in form.errors["kolada_kpi"]


def test_the_kpi_is_saved_in_capitals_and_the_series_defaults_to_the_total(admin_client):
    data = indicator_data(kolada_kpi=" n01004 ")
    del data["kolada_gender"]
    response = admin_client.post(reverse("actionplan:indicator_create"), data)
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert (indicator.kolada_kpi, indicator.kolada_gender) == ("N01004", "T")


def test_the_form_shows_the_kolada_fields(admin_client):
    body = admin_client.get(reverse("actionplan:indicator_create")).content.decode()
    assert 'name="kolada_kpi"' in body and 'name="kolada_gender"' in body
