"""A business developer logs a company, an interview with findings and a red flag in Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_developer_logs_an_interview_and_finds_it_again(login, live_server, assert_accessible):
    page = login("utvecklare")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Företag").click()
    page.get_by_role("link", name="Nytt företag").click()
    page.get_by_label("Företagsnamn").fill("Torshälla Precisionsmekanik AB")
    page.get_by_label("Organisationsnummer").fill("556036-0793")
    page.get_by_label("Bransch (SNI-avdelning)").select_option("C")
    page.get_by_label("Storleksklass").select_option("10-49")
    page.get_by_label("Kommundel").select_option("torshalla")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(re.compile(r"/foretag/\d+/$"))
    expect(page.get_by_role("heading", name="Torshälla Precisionsmekanik AB")).to_be_visible()

    page.get_by_role("link", name="Ny intervju").click()
    page.locator("#id_date").fill("2026-11-20")
    page.get_by_label("Längd (minuter)").fill("75")
    page.get_by_label("Betyg på företagsklimatet (1–6)").select_option("3")
    page.get_by_label("Anonymt citat").check()
    page.get_by_label("Anteckningar").fill(
        "Vd:n berättade om lång väntan på bygglov för en ny hall."
    )
    page.locator("#id_findings-0-area").select_option(
        label="Service till företag och intern samverkan (bygglov, tillstånd, bemötande)"
    )
    page.locator("#id_findings-0-type").select_option("utmaning")
    page.locator("#id_findings-0-text").fill("Bygglovet för den nya hallen tog fem månader.")
    page.locator("#id_findings-0-quote").fill("Vi höll på att flytta till Västerås.")
    page.locator("#id_findings-1-area").select_option(label="Kompetensförsörjning")
    page.locator("#id_findings-1-type").select_option("ide")
    page.locator("#id_findings-1-text").fill("Lärlingsplatser tillsammans med Rinmangymnasiet.")
    assert_accessible(page)
    page.get_by_role("button", name="Spara intervjun").click()
    page.wait_for_url(re.compile(r"/intervjuer/\d+/$"))
    expect(page.get_by_text("Intervjun sparades.")).to_be_visible()
    expect(page.get_by_text("Vi höll på att flytta till Västerås.")).to_be_visible()
    page.get_by_role("link", name="Vem ändrade vad och när").click()
    expect(
        page.get_by_role("heading", name=re.compile("^Historik: Intervju med Torshälla"))
    ).to_be_visible()
    assert page.get_by_role("cell", name="Skapad (synpunkt)").count() == 2
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Tillbaka till Intervju med Torshälla")).click()

    page.get_by_text("Sätt en flagga").click()
    page.get_by_label("Röd flagga – agera nu").check()
    page.get_by_label("Vad behöver göras").fill("Boka möte med bygglovsenheten")
    page.get_by_role("button", name="Sätt flagga").click()
    expect(page.get_by_text("Flaggan är satt")).to_be_visible()
    expect(
        page.get_by_role("cell", name="Boka möte med bygglovsenheten", exact=True)
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Intervjuer").click()
    page.get_by_label("Prioriterat område").select_option(label="Kompetensförsörjning")
    page.get_by_role("button", name="Visa intervjuer").click()
    expect(page.get_by_role("cell", name="Torshälla Precisionsmekanik AB")).to_be_visible()
    expect(page.get_by_text("1 intervju matchar.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Prioriterat område").select_option(label="Upphandling inom kommunkoncernen")
    page.get_by_role("button", name="Visa intervjuer").click()
    expect(page.get_by_text("0 intervjuer matchar.")).to_be_visible()

    page.get_by_role("link", name="Rensa filter").click()
    page.get_by_label("Sök", exact=True).fill("hallen")
    page.get_by_role("button", name="Visa intervjuer").click()
    expect(page.get_by_role("cell", name="Torshälla Precisionsmekanik AB")).to_be_visible()
    expect(page.get_by_text("1 intervju matchar.")).to_be_visible()
