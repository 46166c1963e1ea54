"""The summary report's floor: the least this machine can do for the same report (issue 12).

The report (reports.services.report_run_execute) is measured against this floor, in time and
in peak memory, by `make bench` and by `manage.py report_floor`:

1. The same aggregates by plain SQL GROUP BY (COUNT, COUNT DISTINCT, SUM, the ranked few texts
   by window functions): no ORM, no pandas, no labels, no consent rules.
2. The same cells written by openpyxl in write-only mode: the rows behind the data sheets
   (findings, proposals, activities, indicators, as many columns as the report writes) read by
   plain SQL through a server-side cursor and appended as raw values (no formula check, no
   styles, no number formats), plus the aggregated rows as the figures' sheet; saved to a
   temporary file that is then removed.

Nothing is stored; the file never leaves the temporary directory. `report_floor()` returns the
seconds of each part and the number of rows and cells written.
"""

# The SQL below is put together from constant fragments only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import tempfile
import time
from datetime import date

from django.db import connection
from openpyxl import Workbook

ROW_CHUNK = 2_000
KEY_QUOTES = 10
TOP = 5


def _period(column: str, start: date | None, end: date | None) -> tuple[str, list]:
    conditions, params = [], []
    if start is not None:
        conditions.append(f"{column} >= %s")
        params.append(start)
    if end is not None:
        conditions.append(f"{column} <= %s")
        params.append(end)
    return (" AND ".join(conditions) or "1 = 1"), params


