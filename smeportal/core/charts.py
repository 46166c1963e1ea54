"""Line charts drawn on the server as SVG, without any JavaScript.

`line_chart` turns series of (date, value) points into plain geometry (coordinates, SVG path
data, tick positions and labels, a legend); the template include
`templates/includes/line_chart.svg.html` draws it. Keeping the arithmetic here, in pure Python,
lets it be tested without a browser and reused by every page that shows a trend.

The chart never relies on colour alone: each series has its own line style (solid or dashed)
and marker shape, and the legend shows both. The SVG is one image for assistive technology
(`role="img"`) whose accessible name and description the caller writes as text; the page
should also show the numbers in a table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

SOLID = "solid"
DASHED = "dashed"
CIRCLE = "circle"
SQUARE = "square"
DIAMOND = "diamond"
NO_MARKER = "none"

DASH_PATTERN = "7 5"
MARKER_SIZE = 8.0
# Estimated width of one character of legend text at font size 13, for laying out the legend.
_CHAR_WIDTH = 7.0
_TARGET_TICK_COUNT = 5
_MAX_YEAR_TICKS = 12

Number = Decimal | int | float


def significant_decimals(value: Number) -> int:
    """How many decimals the value needs: 2 for 3.45, 1 for 3.40, 0 for 206.00."""
    exponent = _decimal(value).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_number(value: Number, decimals: int | None = None, *, min_decimals: int = 0) -> str:
    """A number as the active language writes it ("3,4" in Swedish), without trailing zeros.

    With `decimals` given, exactly that many decimals are shown; `min_decimals` keeps a
    series of values alike ("4,0" beside "3,3").
    """
    value = _decimal(value)
    if decimals is None:
        decimals = max(min_decimals, significant_decimals(value))
    return formats.number_format(value, decimal_pos=decimals)


def _decimal(value: Number) -> Decimal:
    # str() first, so 3.4 becomes 3.4 and not 3.399999999999999911182158029987…
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


@dataclass(frozen=True)
class Series:
    """One line of the chart. Points need not be sorted; they are drawn in date order."""

    label: str
    points: Sequence[tuple[date, Number]]
    line: str = SOLID  # SOLID or DASHED
    marker: str = CIRCLE  # CIRCLE, SQUARE, DIAMOND or NO_MARKER
    colour: str = "#0b4f7c"


@dataclass(frozen=True)
class Tick:
    position: float  # x for the x axis, y for the y axis
    label: str


@dataclass(frozen=True)
class Marker:
    shape: str
    x: float  # centre
    y: float
    size: float = MARKER_SIZE

    @property
    def left(self) -> float:
        return round(self.x - self.size / 2, 1)

    @property
    def top(self) -> float:
        return round(self.y - self.size / 2, 1)

    @property
    def radius(self) -> float:
        return round(self.size / 2, 1)

    @property
    def diamond_points(self) -> str:
        half = self.size / 2 + 1
        x, y = self.x, self.y
        return " ".join(
            f"{px:.1f},{py:.1f}"
            for px, py in ((x, y - half), (x + half, y), (x, y + half), (x - half, y))
        )

    @property
    def svg(self) -> SafeString:
        """The marker's SVG element, written here rather than by a template per point (an
        indicator's chart has up to 120). format_html escapes every value, numbers as they are."""
        if self.shape == SQUARE:
            return format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" stroke="none"/>',
                self.left,
                self.top,
                self.size,
                self.size,
            )
        if self.shape == DIAMOND:
            return format_html('<polygon points="{}" stroke="none"/>', self.diamond_points)
        return format_html(
            '<circle cx="{}" cy="{}" r="{}" fill="#fff" stroke-width="2.5"/>',
            self.x,
            self.y,
            self.radius,
        )


@dataclass(frozen=True)
class SeriesGeometry:
    label: str
    path: str  # SVG path data; empty for a single point
    dasharray: str  # empty for a solid line
    colour: str
    markers: list[Marker]

    @property
    def markers_svg(self) -> SafeString:
        return format_html_join("", "{}", ((marker.svg,) for marker in self.markers))


@dataclass(frozen=True)
class LegendItem:
    label: str
    x1: float
    x2: float
    y: float
    text_x: float
    dasharray: str
    colour: str
    marker: Marker | None


