"""The dashboard's period choice (reports/periods.py): a plan, a plan year, a calendar year, the
time since a workshop or a range of one's own; the newest figures of that period, or what is
coming when there are none."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportRun, SummarySnapshot
from reports.periods import (
    WHOLE,
    Period,
    calendar_year,
    next_weekly_report,
    period_groups,
)
from reports.services import weekly_schedule_update
from tests.factories import ActionPlanFactory, InterviewFactory, WorkshopFactory
from tests.reports.test_dashboard import snapshot, swedish

URL = "reports:dashboard"
TODAY = datetime.date(2026, 11, 30)


def _values(groups) -> list[str]:
    return [option.period.value for group in groups for option in group.options]


def _labels(groups) -> dict[str, str]:
    return {option.period.value: option.label for group in groups for option in group.options}


# --- What the list offers ----------------------------------------------------------------------


def test_the_list_offers_plans_their_years_calendar_years_and_workshops(db):
    ActionPlanFactory(title="Handlingsplan 2025", start_year=2025, end_year=2026)
    InterviewFactory(date=datetime.date(2023, 5, 4))
    WorkshopFactory(title="Företagsdialog hösten", date=datetime.date(2026, 10, 8))
    WorkshopFactory(title="Nästa års dialog", date=datetime.date(2027, 2, 1))  # not held yet

    groups = period_groups(summarised=[], today=TODAY)
    values = _values(groups)
    labels = _labels(groups)

    assert values[0] == "hela"
    assert "2025-01-01_2026-12-31" in values  # the whole plan
    assert (
        "2025" in labels["2025-01-01_2025-12-31"]
        and "Handlingsplan 2025" in labels["2025-01-01_2025-12-31"]
    )
    # Calendar years from the first interview to this year, a plan year listed once.
    for year in (2023, 2024, 2025, 2026):
        assert values.count(calendar_year(year).value) == 1
    assert labels["2024-01-01_2024-12-31"] == "2024"
    assert "2026-10-08_" in values
    assert "Företagsdialog hösten" in labels["2026-10-08_"]
    assert "2027-02-01_" not in values


def test_a_summarised_range_of_ones_own_stays_in_the_list(db):
    own = Period(datetime.date(2025, 3, 1), datetime.date(2025, 6, 30))
    values = _values(period_groups(summarised=[own, WHOLE], today=TODAY))
    assert values.count(own.value) == 1
    assert values.count("hela") == 1


def test_calendar_years_are_capped(db):
    InterviewFactory(date=datetime.date(1995, 1, 1))
    years = [v for v in _values(period_groups(summarised=[], today=TODAY)) if v.endswith("-12-31")]
    assert len(years) == 10
    assert years[0] == "2026-01-01_2026-12-31"


# --- Choosing a period -------------------------------------------------------------------------


def test_a_calendar_year_shows_its_newest_snapshot(council_client):
    snapshot(taken_at="2026-11-29T14:05:00+01:00")
    snapshot(taken_at="2026-01-05T08:00:00+01:00", period=("2025-01-01", "2025-12-31"))
    newest = snapshot(taken_at="2026-02-05T08:00:00+01:00", period=("2025-01-01", "2025-12-31"))
    response = council_client.get(reverse(URL), {"period": "2025-01-01_2025-12-31"})
    assert response.status_code == 200
    assert response.context["snapshot"] == newest
    assert "5 februari 2026" in response.content.decode()


def test_a_range_of_ones_own(council_client):
    own = snapshot(taken_at="2026-11-01T08:00:00+01:00", period=("2025-03-01", "2025-06-30"))
    response = council_client.get(
        reverse(URL), {"period": "egen", "start": "2025-03-01", "end": "2025-06-30"}
    )
    assert response.status_code == 200
    assert response.context["snapshot"] == own


def test_dates_without_a_choice_are_a_range_of_ones_own(council_client):
    response = council_client.get(reverse(URL), {"period": "", "start": "2025-03-01"})
    assert response.status_code == 200
    assert response.context["selected_period"] == Period(datetime.date(2025, 3, 1), None)
    assert (
        swedish("There is no summary for “%(period)s” yet.").replace(
            "%(period)s", swedish("Since %(date)s") % {"date": "2025-03-01"}
        )
        in response.content.decode()
    )


@pytest.mark.parametrize(
    "query",
    [
        {"period": "egen"},
        {"period": "egen", "start": "2025-06-30", "end": "2025-03-01"},
        {"period": "egen", "start": "0001-01-01"},
        {"period": "egen", "start": "30/02/2025"},
        {"period": "1999-01-01_1999-12-31"},
        {"period": "<script>"},
    ],
)
def test_bad_choices_are_a_form_error(council_client, query):
    snapshot()
    response = council_client.get(reverse(URL), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="form-errors"' in html
    # The whole period is still shown below the form.
    assert response.context["snapshot"] is not None


# --- No figures yet: what is coming ------------------------------------------------------------


def test_the_council_is_told_who_can_build_a_missing_period(council_client):
    InterviewFactory(date=datetime.date(2025, 5, 4))  # 2025 is in the list
    snapshot()
    response = council_client.get(reverse(URL), {"period": "2025-01-01_2025-12-31"})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["snapshot"] is None
    assert swedish("There is no summary for “%(period)s” yet.") % {"period": "2025"} in html
    assert (
        swedish(
            "A business developer or an administrator can build it; it takes a few minutes. "
            "Ask them, or choose a period that has figures."
        )
        in html
    )
    assert 'method="post"' not in html.split('id="main"')[1]


def test_the_council_sees_a_build_in_progress(council_client, developer):
    InterviewFactory(date=datetime.date(2025, 5, 4))  # 2025 is in the list
    snapshot()
    run = ReportRun.objects.create(
        requested_by=developer,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        status=ReportRun.Status.RUNNING,
        progress=40,
    )
    response = council_client.get(reverse(URL), {"period": "2025-01-01_2025-12-31"})
    assert response.context["run_in_progress"] == run
    html = response.content.decode()
    assert "40 %" in html
    assert developer.username not in html.split('id="main"')[1]


def test_the_whole_period_says_when_the_weekly_report_makes_it(council_client):
    weekly_schedule_update(enabled=True, day_of_week="1", hour=6)
    coming = timezone.localtime(next_weekly_report())
    assert coming.weekday() == 0 and coming.hour == 6 and coming.minute == 0
    html = council_client.get(reverse(URL)).content.decode()
    assert swedish("No summary has been made yet.") in html
    assert f"{coming.day} " in html and "06:00" in html
    weekly_schedule_update(enabled=False, day_of_week="1", hour=6)
    assert next_weekly_report() is None


def test_staff_build_the_missing_period_from_the_dashboard(
    developer_client, django_capture_on_commit_callbacks
):
    """The button posts the period's dates to the report; the report (run in-process here)
    makes the snapshot, and the dashboard then shows it."""
    InterviewFactory(date=datetime.date(2025, 5, 4))  # 2025 is in the list
    snapshot()
    page = developer_client.get(reverse(URL), {"period": "2025-01-01_2025-12-31"})
    html = page.content.decode()
    assert f'action="{reverse("reports:run_create")}"' in html
    assert 'name="period_start" value="2025-01-01"' in html
    assert 'name="period_end" value="2025-12-31"' in html

    with django_capture_on_commit_callbacks(execute=True):
        built = developer_client.post(
            reverse("reports:run_create"),
            {"period_start": "2025-01-01", "period_end": "2025-12-31"},
        )
    assert built.status_code == 302
    run = ReportRun.objects.get(period_start=datetime.date(2025, 1, 1))
    assert run.status == ReportRun.Status.DONE
    detail = developer_client.get(built["Location"]).content.decode()
    assert f'{reverse(URL)}?period=2025-01-01_2025-12-31"' in detail

    response = developer_client.get(reverse(URL), {"period": "2025-01-01_2025-12-31"})
    assert response.context["snapshot"] == SummarySnapshot.objects.get(
        period_start=datetime.date(2025, 1, 1)
    )


def test_staff_may_rebuild_old_figures_of_the_period(developer_client):
    snapshot(taken_at=(timezone.now() - datetime.timedelta(days=30)).isoformat())
    html = developer_client.get(reverse(URL)).content.decode()
    assert swedish("Build new figures for this period") in html


# --- Queries -----------------------------------------------------------------------------------


def test_queries_do_not_grow_with_plans_workshops_and_years(council_client):
    snapshot()
    with CaptureQueriesContext(connection) as small:
        assert council_client.get(reverse(URL)).status_code == 200
    for year in range(2010, 2027):
        InterviewFactory(date=datetime.date(year, 3, 1))
        WorkshopFactory(date=datetime.date(year, 4, 1))
    for first in range(2012, 2026, 2):
        ActionPlanFactory(start_year=first, end_year=first + 2)
    for month in range(1, 13):
        snapshot(period=(f"2024-{month:02d}-01", "2024-12-31"))
    with CaptureQueriesContext(connection) as large:
        response = council_client.get(reverse(URL))
        assert response.status_code == 200
    assert len(large) == len(small)
    html = response.content.decode()
    assert html.count("<option") < 60
