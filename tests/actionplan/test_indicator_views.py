from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from freezegun import freeze_time

from actionplan.choices import CelebrationKind, IndicatorStatus
from actionplan.models import Celebration, Indicator, Measurement
from smeportal.accounts.roles import Role
from tests.factories import (
    ActivityFactory,
    GoalFactory,
    IndicatorFactory,
    MeasurementFactory,
    UserFactory,
)

TODAY = "2025-09-01"
OWNER_NAME = ("Olle", "Ägaresson")


def sv(text: str) -> str:
    """The Swedish interface text (as the catalogue has it when the test runs)."""
    with translation.override("sv"):
        return gettext(text)


def status_label(status: IndicatorStatus) -> str:
    with translation.override("sv"):
        return str(status.label)


@pytest.fixture
def owner(db):
    return UserFactory(
        username="agare", first_name=OWNER_NAME[0], last_name=OWNER_NAME[1], role=Role.DEVELOPER
    )


@pytest.fixture
def indicator(owner):
    """Svenskt Näringsliv's summary grade: 3,3 in 2021, target 4,0 in 2030."""
    return IndicatorFactory(
        name="Sammanfattande omdöme",
        unit="betyg 1–6",
        baseline_value=Decimal("3.3"),
        baseline_date=datetime.date(2021, 6, 1),
        target_value=Decimal("4.0"),
        target_date=datetime.date(2030, 6, 1),
        owner=owner,
    )


@pytest.fixture
def ranking(owner):
    """The ranking: place 206 of 290, target place 1 – lower is better."""
    return IndicatorFactory(
        name="Ranking företagsklimat",
        unit="placering",
        direction="lagre",
        baseline_value=Decimal("206"),
        baseline_date=datetime.date(2021, 9, 1),
        target_value=Decimal("1"),
        target_date=datetime.date(2030, 9, 1),
        owner=owner,
    )


def measure(indicator, on: str, value: str, comment: str = "") -> Measurement:
    return MeasurementFactory(
        indicator=indicator,
        date=datetime.date.fromisoformat(on),
        value=Decimal(value),
        comment=comment,
    )


def measurement_url(indicator) -> str:
    return reverse("actionplan:measurement_create", args=[indicator.pk])


def detail_url(indicator) -> str:
    return reverse("actionplan:indicator_detail", args=[indicator.pk])


def chart_svg(body: str) -> str:
    start = body.index('<svg class="line-chart"')
    return body[start : body.index("</svg>", start)]


def indicator_data(**changes) -> dict:
    data = {
        "name": "Nöjd kund-index, företag",
        "unit": "NKI",
        "direction": "hogre",
        "source": "skr_insikt",
        "source_detail": "Insikt 2021",
        "baseline_value": "77",
        "baseline_date": "2021-12-31",
        "target_value": "80,5",
        "target_date": "2030-12-31",
        "reporting_interval": "12",
        "owner": "",
    }
    data.update(changes)
    return data


# --- The list -------------------------------------------------------------------------------


@pytest.mark.django_db
@freeze_time(TODAY)
@pytest.mark.parametrize("role_client", list(Role), indirect=True)
def test_every_role_reads_the_indicator_list(role_client, indicator):
    measure(indicator, "2024-10-01", "3.6")
    response = role_client.get(reverse("actionplan:indicator_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sammanfattande omdöme" in body
    assert "betyg 1–6" in body
    assert "3,3" in body and "4" in body
    assert "3,6" in body and "2024-10-01" in body
    # 0,3 of 0,7 is 43 %, written out beside the bar.
    assert "43&nbsp;%" in body
    assert status_label(IndicatorStatus.ON_TRACK) in body


@pytest.mark.django_db
@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("3.6", IndicatorStatus.ON_TRACK),  # 43 % of the way, 33 % expected
        ("3.5", IndicatorStatus.AT_RISK),  # 29 %: within 10 points of the path
        ("3.35", IndicatorStatus.BEHIND),  # 7 %
    ],
)
def test_the_status_is_written_as_text(developer_client, indicator, value, status):
    measure(indicator, "2024-10-01", value)
    body = developer_client.get(reverse("actionplan:indicator_list")).content.decode()
    assert status_label(status) in body
    assert f"indicator-status-{status.value}" in body  # the shape that goes with the text


@pytest.mark.django_db
@freeze_time(TODAY)
def test_an_indicator_without_measurements_says_so(developer_client, indicator):
    body = developer_client.get(reverse("actionplan:indicator_list")).content.decode()
    assert status_label(IndicatorStatus.NO_DATA) in body


