"""htmx in Chromium: requests carry the CSRF token from portal.js, user text never acts.

Issue 11: a group named `<b hx-post=… hx-trigger=load>` made the browser of whoever opened the
votes page post, with the CSRF token that <body hx-headers> handed every htmx request.
"""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from smeportal.areas.models import PriorityArea
from tests.factories import ProposalFactory, WorkshopFactory, WorkshopGroupFactory
from workshops.models import Proposal


def record_requests(page) -> list:
    requests = []
    page.on("request", lambda request: requests.append(request))
    return requests


def test_a_fast_entry_post_carries_the_csrf_token_from_the_meta_tag(login, live_server):
    group = WorkshopGroupFactory(name="Bord 3", area=PriorityArea.objects.get(order=3))
    page = login("processledare")
    url = reverse("workshops:fast_entry", args=[group.pk])
    page.goto(live_server.url + url)
    token = page.locator("meta[name='csrf-token']").get_attribute("content")
    assert token
    # Without the form's hidden token only the header set by portal.js can get it through.
    page.evaluate("document.querySelector('#fast-entry-form [name=csrfmiddlewaretoken]').remove()")
    page.locator("#id_title").fill("Ett telefonnummer för alla företagsärenden")
    page.locator("label[for=id_actor_0]").click()
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith(url)) as posted:
        page.locator("#id_title").press("Enter")
    headers = posted.value.headers
    assert headers["hx-request"] == "true"
    assert headers["x-csrftoken"] == token
    expect(page.locator("#fast-entry-proposals li")).to_have_count(1)
    assert page.url.endswith(url)  # swapped in place, no full page load
    assert Proposal.objects.filter(group=group).count() == 1


def test_an_hx_attribute_in_user_text_does_nothing(login, live_server):
    workshop = WorkshopFactory(title="Företagsdialog 11 november")
    trap = (
        '<b hx-post="/konto/logga-ut/" data-hx-post="/konto/logga-ut/" hx-trigger="load">Bord 1</b>'
    )
    group = WorkshopGroupFactory(workshop=workshop, name=trap)
    ProposalFactory(group=group, title=trap)
    page = login("processledare")
    requests = record_requests(page)
    page.goto(live_server.url + reverse("workshops:votes", args=[workshop.pk]))
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text(f"Grupp: {trap}")).to_be_visible()
    assert page.locator("b[hx-post], b[data-hx-post]").count() == 0
    assert [request.url for request in requests if request.method != "GET"] == []
    # Still logged in: the page that would have posted to the logout URL shows the workshop.
    page.goto(live_server.url + reverse("workshops:workshop_detail", args=[workshop.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Företagsdialog 11 november")


def test_htmx_evaluates_no_code_and_requests_no_other_origin(login, live_server):
    """Should markup ever get in, htmx still runs no script from attributes and calls no one
    else: the config in base.html (allowEval false, selfRequestsOnly) is in force."""
    group = WorkshopGroupFactory(name="Bord 3", area=PriorityArea.objects.get(order=3))
    page = login("processledare")
    page.goto(live_server.url + reverse("workshops:fast_entry", args=[group.pk]))
    requests = record_requests(page)
    page.evaluate(
        """() => {
          const trap = document.createElement("div");
          trap.innerHTML = `
            <button id="evil-on" hx-on:click="window.evilOn = true">a</button>
            <div hx-get="/" hx-trigger="load[window.evilFilter = true]"></div>
            <div hx-get="/" hx-vals='js:{x: window.evilVals = true}' hx-trigger="load"></div>
            <div hx-get="https://example.org/steal" hx-trigger="load"></div>`;
          document.body.append(trap);
          htmx.process(trap);
          document.getElementById("evil-on").click();
        }"""
    )
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert page.evaluate("[window.evilOn, window.evilFilter, window.evilVals]") == [
        None,
        None,
        None,
    ]
    assert not [request.url for request in requests if "example.org" in request.url]
    config = page.evaluate(
        "[htmx.config.allowEval, htmx.config.selfRequestsOnly,"
        " htmx.config.allowScriptTags, htmx.config.historyCacheSize]"
    )
    assert config == [False, True, False, 0]
