"""The Tillväxtrådet dashboard: reads the latest summary snapshot, never recomputes."""

from __future__ import annotations

import datetime
from copy import deepcopy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from reports import views_dashboard
from reports.models import SummarySnapshot
from smeportal.accounts import roles
from smeportal.accounts.roles import Role
from smeportal.areas.seed import SIX_AREAS
from smeportal.core.charts import Bar, bar_chart

URL = "reports:dashboard"
CONTACT_NAME = "Gunborg Kontaktsdotter"


def _area(position: int, slug: str, name: str, name_en: str, colour: str, scale: int) -> dict:
    companies = 10 + position * scale
    return {
        "id": position,
        "slug": slug,
        "order": position,
        "name": name,
        "name_en": name_en,
        "colour": colour,
        "interviews": 20 + position,
        "companies": companies,
        "company_share": round(companies / 60, 4),
        "findings_by_type": {"utmaning": 30 + position, "ide": 5 + position, "styrka": position},
        "share_by_industry": [
            {
                "code": "C",
                "label": "C – Tillverkning",
                "companies": 4,
                "interviewed": 12,
                "share": 0.3333,
            },
            {
                "code": "F",
                "label": "F – Byggverksamhet",
                "companies": 2,
                "interviewed": 8,
                "share": 0.25,
            },
        ],
        "share_by_size": [
            {
                "code": "1-9",
                "label": "1–9 anställda",
                "companies": 5,
                "interviewed": 30,
                "share": 0.1667,
            }
        ],
        "average_grade": 3.4 if position != 5 else None,
        "key_quotes": [
            {"text": f"Citat om område {position}", "attribution": "ett företag inom Tillverkning"}
        ],
        "proposals_by_actor": {"kommunen": 3, "naringslivet": 1, "tillsammans": 2},
        "proposals_by_status": {"ny": 2, "under_beredning": 2, "i_handlingsplan": 2},
        "proposal_votes": 40 + position,
        "top_proposals": [
            {
                "title": f"Förslag {position}{index}: snabbare besked",
                "votes": 10 - index,
                "actor": "kommunen",
                "status": "i_handlingsplan",
            }
            for index in range(scale)
        ],
        "activities_by_status": {"planerad": 1, "pagar": 3, "klar": 1},
        "activities_average_progress": 45.0,
        "activities_on_track": 4,
        "activities_overdue": position % 3,
        "overdue_activities": [
            {"title": f"Försenad aktivitet {position}", "due_date": "2025-10-01"}
        ]
        if position % 3
        else [],
        "indicators": [
            {
                "id": position,
                "name": f"Mätetal för område {position}",
                "unit": "betyg 1–6",
                "direction": "hogre",
                "latest_value": 3.4,
                "latest_date": "2024-06-01",
                "progress": 0.14,
                "status": "risk",
                "target_value": 4.0,
                "target_date": "2030-06-01",
            }
        ],
        "indicators_by_status": {"i_fas": position % 2, "risk": 1, "efter": 2, "ingen_matning": 0},
        "gaps": {
            "challenges_without_proposal": 7 + position,
            "challenge_examples": ["Svårt att nå rätt handläggare"],
            "proposals_outside_plan": 2,
            "proposal_examples": [{"title": "Företagslots", "companies": 3, "votes": 8}],
        },
    }


def make_summary(
    *,
    taken_at: str = "2026-11-29T14:05:00+01:00",
    period: tuple[str | None, str | None] = (None, None),
    scale: int = 1,
) -> dict:
    """A summary dict by hand, as documented in reports/summary.py."""
    areas = [
        _area(position, *fields, scale)
        for position, fields in enumerate(SIX_AREAS, start=1)
        # SIX_AREAS holds (slug, name, name_en, description, colour)
        for fields in [(fields[0], fields[1], fields[2], fields[4])]
    ]
    return {
        "taken_at": taken_at,
        "period": {"start": period[0], "end": period[1]},
        "totals": {
            "interviews": 60,
            "companies": 58,
            "findings": 412,
            "proposals": 36,
            "activities": 30,
            "indicators": 6,
            "average_grade": 3.4,
        },
        "areas": areas,
        "indicator_trends": [
            {
                "id": index,
                "name": f"Sammanfattande omdöme {index}",
                "unit": "betyg 1–6",
                "direction": "hogre",
                "status": "risk",
                "baseline": ["2021-06-01", 3.3],
                "target": ["2030-06-01", 4.0],
                "measurements": [["2022-06-01", 3.3], ["2023-06-01", 3.35], ["2024-06-01", 3.4]],
            }
            for index in range(1, 1 + scale)
        ],
        "celebrations": [
            {
                "title": f"Bygglovslotsen är i gång {index}",
                "occurred_on": "2026-10-15",
                "kind": "aktivitet",
                "is_celebrated": index % 2 == 0,
            }
            for index in range(1, 1 + min(10, scale + 1))
        ],
    }