def _aggregate_queries(start: date | None, end: date | None) -> list[tuple[str, list]]:
    interview_period, interview_params = _period("i.date", start, end)
    workshop_period, workshop_params = _period("w.date", start, end)
    measurement_period, measurement_params = _period("m.date", None, end)
    celebration_period, celebration_params = _period("occurred_on", start, end)
    findings = (
        "interviews_finding f JOIN interviews_interview i ON i.id = f.interview_id "
        "JOIN interviews_company c ON c.id = i.company_id"
    )
    live_proposals = (
        "workshops_proposal p JOIN workshops_workshopgroup g ON g.id = p.group_id "
        "JOIN workshops_workshop w ON w.id = g.workshop_id"
    )
    open_challenge = "f.type = 'utmaning' AND NOT f.is_confidential AND ans.finding_id IS NULL"
    answered = (
        "LEFT JOIN (SELECT DISTINCT finding_id FROM workshops_proposal_evidence) ans "
        "ON ans.finding_id = f.id"
    )
    return [
        ("SELECT id, slug, name FROM areas_priorityarea WHERE NOT is_archived", []),
        (
            "SELECT c.industry, c.size_class, COUNT(*), COUNT(DISTINCT i.company_id), "
            "SUM(i.grade), COUNT(i.grade) FROM interviews_interview i "
            f"JOIN interviews_company c ON c.id = i.company_id WHERE {interview_period} "
            "GROUP BY c.industry, c.size_class",
            interview_params,
        ),
        (
            "SELECT f.area_id, c.industry, c.size_class, COUNT(DISTINCT f.interview_id), "
            "COUNT(DISTINCT i.company_id), "
            "SUM(CASE WHEN f.type = 'utmaning' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN f.type = 'ide' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN f.type = 'styrka' THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN {open_challenge} THEN 1 ELSE 0 END) "
            f"FROM {findings} {answered} WHERE NOT f.is_archived AND {interview_period} "
            "GROUP BY f.area_id, c.industry, c.size_class",
            interview_params,
        ),
        (
            "SELECT r.area_id, SUM(s.grades), SUM(s.graded) FROM ("
            f"  SELECT DISTINCT f.area_id, i.company_id FROM {findings} "
            f"  WHERE NOT f.is_archived AND {interview_period}"
            ") r JOIN ("
            "  SELECT i.company_id, SUM(i.grade) AS grades, COUNT(i.grade) AS graded "
            f"  FROM interviews_interview i WHERE i.grade IS NOT NULL AND {interview_period} "
            "  GROUP BY i.company_id"
            ") s ON s.company_id = r.company_id GROUP BY r.area_id",
            interview_params * 2,
        ),
        (
            "SELECT * FROM ("
            "  SELECT f.area_id, f.quote, c.name, c.industry, c.is_personal_data, i.consent, "
            "  ROW_NUMBER() OVER (PARTITION BY f.area_id "
            "    ORDER BY f.importance DESC, i.date DESC, f.id) AS rank, "
            "  COUNT(*) OVER (PARTITION BY f.area_id) AS total "
            f"  FROM {findings} WHERE NOT f.is_archived AND f.is_key_quote "
            "  AND NOT f.is_confidential AND f.quote <> '' "
            f"  AND i.consent IN ('anonymt', 'med_namn') AND {interview_period}"
            f") t WHERE rank <= {KEY_QUOTES}",
            interview_params,
        ),
        (
            "SELECT p.area_id, p.actor, p.status, COUNT(*), SUM(p.votes) "
            f"FROM {live_proposals} WHERE p.merged_into_id IS NULL AND {workshop_period} "
            "GROUP BY p.area_id, p.actor, p.status",
            workshop_params,
        ),
        (
            "SELECT * FROM ("
            "  SELECT p.area_id, p.title, p.votes, p.actor, p.status, "
            "  COALESCE(pc.companies, 0) AS companies, "
            "  p.status NOT IN ('i_handlingsplan', 'avslagen', 'sammanslagen') AS outside, "
            "  ROW_NUMBER() OVER (PARTITION BY p.area_id ORDER BY p.votes DESC, p.title, p.id)"
            "    AS top_rank, "
            "  ROW_NUMBER() OVER (PARTITION BY p.area_id, "
            "    p.status NOT IN ('i_handlingsplan', 'avslagen', 'sammanslagen') "
            "    ORDER BY COALESCE(pc.companies, 0) DESC, p.votes DESC, p.title, p.id)"
            "    AS example_rank "
            f"  FROM {live_proposals} LEFT JOIN ("
            "    SELECT e.proposal_id, COUNT(DISTINCT i.company_id) AS companies "
            "    FROM workshops_proposal_evidence e "
            "    JOIN interviews_finding f ON f.id = e.finding_id "
            "    JOIN interviews_interview i ON i.id = f.interview_id "
            "    WHERE NOT f.is_archived GROUP BY e.proposal_id"
            "  ) pc ON pc.proposal_id = p.id "
            f"  WHERE p.merged_into_id IS NULL AND {workshop_period}"
            f") t WHERE top_rank <= {TOP} OR (outside AND example_rank <= {TOP})",
            workshop_params,
        ),
        (
            "SELECT area_id, text FROM ("
            "  SELECT area_id, text, ROW_NUMBER() OVER (PARTITION BY area_id "
            "    ORDER BY importance DESC, day DESC, id) AS area_rank FROM ("
            "    SELECT f.area_id, f.text, f.importance, i.date AS day, f.id, "
            "    ROW_NUMBER() OVER (PARTITION BY f.area_id, f.text "
            "      ORDER BY f.importance DESC, i.date DESC, f.id) AS text_rank "
            f"    FROM {findings} {answered} "
            f"    WHERE NOT f.is_archived AND {open_challenge} AND {interview_period}"
            "  ) ranked WHERE text_rank = 1"
            f") t WHERE area_rank <= {TOP}",
            interview_params,
        ),
        (
            "SELECT a.id, a.parent_id, a.title, a.status, a.manual_progress, a.due_date, "
            "aa.priorityarea_id FROM actionplan_activity a "
            "LEFT JOIN actionplan_activity_areas aa ON aa.activity_id = a.id",
            [],
        ),
        ("SELECT activity_id, is_done FROM actionplan_milestone ORDER BY date, id", []),
        (
            "SELECT x.*, g.area_id FROM actionplan_indicator x "
            "LEFT JOIN actionplan_goal_indicators gi ON gi.indicator_id = x.id "
            "LEFT JOIN actionplan_goal g ON g.id = gi.goal_id",
            [],
        ),
        (
            "SELECT m.indicator_id, m.date, m.value FROM actionplan_measurement m "
            f"WHERE {measurement_period}",
            measurement_params,
        ),
        (
            "SELECT title, occurred_on, kind, is_celebrated FROM actionplan_celebration "
            f"WHERE {celebration_period} ORDER BY occurred_on DESC, id DESC LIMIT 10",
            celebration_params,
        ),
    ]