@dataclass(frozen=True)
class ChartGeometry:
    width: int
    height: int
    left: float  # the plot area
    top: float
    right: float
    bottom: float
    title: str
    description: str
    id_prefix: str
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    series: list[SeriesGeometry] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    y_label: str = ""
    x_label: str = ""

    @property
    def has_data(self) -> bool:
        return bool(self.series)

    @property
    def title_id(self) -> str:
        return f"{self.id_prefix}-title"

    @property
    def description_id(self) -> str:
        return f"{self.id_prefix}-desc"

    @property
    def y_label_x(self) -> float:
        return 14.0

    @property
    def y_label_y(self) -> float:
        return round((self.top + self.bottom) / 2, 1)

    @property
    def x_label_x(self) -> float:
        return round((self.left + self.right) / 2, 1)

    @property
    def x_label_y(self) -> float:
        return float(self.height - 4)

    @property
    def x_tick_end_y(self) -> float:
        return round(self.bottom + 5, 1)

    @property
    def x_tick_label_y(self) -> float:
        return round(self.bottom + 18, 1)

    @property
    def y_tick_label_x(self) -> float:
        return round(self.left - 8, 1)


def nice_step(span: Decimal, count: int = _TARGET_TICK_COUNT) -> Decimal:
    """A "round" tick step (1, 2, 2.5 or 5 times a power of ten) giving about `count` ticks."""
    if span <= 0:
        return Decimal(1)
    raw = span / count
    magnitude = Decimal(1).scaleb(raw.adjusted())
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _decimals_of(step: Decimal) -> int:
    exponent = step.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def value_ticks(low: Decimal, high: Decimal, count: int = _TARGET_TICK_COUNT) -> list[Decimal]:
    """Round tick values that cover [low, high]; a flat range is widened around its value."""
    if high < low:
        low, high = high, low
    if high == low:
        spread = abs(low) / 10 if low else Decimal(1)
        low, high = low - spread, high + spread
    step = nice_step(high - low, count)
    first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    last = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    ticks = []
    value = first
    while value <= last:
        ticks.append(value)
        value += step
    return ticks


def year_range(first: date, last: date) -> tuple[date, date]:
    """The whole calendar years that hold both dates (at least one year)."""
    start = date(first.year, 1, 1)
    if (last.month, last.day) == (1, 1) and last.year > first.year:
        return start, last
    return start, date(last.year + 1, 1, 1)


def year_ticks(start: date, end: date) -> list[date]:
    """New Year's days from start to end, thinned to at most twelve labels."""
    years = list(range(start.year, end.year + 1))
    step = 1
    for candidate in (1, 2, 5, 10, 20, 50):
        step = candidate
        if math.ceil(len(years) / candidate) <= _MAX_YEAR_TICKS:
            break
    return [date(year, 1, 1) for year in years if (year - start.year) % step == 0]


def line_chart(
    series: Sequence[Series],
    *,
    width: int = 640,
    height: int = 320,
    title: str = "",
    description: str = "",
    y_label: str = "",
    x_label: str = "",
    id_prefix: str = "chart",
    format_value: Callable[[Decimal, int], str] = format_number,
) -> ChartGeometry:
    """The geometry of a line chart of values over time.

    Series without points are left out (also from the legend). The x axis spans whole calendar
    years with a tick on each New Year's day (labelled with the year); the y axis gets round
    tick values labelled by `format_value(value, decimals)`, by default in the active
    language's number format.
    """
    drawn = [item for item in series if item.points]
    legend_height = 28 if drawn else 0
    left = 64.0 if y_label else 52.0
    top = 12.0 + legend_height
    right = float(width - 16)
    bottom = float(height - (44 if x_label else 30))
    chart = ChartGeometry(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        title=title,
        description=description,
        id_prefix=id_prefix,
        y_label=y_label,
        x_label=x_label,
    )
    if not drawn:
        return chart

    dates = [when for item in drawn for when, _value in item.points]
    values = [_decimal(value) for item in drawn for _when, value in item.points]
    start, end = year_range(min(dates), max(dates))
    y_values = value_ticks(min(values), max(values))
    y_low, y_high = y_values[0], y_values[-1]
    decimals = _decimals_of(y_values[1] - y_values[0]) if len(y_values) > 1 else 0
    total_days = (end - start).days

    def x_of(when: date) -> float:
        return round(left + (right - left) * (when - start).days / total_days, 1)

    def y_of(value: Number) -> float:
        share = (_decimal(value) - y_low) / (y_high - y_low)
        return round(bottom - (bottom - top) * float(share), 1)

    chart.x_ticks.extend(Tick(x_of(tick), str(tick.year)) for tick in year_ticks(start, end))
    chart.y_ticks.extend(Tick(y_of(value), format_value(value, decimals)) for value in y_values)

    legend_x = left
    for item in drawn:
        points = sorted(item.points, key=lambda point: point[0])
        coordinates = [(x_of(when), y_of(value)) for when, value in points]
        path = ""
        if len(coordinates) > 1:
            path = "M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in coordinates)
        dasharray = DASH_PATTERN if item.line == DASHED else ""
        markers = (
            [Marker(item.marker, x, y) for x, y in coordinates] if item.marker != NO_MARKER else []
        )
        chart.series.append(SeriesGeometry(item.label, path, dasharray, item.colour, markers))
        legend_y = 16.0
        marker = Marker(item.marker, legend_x + 14, legend_y) if item.marker != NO_MARKER else None
        chart.legend.append(
            LegendItem(
                label=item.label,
                x1=legend_x,
                x2=legend_x + 28,
                y=legend_y,
                text_x=legend_x + 36,
                dasharray=dasharray,
                colour=item.colour,
                marker=marker,
            )
        )
        legend_x += 36 + len(item.label) * _CHAR_WIDTH + 24
    return chart