def snapshot(*, taken_at: str = "2026-11-29T14:05:00+01:00", period=(None, None), scale: int = 1):
    data = make_summary(taken_at=taken_at, period=period, scale=scale)
    return SummarySnapshot.objects.create(
        taken_at=datetime.datetime.fromisoformat(taken_at),
        period_start=datetime.date.fromisoformat(period[0]) if period[0] else None,
        period_end=datetime.date.fromisoformat(period[1]) if period[1] else None,
        data=data,
    )


def swedish(msgid: str) -> str:
    with translation.override("sv"):
        return gettext(msgid)


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role_client", list(Role), indirect=True)
def test_every_role_may_read_the_dashboard(role_client):
    snapshot()
    response = role_client.get(reverse(URL))
    assert response.status_code == 200


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse(URL))
    assert response.status_code == 302
    assert "logga-in" in response["Location"]


def test_user_without_role_is_refused(client, user_without_role):
    client.force_login(user_without_role)
    assert client.get(reverse(URL)).status_code == 403


# --- Without a snapshot ------------------------------------------------------------------------


def test_without_snapshot_the_page_says_so(council_client):
    response = council_client.get(reverse(URL))
    assert response.status_code == 200
    assert swedish("No summary has been made yet.") in response.content.decode()
    assert response.context["snapshot"] is None


def test_without_snapshot_no_button_for_the_council(council_client):
    response = council_client.get(reverse(URL))
    assert response.context["run_create_url"] is None or not response.context["can_create"]
    assert 'method="post"' not in response.content.decode().split('id="main"')[1]


# --- With a snapshot ---------------------------------------------------------------------------


def test_six_area_cards_in_order_with_their_numbers(council_client):
    snapshot()
    response = council_client.get(reverse(URL))
    html = response.content.decode()
    cards = html.split('class="card area-summary')[1:]
    assert len(cards) == 6
    for position, (card, area) in enumerate(zip(cards, SIX_AREAS, strict=True), start=1):
        assert area[1] in card
        assert f">{10 + position}<" in card  # companies raising the area
        assert f">{30 + position}<" in card  # challenges
        assert f">{20 + position}<" in card  # interviews
    positions = [html.index(area[1]) for area in SIX_AREAS]
    assert positions == sorted(positions)


def test_totals_and_time_taken_are_shown(council_client):
    snapshot(taken_at="2026-11-29T14:05:00+01:00")
    html = council_client.get(reverse(URL)).content.decode()
    assert "29 november 2026" in html
    assert "14:05" in html
    assert ">412<" in html  # findings in total
    assert ">58<" in html  # companies in total


def test_overview_chart_and_table_show_the_same_figures(council_client):
    snapshot()
    response = council_client.get(reverse(URL))
    html = response.content.decode()
    chart = html.split('<svg class="bar-chart"')[1].split("</svg>")[0]
    assert 'role="img"' in html.split('<svg class="bar-chart"')[1][:400]
    table = html.split('id="area-comparison"')[1].split("</table>")[0]
    for position in range(1, 7):
        assert f">{10 + position}</text>" in chart
        assert f">{10 + position}</td>" in table


def test_indicator_trends_are_drawn_with_a_table(council_client):
    snapshot()
    html = council_client.get(reverse(URL)).content.decode()
    assert '<svg class="line-chart"' in html
    assert "Sammanfattande omdöme 1" in html
    assert "<details" in html
    assert "2024-06-01" in html