@pytest.mark.django_db
@freeze_time(TODAY)
def test_indicators_without_a_recent_measurement_need_updating(developer_client, indicator, owner):
    measure(indicator, "2024-06-01", "3.4")  # more than a year ago
    fresh = IndicatorFactory(name="Färskt mätetal", owner=None)
    measure(fresh, "2025-06-01", "3.5")
    response = developer_client.get(reverse("actionplan:indicator_list"))
    needs_update = response.context["needing_update"]
    assert [overview.indicator for overview in needs_update] == [indicator]
    body = response.content.decode()
    section = body.split('id="needs-update-heading"', 1)[1]
    assert sv("Needs updating") in body
    assert "Sammanfattande omdöme" in section
    assert "Färskt mätetal" not in section
    assert f"{OWNER_NAME[0]} {OWNER_NAME[1]}" in section


@pytest.mark.django_db
@freeze_time(TODAY)
@pytest.mark.parametrize("role_client", [Role.DEVELOPER, Role.COUNCIL], indirect=True)
def test_a_stale_value_is_never_on_track(role_client, indicator):
    """3,6 in June 2024 was ahead of the path, but a yearly indicator last measured 15 months
    ago needs updating: its own status, in text and shape, on the list and its page."""
    measure(indicator, "2024-06-01", "3.6")
    for url in (reverse("actionplan:indicator_list"), detail_url(indicator)):
        body = role_client.get(url).content.decode()
        assert status_label(IndicatorStatus.NEEDS_UPDATE) in body
        assert "indicator-status-behover_uppdateras" in body
        assert status_label(IndicatorStatus.ON_TRACK) not in body
        assert "indicator-status-i_fas" not in body
        assert "3,6" in body  # the last value is still shown


