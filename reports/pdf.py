"""The summary report as a tagged PDF, beside the workbook (issue 13, "Print and PDF").

`summary_pdf_write(summary, handle)` draws `templates/reports/summary_pdf.html` with WeasyPrint
and writes the PDF to `handle`. The figures are shaped by the dashboard's own functions
(reports.views_dashboard) from `dashboard_figures(summary)`, so the PDF shows what the
dashboard shows and nothing more: counts, shares, averages, the indicators' trends and the
celebrations, never a key quote or an example text from an interview.

The PDF is PDF/UA-1: tagged (headings, lists, tables with their header cells, each chart a
figure whose alternative text is its title), with the document's language from `<html lang>`
and its title from `<title>`, so that a screen reader can read it. Every chart is followed by
a table of its figures. Nothing is fetched while drawing: the template carries its own CSS,
fonts come from the system, and the URL fetcher refuses every address.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import BinaryIO

from django.template.loader import render_to_string
from django.utils.translation import get_language

from smeportal.core.pdf import html_to_pdf

from .models import DASHBOARD_TREND_POINTS, dashboard_figures
from .views_dashboard import (
    Period,
    _trends_capped,
    area_cards,
    celebration_items,
    companies_chart,
    indicator_trends,
    totals_of,
)

PDF_TEMPLATE = "reports/summary_pdf.html"
# Its print CSS: a file of its own, as the portal's templates carry no <style> (tests/security/
# test_csp.py), read through the template loaders so that it is found where the HTML is.
PDF_STYLESHEET = "reports/summary_pdf.css"


def _date(value) -> date | None:
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _taken_at(value) -> datetime | None:
    if not value:
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def summary_pdf_context(summary: dict) -> dict:
    """The template's context: the dashboard's shaping of the dashboard's part of the summary."""
    figures = dashboard_figures(summary)
    cards = area_cards(figures["areas"])
    period = figures.get("period") or {}
    return {
        "language": get_language() or "sv",
        "taken_at": _taken_at(figures.get("taken_at")),
        "period": Period(_date(period.get("start")), _date(period.get("end"))),
        "totals": totals_of(figures),
        "cards": cards,
        "chart": companies_chart(cards),
        "trends": indicator_trends(figures["indicator_trends"]),
        "trends_total": figures["indicator_trends_total"],
        "trends_capped": _trends_capped(figures),
        "trend_points": DASHBOARD_TREND_POINTS,
        "celebrations": celebration_items(figures["celebrations"]),
    }


def summary_pdf_write(summary: dict, handle: BinaryIO) -> None:
    """Write the summary (reports/summary.py) as a tagged PDF, in the active language."""
    html = render_to_string(PDF_TEMPLATE, summary_pdf_context(summary))
    html_to_pdf(html, stylesheet=PDF_STYLESHEET, target=handle)