def test_indicators_needing_an_update_are_counted_and_named_apart(council_client):
    """A snapshot whose indicators are stale: the card and the table count them apart from
    those on track, and the trend says "Behöver uppdateras" in text and shape."""
    data = make_summary()
    for area in data["areas"]:
        area["indicators_by_status"] = {
            "i_fas": 0, "risk": 0, "efter": 0, "behover_uppdateras": 2, "ingen_matning": 0,
        }  # fmt: skip
    data["indicator_trends"][0]["status"] = "behover_uppdateras"
    SummarySnapshot.objects.create(
        taken_at=datetime.datetime.fromisoformat("2026-11-29T14:05:00+01:00"), data=data
    )
    html = council_client.get(reverse(URL)).content.decode()
    card = html.split('class="card area-summary')[1]
    assert "0 i fas, 0 med risk, 0 efter; 2 behöver uppdateras" in card
    table = html.split('id="area-comparison"')[1].split("</table>")[0]
    assert swedish("Indicators needing updating") in table
    trends = html.split('id="trends-heading"')[1]
    assert "indicator-status-behover_uppdateras" in trends
    assert "Behöver uppdateras" in trends
    assert "indicator-status-i_fas" not in trends


def test_celebrations_are_listed_with_their_state_in_text(council_client):
    snapshot(scale=2)
    html = council_client.get(reverse(URL)).content.decode()
    assert "Bygglovslotsen är i gång 1" in html
    assert "Bygglovslotsen är i gång 2" in html
    assert swedish("Not yet") in html
    assert swedish("Yes") in html


def test_links_to_the_celebration_list(council_client):
    snapshot()
    html = council_client.get(reverse(URL)).content.decode()
    assert reverse("actionplan:celebration_list") in html


def test_no_personal_data_on_the_page(council_client, db):
    from tests.factories import ContactFactory, FindingFactory, InterviewFactory

    contact = ContactFactory(name=CONTACT_NAME)
    interview = InterviewFactory(company=contact.company, notes="Hemlig anteckning om lokaler")
    FindingFactory(interview=interview, text="Konfidentiell synpunkt", is_confidential=True)
    snapshot()
    html = council_client.get(reverse(URL)).content.decode()
    assert CONTACT_NAME not in html
    assert "Hemlig anteckning" not in html
    assert "Konfidentiell synpunkt" not in html
    assert contact.email not in html


# --- Periods -----------------------------------------------------------------------------------


def test_the_whole_period_is_shown_by_default(council_client):
    """Not whichever snapshot was built last: a later, narrower period would replace the
    whole picture without anyone choosing it."""
    whole = snapshot(taken_at="2026-10-01T08:00:00+02:00")
    snapshot(taken_at="2026-11-29T14:05:00+01:00", period=("2025-01-01", "2025-12-31"))
    response = council_client.get(reverse(URL))
    assert response.context["snapshot"] == whole


def test_without_a_whole_period_the_latest_snapshot_is_shown(council_client):
    snapshot(taken_at="2026-10-01T08:00:00+02:00", period=("2024-01-01", "2024-12-31"))
    latest = snapshot(taken_at="2026-11-29T14:05:00+01:00", period=("2025-01-01", "2025-12-31"))
    assert council_client.get(reverse(URL)).context["snapshot"] == latest


def test_old_figures_are_said_to_be_old(council_client):
    from django.utils import timezone

    taken = timezone.now() - datetime.timedelta(days=10)
    snapshot(taken_at=taken.isoformat())
    body = council_client.get(reverse(URL)).content.decode()
    assert "De här siffrorna är 10 dagar gamla" in body
    SummarySnapshot.objects.all().delete()
    snapshot(taken_at=timezone.now().isoformat())
    assert "dagar gamla" not in council_client.get(reverse(URL)).content.decode()


def test_period_filter_selects_that_periods_latest_snapshot(council_client):
    old_whole = snapshot(taken_at="2026-09-01T08:00:00+02:00")
    whole = snapshot(taken_at="2026-10-01T08:00:00+02:00")
    snapshot(taken_at="2026-11-29T14:05:00+01:00", period=("2025-01-01", "2025-12-31"))
    response = council_client.get(reverse(URL), {"period": "hela"})
    assert response.context["snapshot"] == whole
    assert response.context["snapshot"] != old_whole
    html = response.content.decode()
    assert swedish("The whole period") in html
    assert "2025-01-01 – 2025-12-31" in html
    assert '<option value="hela" selected' in html


def test_period_filter_with_dates(council_client):
    snapshot(taken_at="2026-11-29T14:05:00+01:00")
    dated = snapshot(taken_at="2026-10-01T08:00:00+02:00", period=("2025-01-01", "2025-12-31"))
    response = council_client.get(reverse(URL), {"period": "2025-01-01_2025-12-31"})
    assert response.context["snapshot"] == dated
    assert '<option value="2025-01-01_2025-12-31" selected' in response.content.decode()


