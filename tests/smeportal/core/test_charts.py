from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from smeportal.core.charts import (
    DASH_PATTERN,
    DASHED,
    DIAMOND,
    Series,
    format_number,
    line_chart,
    nice_step,
    value_ticks,
    year_ticks,
)

MEASURED = Series(
    "Uppmätt värde",
    [(date(2023, 6, 1), Decimal("3.4")), (date(2021, 6, 1), Decimal("3.3"))],
)
TARGET = Series(
    "Målbana",
    [(date(2021, 6, 1), Decimal("3.3")), (date(2030, 6, 1), Decimal("4.0"))],
    line=DASHED,
    marker=DIAMOND,
    colour="#5c5c5c",
)


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


def test_numbers_use_the_swedish_decimal_comma_without_trailing_zeros():
    assert format_number(Decimal("3.40")) == "3,4"
    assert format_number(Decimal("206.00")) == "206"
    assert format_number(3.4) == "3,4"
    assert format_number(Decimal("3.2"), 2) == "3,20"
    assert format_number(Decimal("4.00"), min_decimals=1) == "4,0"
    assert format_number(Decimal("3.45"), min_decimals=1) == "3,45"


@pytest.mark.parametrize(
    ("span", "step"),
    [("0.7", "0.2"), ("205", "50"), ("100", "20"), ("1", "0.2"), ("12", "2.5")],
)
def test_tick_steps_are_round_numbers(span, step):
    assert nice_step(Decimal(span)) == Decimal(step)


def test_value_ticks_cover_the_range_with_round_values():
    assert value_ticks(Decimal("3.3"), Decimal("4.0")) == [
        Decimal(v) for v in ("3.2", "3.4", "3.6", "3.8", "4.0")
    ]
    ticks = value_ticks(Decimal("1"), Decimal("206"))
    assert ticks[0] <= 1 and ticks[-1] >= 206


def test_a_flat_range_is_widened():
    ticks = value_ticks(Decimal("77"), Decimal("77"))
    assert ticks[0] < 77 < ticks[-1]


def test_year_ticks_are_thinned_for_long_ranges():
    assert len(year_ticks(date(2021, 1, 1), date(2031, 1, 1))) == 11
    long_range = year_ticks(date(1990, 1, 1), date(2031, 1, 1))
    assert len(long_range) <= 12
    assert long_range[:2] == [date(1990, 1, 1), date(1995, 1, 1)]


def test_geometry_of_two_series():
    chart = line_chart([MEASURED, TARGET], title="T", description="D", y_label="betyg")
    assert [series.label for series in chart.series] == ["Uppmätt värde", "Målbana"]
    measured, target = chart.series
    # Points are drawn in date order, inside the plot area.
    assert measured.path.startswith("M")
    xs = [marker.x for marker in measured.markers]
    assert xs == sorted(xs)
    for marker in measured.markers + target.markers:
        assert chart.left <= marker.x <= chart.right
        assert chart.top <= marker.y <= chart.bottom
    # A higher value is drawn higher up (smaller y).
    assert measured.markers[1].y < measured.markers[0].y
    assert measured.dasharray == "" and target.dasharray == DASH_PATTERN
    assert {marker.shape for marker in target.markers} == {DIAMOND}
    assert [tick.label for tick in chart.x_ticks][:2] == ["2021", "2022"]
    assert chart.x_ticks[-1].label == "2031"
    assert "3,4" in [tick.label for tick in chart.y_ticks]
    assert [item.label for item in chart.legend] == ["Uppmätt värde", "Målbana"]
    assert chart.legend[1].dasharray == DASH_PATTERN
    assert chart.legend[0].marker.shape == "circle"


def test_one_measurement_gives_a_marker_without_a_line():
    chart = line_chart([Series("Uppmätt", [(date(2024, 6, 1), Decimal("169"))]), TARGET])
    assert chart.series[0].path == ""
    assert len(chart.series[0].markers) == 1


def test_series_without_points_are_left_out():
    chart = line_chart([Series("Uppmätt", []), TARGET])
    assert [series.label for series in chart.series] == ["Målbana"]
    assert [item.label for item in chart.legend] == ["Målbana"]
    empty = line_chart([Series("Uppmätt", [])])
    assert not empty.has_data
    assert empty.x_ticks == [] and empty.y_ticks == []


def test_a_falling_series_is_drawn_falling():
    ranking = Series(
        "Placering", [(date(2021, 9, 1), Decimal("206")), (date(2024, 9, 1), Decimal("169"))]
    )
    chart = line_chart([ranking])
    first, last = chart.series[0].markers
    assert last.y > first.y


def test_the_svg_has_an_accessible_name_both_series_and_no_style_attributes():
    chart = line_chart(
        [MEASURED, TARGET],
        title="Sammanfattande omdöme",
        description="Senaste värde 3,4 (2023); målet 4,0 år 2030; status: risk",
        y_label="betyg 1–6",
        id_prefix="test-chart",
    )
    svg = render_to_string("includes/line_chart.svg.html", {"chart": chart})
    assert 'role="img"' in svg
    assert 'aria-labelledby="test-chart-title test-chart-desc"' in svg
    assert '<title id="test-chart-title">Sammanfattande omdöme</title>' in svg
    assert "Senaste värde 3,4 (2023); målet 4,0 år 2030; status: risk" in svg
    assert svg.count("<path d=") == 2
    assert f'stroke-dasharray="{DASH_PATTERN}"' in svg
    assert "<polygon" in svg and "<circle" in svg
    assert ">Uppmätt värde<" in svg and ">Målbana<" in svg
    assert ">2030<" in svg and ">3,4<" in svg
    assert "style=" not in svg
    # Coordinates are never written with a decimal comma.
    assert 'cx="' in svg
    for attribute in ("cx", "cy", "x1", "y1"):
        for value in svg.split(f' {attribute}="')[1:]:
            assert "," not in value.split('"', 1)[0]
