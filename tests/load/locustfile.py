"""Load test: the four demo roles browse the main pages of the portal (run by tests/load/run.sh).

Every user logs in as its demo role (password from DEMO_PASSWORD) and then reads pages with a
think time of one to three seconds, as a person would. Object pages (an interview, a workshop, a
proposal, an activity, an indicator) use ids found in the links of the list pages, so the file
works on any database seeded with `manage.py seed_demo`. Each role only visits the pages its
role may see, so any status other than 2xx counts as an error.

Only ever point it at a server on this machine (run.sh starts gunicorn on 127.0.0.1).
"""

from __future__ import annotations

import json
import os
import random
import re
import time

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("DEMO_PASSWORD", "")
LOGIN_REQUESTS = {"login form", "login"}
PAGES_SUMMARY = os.environ.get("LOAD_PAGES_SUMMARY", "")

INTERVIEW_FILTERS = [
    "?q=bygglov",
    "?finding_type=utmaning&sort=company",
    "?open_flags=alla",
    "?status=klar&sort=-grade",
    "?district=centrum",
    "?page=2",
]
FINDING_FILTERS = ["", "?type=ide", "?type=utmaning"]

# Ids found on the list pages, shared by all users of this process (the demo data is fixed).
_ids: dict[str, list[str]] = {}


def _found(user: HttpUser, key: str, list_url: str, pattern: str) -> list[str]:
    if not _ids.get(key):
        with user.client.get(list_url, name=list_url, catch_response=True) as response:
            _ids[key] = sorted(set(re.findall(pattern, response.text)))
            if response.ok and not _ids[key]:
                response.failure(f"no links matching {pattern} on {list_url}")
    return _ids[key]


# Every page request as (start time, response time in ms, error or None). The log-ins are left
# out: each costs about 0.3 s of CPU (Argon2) by design, and fifty of them in the first seconds
# saturate two cores, so the pages are also measured from the moment every user is logged in.
_pages: list[tuple[float, float, str | None]] = []
_logins_done = 0
_started: float | None = None
_steady_since: float | None = None


@events.test_start.add_listener
def _test_started(environment, **kwargs) -> None:
    global _started
    _started = time.time()


@events.request.add_listener
def _record(name, response_time, exception, start_time=0.0, **kwargs) -> None:
    if name in LOGIN_REQUESTS:
        return
    error = f"{name}: {exception}" if exception is not None else None
    _pages.append((start_time, response_time, error))


def _login_finished(user: HttpUser) -> None:
    global _logins_done, _steady_since
    _logins_done += 1
    if _logins_done >= user.environment.runner.target_user_count and _steady_since is None:
        _steady_since = time.time()


def _figures(pages: list[tuple[float, float, str | None]]) -> dict:
    times = sorted(response_time for _start, response_time, _error in pages)
    errors = [error for _start, _time, error in pages if error]

    def percentile(share: float) -> float | None:
        return round(times[min(len(times) - 1, int(share * len(times)))]) if times else None

    return {
        "requests": len(times),
        "failures": len(errors),
        "median": percentile(0.50),
        "p95": percentile(0.95),
        "p99": percentile(0.99),
        "failure_examples": errors[:10],
    }


@events.quitting.add_listener
def _write_pages_summary(environment, **kwargs) -> None:
    """The pages' figures, all and once every user is logged in, for run.sh to print."""
    if not PAGES_SUMMARY:
        return
    steady = [page for page in _pages if _steady_since and page[0] >= _steady_since]
    summary = {
        "all": _figures(_pages),
        "steady": _figures(steady),
        "ramp_up_seconds": round(_steady_since - _pages[0][0])
        if _steady_since and _pages
        else None,
    }
    with open(PAGES_SUMMARY, "w") as handle:
        json.dump(summary, handle)


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self) -> None:
        self.client.get("/konto/logga-in/", name="login form")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/konto/logga-in/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/konto/logga-in/"},
            name="login",
            catch_response=True,
        ) as response:
            # A successful login redirects to the start page; a failed one shows the form again.
            if "/konto/logga-in/" in response.url:
                response.failure(f"login failed for {self.username}")
        _login_finished(self)

    def visit(self, url: str, name: str | None = None) -> None:
        self.client.get(url, name=name or url)

    def visit_one(self, key: str, list_url: str, pattern: str) -> None:
        """One object page, linked from `list_url`; `pattern` is its path with (\\d+) for the id."""
        ids = _found(self, key, list_url, pattern)
        if ids:
            path = pattern.replace("(\\d+)", random.choice(ids))
            self.visit(path, name=pattern.replace("(\\d+)", "[id]"))

    # Pages every role may read.
    @task(3)
    def start_page(self) -> None:
        self.visit("/")

    @task(3)
    def dashboard(self) -> None:
        self.visit("/oversikt/")

    @task(2)
    def workshops(self) -> None:
        self.visit("/workshoppar/")
        self.visit_one("workshop", "/workshoppar/", r"/workshoppar/(\d+)/")

    @task(2)
    def proposal(self) -> None:
        workshops = _found(self, "workshop", "/workshoppar/", r"/workshoppar/(\d+)/")
        if workshops:
            page = f"/workshoppar/{workshops[0]}/"
            self.visit_one("proposal", page, r"/workshoppar/forslag/(\d+)/")

    @task(3)
    def action_plan(self) -> None:
        self.visit("/handlingsplan/")

    @task(2)
    def activity(self) -> None:
        self.visit_one("activity", "/handlingsplan/", r"/handlingsplan/aktiviteter/(\d+)/")

    @task(2)
    def indicators(self) -> None:
        self.visit("/handlingsplan/matetal/")
        self.visit_one("indicator", "/handlingsplan/matetal/", r"/handlingsplan/matetal/(\d+)/")

    @task(1)
    def celebrations(self) -> None:
        self.visit("/handlingsplan/att-fira/")

    @task(1)
    def coverage(self) -> None:
        self.visit("/handlingsplan/tackning/")

    @task(1)
    def reports(self) -> None:
        self.visit("/rapporter/")


class StaffUser(PortalUser):
    """Adds the findings (developers, facilitators and administrators)."""

    abstract = True

    @task(2)
    def findings(self) -> None:
        self.visit("/synpunkter/" + random.choice(FINDING_FILTERS), "/synpunkter/[filter]")


class InterviewUser(StaffUser):
    """Adds companies and interviews (developers and administrators)."""

    abstract = True

    @task(4)
    def interview_list(self) -> None:
        self.visit("/intervjuer/" + random.choice(INTERVIEW_FILTERS), "/intervjuer/[filter]")

    @task(3)
    def interview(self) -> None:
        self.visit_one("interview", "/intervjuer/", r"/intervjuer/(\d+)/")

    @task(2)
    def companies(self) -> None:
        self.visit("/foretag/")


class DeveloperUser(InterviewUser):
    weight = 4
    username = "utvecklare"


class AdministratorUser(InterviewUser):
    weight = 1
    username = "admin"


class FacilitatorUser(StaffUser):
    weight = 2
    username = "processledare"


class CouncilUser(PortalUser):
    weight = 2
    username = "radsmedlem"