# --- Bar charts (added for the dashboard) ------------------------------------------------------
#
# Horizontal bars, one per category, each with its label written above it in full and its value
# written at its end: long Swedish area names fit, and no bar depends on its colour or on a
# legend to be read. The include `templates/includes/bar_chart.svg.html` draws the geometry.

_BAR_LABEL_HEIGHT = 18.0
_BAR_HEIGHT = 20.0
_BAR_GAP = 14.0
_BAR_VALUE_ROOM = 56.0


@dataclass(frozen=True)
class Bar:
    """One bar: its label (shown in text), its value and an accent colour."""

    label: str
    value: Number
    colour: str = "#0b4f7c"


@dataclass(frozen=True)
class BarGeometry:
    label: str
    value_label: str
    colour: str
    label_y: float  # baseline of the label text
    y: float  # top of the bar
    width: float
    height: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class BarChartGeometry:
    width: int
    height: int
    left: float  # the plot area
    top: float
    right: float
    bottom: float
    title: str
    description: str
    id_prefix: str
    bars: list[BarGeometry] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    x_label: str = ""

    @property
    def has_data(self) -> bool:
        return bool(self.bars)

    @property
    def title_id(self) -> str:
        return f"{self.id_prefix}-title"

    @property
    def description_id(self) -> str:
        return f"{self.id_prefix}-desc"

    @property
    def x_tick_label_y(self) -> float:
        return round(self.bottom + 16, 1)

    @property
    def x_label_x(self) -> float:
        return round((self.left + self.right) / 2, 1)

    @property
    def x_label_y(self) -> float:
        return float(self.height - 4)


def bar_chart(
    bars: Sequence[Bar],
    *,
    width: int = 640,
    title: str = "",
    description: str = "",
    x_label: str = "",
    id_prefix: str = "bar-chart",
    format_value: Callable[[Decimal, int], str] = format_number,
) -> BarChartGeometry:
    """The geometry of a horizontal bar chart; the height follows from the number of bars.

    The value axis starts at zero and ends on a round tick at or above the largest value;
    bars keep their order (the first on top).
    """
    left, top = 8.0, 8.0
    right = float(width) - _BAR_VALUE_ROOM
    row_height = _BAR_LABEL_HEIGHT + _BAR_HEIGHT + _BAR_GAP
    bottom = top + row_height * len(bars)
    height = int(bottom + 24 + (18 if x_label else 0))
    chart = BarChartGeometry(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        title=title,
        description=description,
        id_prefix=id_prefix,
        x_label=x_label,
    )
    if not bars:
        return chart
    values = [_decimal(bar.value) for bar in bars]
    # All zero: an axis up to 5 rather than a meaningless 0–1 in tenths.
    ticks = value_ticks(Decimal(0), max(max(values), Decimal(0)) or Decimal(5))
    high = ticks[-1] if ticks[-1] > 0 else Decimal(1)
    ticks = [tick for tick in ticks if tick >= 0]
    decimals = _decimals_of(ticks[1] - ticks[0]) if len(ticks) > 1 else 0

    def x_of(value: Decimal) -> float:
        return round(left + (right - left) * float(max(value, Decimal(0)) / high), 1)

    chart.x_ticks.extend(Tick(x_of(tick), format_value(tick, decimals)) for tick in ticks)
    for index, (bar, value) in enumerate(zip(bars, values, strict=True)):
        row_top = top + row_height * index
        bar_top = row_top + _BAR_LABEL_HEIGHT
        bar_width = round(x_of(value) - left, 1)
        chart.bars.append(
            BarGeometry(
                label=bar.label,
                value_label=format_value(value, _decimals_of(value)),
                colour=bar.colour,
                label_y=round(row_top + 13, 1),
                y=round(bar_top, 1),
                width=bar_width,
                height=_BAR_HEIGHT,
                value_x=round(left + bar_width + 6, 1),
                value_y=round(bar_top + _BAR_HEIGHT / 2, 1),
            )
        )
    return chart