def _row_queries(start: date | None, end: date | None) -> list[tuple[str, str, list]]:
    """(sheet, SQL, parameters) of the data sheets' rows, as many columns as the report's."""
    interview_period, interview_params = _period("i.date", start, end)
    workshop_period, workshop_params = _period("w.date", start, end)
    return [
        (
            "Synpunkter",
            "SELECT a.name, f.type, f.text, f.importance, c.industry, c.size_class, i.date, "
            "f.quote, c.name FROM interviews_finding f "
            "JOIN interviews_interview i ON i.id = f.interview_id "
            "JOIN interviews_company c ON c.id = i.company_id "
            "JOIN areas_priorityarea a ON a.id = f.area_id "
            f"WHERE NOT f.is_confidential AND NOT f.is_archived AND {interview_period} "
            'ORDER BY a."order", a.name, i.date, f.id',
            interview_params,
        ),
        (
            "Förslag",
            "SELECT w.title, w.date, g.name, a.name, p.title, p.actor, p.horizon, p.effect, "
            "p.effort, p.votes, p.status, m.title FROM workshops_proposal p "
            "JOIN workshops_workshopgroup g ON g.id = p.group_id "
            "JOIN workshops_workshop w ON w.id = g.workshop_id "
            "JOIN areas_priorityarea a ON a.id = p.area_id "
            "LEFT JOIN workshops_proposal m ON m.id = p.merged_into_id "
            f'WHERE {workshop_period} ORDER BY a."order", a.name, p.votes DESC, p.title, p.id',
            workshop_params,
        ),
        (
            "Aktiviteter",
            "SELECT title, party_name, party_kind, status, manual_progress, start_date, "
            "due_date, parent_id, id FROM actionplan_activity ORDER BY due_date, title, id",
            [],
        ),
        (
            "Mätetal",
            "SELECT name, unit, direction, baseline_value, baseline_date, target_value, "
            "target_date, reporting_interval, source, source_detail, id "
            "FROM actionplan_indicator ORDER BY name, id",
            [],
        ),
    ]


def report_floor(*, period_start: date | None = None, period_end: date | None = None) -> dict:
    """Run the floor once; the seconds of each part, the rows and the cells written."""
    started = time.perf_counter()
    aggregates: list[tuple] = []
    with connection.cursor() as cursor:
        for sql, params in _aggregate_queries(period_start, period_end):
            cursor.execute(sql, params)
            aggregates.extend(cursor.fetchall())
    aggregated = time.perf_counter()

    workbook = Workbook(write_only=True)
    figures = workbook.create_sheet("Översikt")
    cells = rows = 0
    for row in aggregates:
        figures.append(row)
        cells += len(row)
    for title, sql, params in _row_queries(period_start, period_end):
        sheet = workbook.create_sheet(title)
        # A server-side cursor on Postgres, as the report's .iterator(chunk_size=...).
        cursor = connection.chunked_cursor()
        try:
            cursor.execute(sql, params)
            sheet.append([f"Kolumn {index}" for index in range(len(cursor.description))])
            while batch := cursor.fetchmany(ROW_CHUNK):
                for row in batch:
                    sheet.append(row)
                    cells += len(row)
                rows += len(batch)
        finally:
            cursor.close()
    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        workbook.save(handle)
        size = handle.tell()
    finished = time.perf_counter()
    return {
        "aggregates_s": round(aggregated - started, 2),
        "cells_s": round(finished - aggregated, 2),
        "total_s": round(finished - started, 2),
        "aggregate_rows": len(aggregates),
        "rows": rows,
        "cells": cells,
        "bytes": size,
    }