def test_unknown_period_is_a_form_error(council_client):
    snapshot()
    response = council_client.get(reverse(URL), {"period": "1999-01-01_1999-12-31"})
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()


# --- Queries -----------------------------------------------------------------------------------


def test_query_count_is_constant(council_client):
    snapshot(scale=1)
    with CaptureQueriesContext(connection) as small:
        assert council_client.get(reverse(URL)).status_code == 200
    for month in range(1, 13):
        snapshot(
            taken_at=f"2025-{month:02d}-15T10:00:00+01:00",
            period=(f"2024-{month:02d}-01", "2024-12-31"),
            scale=8,
        )
    snapshot(taken_at="2026-12-01T10:00:00+01:00", scale=8)
    with CaptureQueriesContext(connection) as large:
        assert council_client.get(reverse(URL)).status_code == 200
    assert len(large) == len(small)
    # The snapshot and the list of periods; the rest is the session and the user's roles.
    snapshot_queries = [q for q in large.captured_queries if "reports_summarysnapshot" in q["sql"]]
    assert len(snapshot_queries) == 2


# --- The create button -------------------------------------------------------------------------


def test_staff_who_build_reports_get_a_button_when_nothing_exists(developer_client):
    create_url = reverse("reports:run_create")
    html = developer_client.get(reverse(URL)).content.decode()
    assert f'action="{create_url}"' in html
    assert 'method="post"' in html
    assert swedish("Make a summary now") in html


def test_no_button_once_a_snapshot_exists(developer_client):
    snapshot()
    html = developer_client.get(reverse(URL)).content.decode()
    assert swedish("Make a summary now") not in html


def test_create_button_is_a_post_form(admin_client, monkeypatch, settings):
    monkeypatch.setitem(
        roles.CAPABILITIES, "reports.create", frozenset({Role.ADMINISTRATOR, Role.DEVELOPER})
    )
    monkeypatch.setattr(views_dashboard, "_url_or_none", lambda name: f"/test/{name}/")
    response = admin_client.get(reverse(URL))
    html = response.content.decode()
    assert 'action="/test/reports:run_create/"' in html
    assert 'method="post"' in html


def test_council_never_gets_the_create_button(council_client, monkeypatch):
    monkeypatch.setitem(
        roles.CAPABILITIES, "reports.create", frozenset({Role.ADMINISTRATOR, Role.DEVELOPER})
    )
    monkeypatch.setattr(views_dashboard, "_url_or_none", lambda name: f"/test/{name}/")
    html = council_client.get(reverse(URL)).content.decode()
    assert "/test/reports:run_create/" not in html


# --- The bar chart geometry --------------------------------------------------------------------


def test_bar_chart_scales_bars_to_the_largest_value():
    chart = bar_chart(
        [Bar("Kommunikation", 10, "#1f5f8b"), Bar("Service", 20, "#a23b2a"), Bar("Tom", 0)],
        title="Företag",
        description="Antal företag per område",
    )
    widths = [bar.width for bar in chart.bars]
    assert widths[1] > widths[0] > 0
    assert widths[2] == 0
    assert abs(widths[0] * 2 - widths[1]) < 1
    assert [bar.value_label for bar in chart.bars] == ["10", "20", "0"]
    assert [bar.label for bar in chart.bars] == ["Kommunikation", "Service", "Tom"]
    assert chart.height > chart.bars[-1].y


def test_bar_chart_without_values_has_no_bars():
    chart = bar_chart([], title="T", description="D")
    assert not chart.has_data


def test_dates_are_shown_in_local_time(council_client):
    moment = timezone.make_aware(datetime.datetime(2026, 6, 30, 23, 30), datetime.UTC)
    SummarySnapshot.objects.create(taken_at=moment, data=make_summary())
    html = council_client.get(reverse(URL)).content.decode()
    # 23:30 UTC is 01:30 the next day in Stockholm in summer.
    assert "1 juli 2026" in html
    assert "01:30" in html


def test_summary_dict_is_not_changed_by_the_page(council_client):
    item = snapshot()
    before = deepcopy(item.data)
    council_client.get(reverse(URL))
    item.refresh_from_db()
    assert item.data == before
