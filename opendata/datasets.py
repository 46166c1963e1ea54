"""The open datasets: what each holds, its columns, and its rows as the files write them.

Every dataset reads only what public_site/published.py publishes, and of that only the fields
PUBLIC_FIELDS lets out, plus aggregates and derived figures the public page shows too (an
area's counts from the latest summary, an activity's progress). Never a description, a note, a
comment, an owner, a contact person or who entered what.

A dataset has a stable slug (the file's name, the DCAT identifier), a title and a description in
Swedish and in English (the DCAT description carries both at once, so they are written here
rather than through gettext), and columns with stable machine keys in English snake_case. A
coded value (a status, say) comes with a `<key>_label` column in the language the rows are read
in: the request's, Swedish unless the visitor chose English.

Cost: rows are read with values() and iterator(chunk_size=CHUNK_SIZE), so memory stays flat
however many there are, and each dataset makes a fixed number of queries whatever its size. The
ids an activity or a goal links to are read as a second ordered stream beside the rows
(_LinkedIds), not per row.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.db import models
from django.utils import translation

from actionplan.choices import ActivityStatus, CelebrationKind, Direction, IndicatorSource
from interviews.choices import FindingType
from public_site.published import (
    PUBLIC_FIELDS,
    published_activities,
    published_activities_progress,
    published_activity_area_links,
    published_activity_proposal_links,
    published_area_figures,
    published_areas,
    published_celebrations,
    published_goal_indicator_links,
    published_goals,
    published_indicators,
    published_measurements,
    published_proposals,
)
from workshops.choices import Actor, ProposalStatus, choice_labels

CHUNK_SIZE = 2000

# Column kinds: how a value is written (opendata.files) and described.
TEXT = "text"
INTEGER = "integer"
DECIMAL = "decimal"
DATE = "date"
DATETIME = "datetime"
IDS = "ids"


@dataclass(frozen=True)
class Column:
    key: str
    kind: str = TEXT
    # A label column: the coded value of the column before it, in the rows' language. Left out
    # of the dataset's digest (opendata.versions), which follows the data, not the language.
    is_label: bool = False


Row = dict[str, Any]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title_sv: str
    title_en: str
    description_sv: str
    description_en: str
    keywords_sv: tuple[str, ...]
    keywords_en: tuple[str, ...]
    columns: tuple[Column, ...]
    # The rows, as {column key: value}, labels in the given language.
    read: Callable[[str], Iterator[Row]]

    @property
    def keys(self) -> list[str]:
        return [column.key for column in self.columns]

    @property
    def title(self) -> str:
        """The title in the active language."""
        return self.title_en if _is_english() else self.title_sv

    @property
    def description(self) -> str:
        return self.description_en if _is_english() else self.description_sv

    def rows(self, language: str | None = None) -> Iterator[Row]:
        """The rows, labels in `language` (the active one by default)."""
        return self.read(language or translation.get_language() or "sv")


def _is_english() -> bool:
    return (translation.get_language() or "sv").startswith("en")


def _labels(choices: type[models.Choices], language: str) -> dict:
    with translation.override(language):
        return choice_labels(choices)


def _iterate(rows: models.QuerySet) -> Iterator:
    return rows.iterator(chunk_size=CHUNK_SIZE)


class _LinkedIds:
    """The ids linked to each row, read from a stream of (row id, linked id) pairs ordered by
    row id, in step with rows read in ascending id order (a merge of two sorted streams)."""

    def __init__(self, pairs: Iterable[tuple[int, int]]):
        self._groups = itertools.groupby(pairs, key=itemgetter(0))
        self._current: tuple[int, list[int]] | None = None
        self._advance()

    def _advance(self) -> None:
        group = next(self._groups, None)
        self._current = None if group is None else (group[0], [pair[1] for pair in group[1]])

    def of(self, row_id: int) -> list[int]:
        while self._current is not None and self._current[0] < row_id:
            self._advance()
        if self._current is not None and self._current[0] == row_id:
            return self._current[1]
        return []


# --- The rows of each dataset --------------------------------------------------------------------


def _area_rows(language: str) -> Iterator[Row]:
    taken_at, figures = published_area_figures()
    for area in _iterate(published_areas().values(*PUBLIC_FIELDS["area"])):
        found = figures.get(area["id"])
        by_type = found["findings_by_type"] if found else {}
        yield {
            "id": area["id"],
            "name": area["name"],
            "name_en": area["name_en"] or None,
            "order": area["order"],
            "companies": found["companies"] if found else None,
            "challenges": by_type.get(FindingType.CHALLENGE, 0) if found else None,
            "ideas": by_type.get(FindingType.IDEA, 0) if found else None,
            "strengths": by_type.get(FindingType.STRENGTH, 0) if found else None,
            "summary_taken_at": taken_at if found else None,
        }


def _proposal_rows(language: str) -> Iterator[Row]:
    actors = _labels(Actor, language)
    statuses = _labels(ProposalStatus, language)
    for proposal in _iterate(published_proposals().values(*PUBLIC_FIELDS["proposal"])):
        yield {
            "id": proposal["id"],
            "area_id": proposal["area_id"],
            "title": proposal["title"],
            "actor": proposal["actor"],
            "actor_label": actors.get(proposal["actor"], ""),
            "status": proposal["status"],
            "status_label": statuses.get(proposal["status"], ""),
            "votes": proposal["votes"],
        }


def _activity_rows(language: str) -> Iterator[Row]:
    statuses = _labels(ActivityStatus, language)
    progress = published_activities_progress()
    areas = _LinkedIds(_iterate(published_activity_area_links()))
    proposals = _LinkedIds(_iterate(published_activity_proposal_links()))
    for activity in _iterate(published_activities().values(*PUBLIC_FIELDS["activity"])):
        pk = activity["id"]
        yield {
            "id": pk,
            "title": activity["title"],
            "status": activity["status"],
            "status_label": statuses.get(activity["status"], ""),
            "start_date": activity["start_date"],
            "due_date": activity["due_date"],
            "progress": progress.get(pk),
            "area_ids": areas.of(pk),
            "proposal_ids": proposals.of(pk),
        }


def _goal_rows(language: str) -> Iterator[Row]:
    indicators = _LinkedIds(_iterate(published_goal_indicator_links()))
    for goal in _iterate(published_goals().values(*PUBLIC_FIELDS["goal"])):
        yield {
            "id": goal["id"],
            "area_id": goal["area_id"],
            "title": goal["title"],
            "indicator_ids": indicators.of(goal["id"]),
        }


def _indicator_rows(language: str) -> Iterator[Row]:
    directions = _labels(Direction, language)
    sources = _labels(IndicatorSource, language)
    for indicator in _iterate(published_indicators().values(*PUBLIC_FIELDS["indicator"])):
        yield {
            "id": indicator["id"],
            "name": indicator["name"],
            "unit": indicator["unit"],
            "direction": indicator["direction"],
            "direction_label": directions.get(indicator["direction"], ""),
            "source": indicator["source"],
            "source_label": sources.get(indicator["source"], ""),
            "baseline_value": indicator["baseline_value"],
            "baseline_date": indicator["baseline_date"],
            "target_value": indicator["target_value"],
            "target_date": indicator["target_date"],
            "reporting_interval_months": indicator["reporting_interval"],
        }


def _measurement_rows(language: str) -> Iterator[Row]:
    for measurement in _iterate(published_measurements().values(*PUBLIC_FIELDS["measurement"])):
        yield {
            "id": measurement["id"],
            "indicator_id": measurement["indicator_id"],
            "date": measurement["date"],
            "value": measurement["value"],
        }


def _celebration_rows(language: str) -> Iterator[Row]:
    kinds = _labels(CelebrationKind, language)
    for celebration in _iterate(published_celebrations().values(*PUBLIC_FIELDS["celebration"])):
        yield {
            "id": celebration["id"],
            "kind": celebration["kind"],
            "kind_label": kinds.get(celebration["kind"], ""),
            "title": celebration["title"],
            "value": celebration["value"],
            "occurred_on": celebration["occurred_on"],
        }


# --- The datasets -------------------------------------------------------------------------------

KEYWORDS_SV = ("näringsliv", "företagsklimat", "små och medelstora företag", "Eskilstuna")
KEYWORDS_EN = ("business", "business climate", "small and medium-sized enterprises", "Eskilstuna")

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        slug="areas",
        title_sv="Prioriterade områden",
        title_en="Priority areas",
        description_sv=(
            "De prioriterade områdena i Eskilstuna kommuns plan för små och medelstora företag, "
            "med hur många av de intervjuade företagen som tog upp varje område och deras "
            "synpunkter per typ (utmaningar, idéer, styrkor) enligt den senaste sammanställningen "
            "av hela perioden. Bara sammanräknade siffror: inga svar, citat eller namn."
        ),
        description_en=(
            "The priority areas of Eskilstuna municipality's plan for small and medium-sized "
            "enterprises, with how many of the interviewed companies raised each area and their "
            "findings by type (challenges, ideas, strengths) as of the latest summary of the "
            "whole period. Aggregates only: no answers, quotes or names."
        ),
        keywords_sv=(*KEYWORDS_SV, "intervjuer", "prioriterade områden"),
        keywords_en=(*KEYWORDS_EN, "interviews", "priority areas"),
        columns=(
            Column("id", INTEGER),
            Column("name"),
            Column("name_en"),
            Column("order", INTEGER),
            Column("companies", INTEGER),
            Column("challenges", INTEGER),
            Column("ideas", INTEGER),
            Column("strengths", INTEGER),
            Column("summary_taken_at", DATETIME),
        ),
        read=_area_rows,
    ),
    Dataset(
        slug="proposals",
        title_sv="Förslag från företagsdialogen",
        title_en="Proposals from the SME dialogue",
        description_sv=(
            "Förslag som grupperna tog fram på företagsdialogen och som kommunen har publicerat: "
            "prioriterat område, vem som ska agera (kommunen, näringslivet eller tillsammans), "
            "status och antal röster."
        ),
        description_en=(
            "Proposals the groups made at the SME dialogue and the municipality has published: "
            "priority area, who is to act (the municipality, the business community or "
            "together), status and number of votes."
        ),
        keywords_sv=(*KEYWORDS_SV, "förslag", "företagsdialog"),
        keywords_en=(*KEYWORDS_EN, "proposals", "SME dialogue"),
        columns=(
            Column("id", INTEGER),
            Column("area_id", INTEGER),
            Column("title"),
            Column("actor"),
            Column("actor_label", is_label=True),
            Column("status"),
            Column("status_label", is_label=True),
            Column("votes", INTEGER),
        ),
        read=_proposal_rows,
    ),
    Dataset(
        slug="activities",
        title_sv="Aktiviteter i handlingsplanen",
        title_en="Activities of the action plan",
        description_sv=(
            "Publicerade aktiviteter i handlingsplanen: status, start- och slutdatum, hur långt "
            "de har kommit i procent, och vilka prioriterade områden och förslag de hör till."
        ),
        description_en=(
            "Published activities of the action plan: status, start and due date, how far they "
            "have come in percent, and the priority areas and proposals they belong to."
        ),
        keywords_sv=(*KEYWORDS_SV, "handlingsplan", "aktiviteter"),
        keywords_en=(*KEYWORDS_EN, "action plan", "activities"),
        columns=(
            Column("id", INTEGER),
            Column("title"),
            Column("status"),
            Column("status_label", is_label=True),
            Column("start_date", DATE),
            Column("due_date", DATE),
            Column("progress", INTEGER),
            Column("area_ids", IDS),
            Column("proposal_ids", IDS),
        ),
        read=_activity_rows,
    ),
    Dataset(
        slug="goals",
        title_sv="Gemensamma mål",
        title_en="Shared goals",
        description_sv=(
            "Publicerade mål i handlingsplanen per prioriterat område, med de mätetal som visar "
            "om de nås."
        ),
        description_en=(
            "Published goals of the action plan per priority area, with the indicators that show "
            "whether they are reached."
        ),
        keywords_sv=(*KEYWORDS_SV, "handlingsplan", "mål"),
        keywords_en=(*KEYWORDS_EN, "action plan", "goals"),
        columns=(
            Column("id", INTEGER),
            Column("area_id", INTEGER),
            Column("title"),
            Column("indicator_ids", IDS),
        ),
        read=_goal_rows,
    ),
    Dataset(
        slug="indicators",
        title_sv="Mätetal",
        title_en="Indicators",
        description_sv=(
            "Mätetalen för de publicerade målen: enhet, vilket håll som är bättre, källa, "
            "utgångsvärde och målvärde med sina datum, och hur ofta de mäts."
        ),
        description_en=(
            "The indicators of the published goals: unit, which direction is better, source, "
            "baseline and target with their dates, and how often they are measured."
        ),
        keywords_sv=(*KEYWORDS_SV, "mätetal", "uppföljning"),
        keywords_en=(*KEYWORDS_EN, "indicators", "monitoring"),
        columns=(
            Column("id", INTEGER),
            Column("name"),
            Column("unit"),
            Column("direction"),
            Column("direction_label", is_label=True),
            Column("source"),
            Column("source_label", is_label=True),
            Column("baseline_value", DECIMAL),
            Column("baseline_date", DATE),
            Column("target_value", DECIMAL),
            Column("target_date", DATE),
            Column("reporting_interval_months", INTEGER),
        ),
        read=_indicator_rows,
    ),
    Dataset(
        slug="measurements",
        title_sv="Mätningar",
        title_en="Measurements",
        description_sv="De uppmätta värdena för de publicerade mätetalen, över tid.",
        description_en="The measured values of the published indicators, over time.",
        keywords_sv=(*KEYWORDS_SV, "mätetal", "mätningar"),
        keywords_en=(*KEYWORDS_EN, "indicators", "measurements"),
        columns=(
            Column("id", INTEGER),
            Column("indicator_id", INTEGER),
            Column("date", DATE),
            Column("value", DECIMAL),
        ),
        read=_measurement_rows,
    ),
    Dataset(
        slug="celebrations",
        title_sv="Att fira",
        title_en="Celebrations",
        description_sv=(
            "Uppnådda delmål, avslutade aktiviteter och nådda målvärden som kommunen har "
            "publicerat, med datum."
        ),
        description_en=(
            "Milestones reached, activities completed and indicator targets reached that the "
            "municipality has published, with their dates."
        ),
        keywords_sv=(*KEYWORDS_SV, "handlingsplan", "resultat"),
        keywords_en=(*KEYWORDS_EN, "action plan", "results"),
        columns=(
            Column("id", INTEGER),
            Column("kind"),
            Column("kind_label", is_label=True),
            Column("title"),
            Column("value", DECIMAL),
            Column("occurred_on", DATE),
        ),
        read=_celebration_rows,
    ),
)

DATASETS_BY_SLUG: dict[str, Dataset] = {dataset.slug: dataset for dataset in DATASETS}