@pytest.mark.django_db
@freeze_time("2025-05-31")
def test_a_value_within_the_interval_keeps_its_status(developer_client, indicator):
    measure(indicator, "2024-06-01", "3.6")  # within the year before today
    body = developer_client.get(reverse("actionplan:indicator_list")).content.decode()
    assert "indicator-status-i_fas" in body
    assert "indicator-status-behover_uppdateras" not in body


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_council_sees_no_owner_names(council_client, indicator):
    measure(indicator, "2023-06-01", "3.4")  # needs updating as well
    for url in (reverse("actionplan:indicator_list"), detail_url(indicator)):
        response = council_client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Sammanfattande omdöme" in body
        assert OWNER_NAME[1] not in body
        assert "agare" not in body
    list_body = council_client.get(reverse("actionplan:indicator_list")).content.decode()
    assert "Sammanfattande omdöme" in list_body.split('id="needs-update-heading"', 1)[1]


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_list_shows_the_goals_an_indicator_measures(facilitator_client, indicator):
    goal = GoalFactory(title="Bättre företagsklimat")
    goal.indicators.add(indicator)
    body = facilitator_client.get(reverse("actionplan:indicator_list")).content.decode()
    assert "Bättre företagsklimat" in body


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("actionplan:indicator_list"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_list_runs_the_same_number_of_queries_for_2_and_20_indicators(developer_client):
    def add_indicators(count: int):
        for _index in range(count):
            indicator = IndicatorFactory(owner=UserFactory())
            GoalFactory().indicators.add(indicator)
            for year in (2022, 2023, 2024):
                measure(indicator, f"{year}-06-01", "3.5")

    add_indicators(2)
    small = _list_queries(developer_client)
    add_indicators(18)
    large = _list_queries(developer_client)
    assert large == small
    assert small <= 10  # session, user and roles, then indicators, goals and measurements


# --- Creating and editing -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_developer_creates_an_indicator_with_decimal_commas(developer_client, developer):
    response = developer_client.post(
        reverse("actionplan:indicator_create"), indicator_data(owner=str(developer.pk))
    )
    indicator = Indicator.objects.get(name="Nöjd kund-index, företag")
    assert response.status_code == 302
    assert response.url == detail_url(indicator)
    assert indicator.target_value == Decimal("80.5")
    assert indicator.baseline_value == Decimal("77")
    assert indicator.owner == developer


@pytest.mark.django_db
def test_the_form_uses_date_inputs_and_decimal_text_fields(admin_client):
    body = admin_client.get(reverse("actionplan:indicator_create")).content.decode()
    assert 'type="date" name="baseline_date"' in body
    assert 'inputmode="decimal"' in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"target_value": "70"}, "target_value"),  # below the baseline though higher is better
        ({"target_date": "2020-01-01"}, "target_date"),  # before the baseline
        ({"baseline_value": "sju"}, "baseline_value"),
        ({"name": ""}, "name"),
        ({"owner": "999999"}, "owner"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(admin_client, changes, field):
    response = admin_client.post(reverse("actionplan:indicator_create"), indicator_data(**changes))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert 'id="form-errors"' in response.content.decode()
    assert not Indicator.objects.exists()


@pytest.mark.django_db
def test_the_direction_rule_message_is_shown(admin_client):
    response = admin_client.post(
        reverse("actionplan:indicator_create"), indicator_data(direction="lagre")
    )
    assert response.status_code == 400
    message = sv(
        "The target does not match the direction: when higher is better the target "
        "must be above the baseline, when lower is better below it."
    )
    assert message in response.content.decode()


@pytest.mark.django_db
def test_an_administrator_edits_an_indicator(admin_client, indicator):
    url = reverse("actionplan:indicator_update", args=[indicator.pk])
    form = admin_client.get(url)
    assert form.status_code == 200
    assert 'value="3,30"' in form.content.decode()
    response = admin_client.post(
        url,
        indicator_data(
            name="Sammanfattande omdöme",
            baseline_value="3,3",
            baseline_date="2021-06-01",
            target_value="4,2",
            target_date="2030-06-01",
        ),
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.target_value == Decimal("4.2")


@pytest.mark.django_db
def test_editing_an_unknown_indicator_is_404(admin_client):
    assert (
        admin_client.get(reverse("actionplan:indicator_update", args=[999999])).status_code == 404
    )
    assert (
        admin_client.get(reverse("actionplan:indicator_detail", args=[999999])).status_code == 404
    )
    unknown_measurement_url = reverse("actionplan:measurement_create", args=[999999])
    assert admin_client.post(unknown_measurement_url, {"value": "3"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role_client", [Role.COUNCIL, Role.FACILITATOR], indirect=True)
def test_council_and_facilitators_cannot_create_or_edit(role_client, indicator):
    for url in (
        reverse("actionplan:indicator_create"),
        reverse("actionplan:indicator_update", args=[indicator.pk]),
    ):
        assert role_client.get(url).status_code == 403
        assert role_client.post(url, indicator_data()).status_code == 403
    assert Indicator.objects.count() == 1


# --- The indicator's page -------------------------------------------------------------------


@pytest.mark.django_db
@freeze_time(TODAY)
@pytest.mark.parametrize("role_client", list(Role), indirect=True)
def test_every_role_reads_the_indicator_page(role_client, indicator):
    measure(indicator, "2022-06-01", "3.4", comment="Enkäten 2022")
    measure(indicator, "2024-10-01", "3.5")
    response = role_client.get(detail_url(indicator))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1" in body and body.count("<h1") == 1
    assert "Enkäten 2022" in body
    # The expected value on the target path: 3,3 + 0,7 × 365/3287 ≈ 3,38.
    assert "3,38" in body
    assert status_label(IndicatorStatus.AT_RISK) in body


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_chart_shows_both_series_and_the_summary_in_text(council_client, indicator):
    measure(indicator, "2022-06-01", "3.3")
    measure(indicator, "2024-10-01", "3.4")
    body = council_client.get(detail_url(indicator)).content.decode()
    svg = chart_svg(body)
    assert 'role="img"' in svg
    assert f'aria-labelledby="indicator-{indicator.pk}-chart-title' in svg
    assert svg.count("<path d=") == 2  # measured values and the target path
    assert "stroke-dasharray" in svg
    assert sv("Measured value") in svg and sv("Target path") in svg
    assert "style=" not in body
    with translation.override("sv"):
        summary = gettext(
            "Latest value %(value)s (%(year)s); the target is %(target)s by %(target_year)s; "
            "status: %(status)s."
        ) % {
            "value": "3,4",
            "year": 2024,
            "target": "4,0",
            "target_year": 2030,
            "status": str(IndicatorStatus.BEHIND.label).lower(),
        }
    assert summary in svg


@pytest.mark.django_db
@freeze_time(TODAY)
def test_a_lower_is_better_indicator_gets_the_right_status(developer_client, ranking):
    measure(ranking, "2022-09-01", "206")
    measure(ranking, "2024-09-01", "120")  # 86 of 205 places: 42 %, 33 % expected
    body = developer_client.get(detail_url(ranking)).content.decode()
    assert status_label(IndicatorStatus.ON_TRACK) in body
    assert "42&nbsp;%" in body
    measure(ranking, "2025-06-01", "169")  # fell back: 18 %, 42 % expected
    body = developer_client.get(detail_url(ranking)).content.decode()
    assert status_label(IndicatorStatus.BEHIND) in body
    assert "169" in body


@pytest.mark.django_db
@freeze_time(TODAY)
def test_a_page_without_measurements_still_draws_the_target_path(developer_client, indicator):
    response = developer_client.get(detail_url(indicator))
    body = response.content.decode()
    assert response.status_code == 200
    assert status_label(IndicatorStatus.NO_DATA) in body
    assert chart_svg(body).count("<path d=") == 1
    assert '<form method="post" action="' + measurement_url(indicator) in body


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_indicator_page_runs_a_constant_number_of_queries(developer_client, indicator):
    GoalFactory().indicators.add(indicator)
    measure(indicator, "2022-06-01", "3.4")
    with CaptureQueriesContext(connection) as few:
        developer_client.get(detail_url(indicator))
    for day in range(1, 25):
        measure(indicator, f"2023-{(day % 12) + 1:02d}-{day:02d}", "3.5")
    GoalFactory().indicators.add(indicator)
    with CaptureQueriesContext(connection) as many:
        developer_client.get(detail_url(indicator))
    assert len(many) == len(few)


# --- Recording measurements -----------------------------------------------------------------


@pytest.mark.django_db
@freeze_time(TODAY)
def test_a_developer_records_a_measurement_with_a_decimal_comma(developer_client, indicator):
    response = developer_client.post(
        measurement_url(indicator),
        {"value": "3,7", "date": "2025-06-01", "comment": "Ny enkät"},
        follow=True,
    )
    assert response.status_code == 200
    measurement = Measurement.objects.get(indicator=indicator)
    assert measurement.value == Decimal("3.7")
    assert measurement.comment == "Ny enkät"
    body = response.content.decode()
    assert sv("The measurement was recorded.") in body
    assert "3,7" in body and "Ny enkät" in body
    assert status_label(IndicatorStatus.ON_TRACK) in body  # 57 % of the way, 44 % expected


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_standalone_measurement_form(developer_client, indicator):
    response = developer_client.get(measurement_url(indicator))
    assert response.status_code == 200
    assert 'name="value"' in response.content.decode()


@pytest.mark.django_db
def test_a_unit_with_markup_is_shown_as_text_in_the_label(developer_client, indicator):
    """Issue 11: the unit reached the value's help text, which is printed unescaped."""
    indicator.unit = "<i hx-get=/x hx-trigger=load>%</i>"
    indicator.save()
    response = developer_client.get(measurement_url(indicator))
    body = response.content.decode()
    assert "<i hx-get" not in body
    assert "Värde (&lt;i hx-get=/x hx-trigger=load&gt;%&lt;/i&gt;)" in body
    assert not any(
        indicator.unit in str(field.help_text) for field in response.context["form"].fields.values()
    )


@pytest.mark.django_db
@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"value": "tre", "date": "2025-06-01"}, "value"),
        ({"value": "", "date": "2025-06-01"}, "value"),
        ({"value": "1234567890123", "date": "2025-06-01"}, "value"),
        ({"value": "3,456", "date": "2025-06-01"}, "value"),
        ({"value": "3,5", "date": "2026-01-01"}, "date"),  # in the future
        ({"value": "3,5", "date": "1 juni"}, "date"),
        ({"value": "3,5", "date": "2025-06-01", "comment": "x" * 501}, "comment"),
    ],
)
def test_bad_measurements_are_form_errors(developer_client, indicator, data, field):
    response = developer_client.post(measurement_url(indicator), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert 'id="form-errors"' in response.content.decode()
    assert not Measurement.objects.exists()


@pytest.mark.django_db
@freeze_time(TODAY)
def test_a_second_measurement_on_the_same_date_is_a_form_error(developer_client, indicator):
    measure(indicator, "2025-06-01", "3.4")
    response = developer_client.post(
        measurement_url(indicator), {"value": "3,5", "date": "2025-06-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["date"]
    assert Measurement.objects.count() == 1


@pytest.mark.django_db
@freeze_time(TODAY)
@pytest.mark.parametrize("role_client", [Role.COUNCIL, Role.FACILITATOR], indirect=True)
def test_others_see_no_form_and_get_403(role_client, indicator):
    body = role_client.get(detail_url(indicator)).content.decode()
    assert 'name="value"' not in body
    assert measurement_url(indicator) not in body
    response = role_client.post(measurement_url(indicator), {"value": "3,5", "date": "2025-06-01"})
    assert response.status_code == 403
    assert role_client.get(measurement_url(indicator)).status_code == 403
    assert not Measurement.objects.exists()


@pytest.mark.django_db
@freeze_time(TODAY)
@pytest.mark.parametrize("role", [Role.DEVELOPER, Role.FACILITATOR])
def test_the_contact_user_of_an_activity_under_a_measuring_goal_records_measurements(
    client, indicator, role
):
    contact = UserFactory(username="kontakt", role=role)
    goal = GoalFactory()
    goal.indicators.add(indicator)
    ActivityFactory(plan=goal.plan, goal=goal, contact_user=contact)
    client.force_login(contact)
    assert 'name="value"' in client.get(detail_url(indicator)).content.decode()
    response = client.post(measurement_url(indicator), {"value": "3,5", "date": "2025-06-01"})
    assert response.status_code == 302
    assert Measurement.objects.get().created_by == contact


@pytest.mark.django_db
@freeze_time(TODAY)
def test_reaching_the_target_is_celebrated_once(developer_client, indicator):
    response = developer_client.post(
        measurement_url(indicator), {"value": "4,0", "date": "2025-06-01"}, follow=True
    )
    body = response.content.decode()
    assert sv("The target is reached! It has been added to “Att fira”.") in body
    celebration = Celebration.objects.get()
    assert celebration.kind == CelebrationKind.TARGET_REACHED
    assert celebration.indicator == indicator
    for on, value in (("2025-07-01", "4,1"), ("2025-08-01", "4,3")):
        response = developer_client.post(
            measurement_url(indicator), {"value": value, "date": on}, follow=True
        )
        assert sv("The target is reached! It has been added to “Att fira”.") not in (
            response.content.decode()
        )
    assert Celebration.objects.count() == 1
    assert Measurement.objects.count() == 3


@pytest.mark.django_db
@freeze_time(TODAY)
def test_a_long_series_is_drawn_from_its_latest_points_and_tabled_a_page_at_a_time(
    developer_client, indicator
):
    from actionplan.selectors_indicators import CHART_POINTS, TABLE_PAGE_SIZE

    start = datetime.date(2010, 1, 1)
    Measurement.objects.bulk_create(
        Measurement(indicator=indicator, date=start + datetime.timedelta(days=day), value=3)
        for day in range(CHART_POINTS + 5)
    )
    measure(indicator, "2024-06-01", "3.9")  # the latest
    response = developer_client.get(detail_url(indicator))
    page = response.context["page"]
    assert len(page.chart_points) == CHART_POINTS
    assert page.chart_points[-1][1] == Decimal("3.9")
    assert [row.measurement.date for row in page.rows][:1] == [datetime.date(2024, 6, 1)]
    assert len(page.rows) == TABLE_PAGE_SIZE
    body = response.content.decode()
    assert sv("Pages of measurements") in body
    assert f"de senaste {CHART_POINTS} mätningarna" in body
    assert "3,9" in body and 'href="?page=2"' in body
    last = response.context["page_obj"].paginator.num_pages
    rest = developer_client.get(detail_url(indicator), {"page": last}).context["page"].rows
    assert rest[-1].measurement.date == start
    # Page 2 is among the chart's measurements (read once); the last page is read for itself.
    newest_first = Measurement.objects.filter(indicator=indicator).order_by("-date", "-pk")
    second = developer_client.get(detail_url(indicator), {"page": 2}).context["page"].rows
    assert [row.measurement.pk for row in second] == [
        measurement.pk for measurement in newest_first[TABLE_PAGE_SIZE : 2 * TABLE_PAGE_SIZE]
    ]
    assert [row.measurement.pk for row in rest] == [
        measurement.pk for measurement in newest_first[(last - 1) * TABLE_PAGE_SIZE :]
    ]


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_list_reads_only_the_latest_measurement(developer_client, indicator):
    measure(indicator, "2022-06-01", "3.3")
    measure(indicator, "2024-06-01", "3.7")
    measure(indicator, "2023-06-01", "3.5")
    response = developer_client.get(reverse("actionplan:indicator_list"))
    (overview,) = response.context["overviews"]
    assert (overview.state.latest_date, overview.latest_display) == (
        datetime.date(2024, 6, 1),
        "3,7",
    )


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_list_shows_25_indicators_a_page_and_every_one_that_needs_updating(developer_client):
    for number in range(26):
        IndicatorFactory(name=f"Mätetal {number:02d}")  # none measured: all need updating

    first = developer_client.get(reverse("actionplan:indicator_list"))
    second = developer_client.get(reverse("actionplan:indicator_list"), {"page": 2})

    assert [o.indicator.name for o in first.context["overviews"]] == [
        f"Mätetal {number:02d}" for number in range(25)
    ]
    assert [o.indicator.name for o in second.context["overviews"]] == ["Mätetal 25"]
    assert len(first.context["needing_update"]) == 26
    assert "?page=2" in first.content.decode()
