"""What the bench requests: every page a role can open, found from the URL patterns.

Every named URL pattern (tests/urlwalk.py) is either benchmarked or named in the result with
the reason it is not (an action without a page, such as logging out). Who may open a page comes
from the access matrix of the security tests (tests/security/test_access_matrix.py), which
fails when a new URL is not declared there, and so does which kind of object fills its <pk>:
a page added later is benchmarked without touching the bench. The objects are the heaviest of
their kind in the database (the company with the most interviews, the proposal with the most
evidence...), so a page that grows with its object shows it.

Besides each page as it opens, the bench requests what grows with the data: searches for a
common and a rare word, filters, a page deep in a list, the retention search, and each page
the council reads as the council (it sees aggregates and approved quotes only).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Case, Count, When
from django.urls import reverse

from smeportal.accounts.models import User
from smeportal.accounts.roles import Role
from tests.security.test_access_matrix import ACCESS, PK_OBJECTS
from tests.urlwalk import PUBLIC_URL_NAMES, URL_ARGUMENT_EXAMPLES, iter_url_patterns

ANONYMOUS = "anonymous"
# The role a page is benchmarked as: the first one in this order that may open it. The
# council, if it may open the page too, is benchmarked besides (its view is filtered).
ROLE_ORDER = (Role.DEVELOPER, Role.FACILITATOR, Role.ADMINISTRATOR, Role.COUNCIL)
DEMO_USERNAMES = {
    Role.DEVELOPER: "utvecklare",
    Role.FACILITATOR: "processledare",
    Role.COUNCIL: "radsmedlem",
    Role.ADMINISTRATOR: "admin",
}
# A trivial logged-in page: the yardstick every time is divided by.
TRIVIAL_PAGE = "core:accessibility"

# Pages measured in another way than a GET of their own.
MEASURED_ELSEWHERE = {
    "interviews:interview_import_confirm": "the import's commit (imports table)",
    "actionplan:measurement_import_confirm": "the import's commit (imports table)",
}

PAGE, SEARCH, EXPORT, DASHBOARD, IMPORT = "page", "search", "export", "dashboard", "import"

# A word in many findings at both sizes, and one in a single demo company's name that the
# scale data set never uses: found in one or two interviews at both sizes, so the pages and
# their queries compare (a word found at one size only would show an empty page at the other).
COMMON_WORD = "bygglov"
RARE_WORD = "knivsmedja"


def word_common_in_area(area_id: int | None) -> str:
    """The word (six letters or more) in most of the area's first 2,000 findings: for the
    evidence search of a proposal in that area, the hardest case (COMMON_WORD may belong to
    another area)."""
    from interviews.models import Finding

    if area_id is None:
        return COMMON_WORD
    texts = Finding.objects.filter(area_id=area_id).order_by("pk").values_list("text", flat=True)
    counts = Counter(
        word for text in texts[:2000] for word in set(re.findall(r"\w{6,}", text.lower()))
    )
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0] if counts else COMMON_WORD


@dataclass(frozen=True)
class BenchPage:
    key: str  # stable across databases: the URL name, the variant and the role
    name: str
    url: str
    role: str
    kind: str
    method: str = "GET"
    # For a POST: the data sent with the form's own hidden fields (CSRF token).
    data: dict[str, str] = field(default_factory=dict)


@dataclass
class Discovery:
    pages: list[BenchPage]
    imports: list[str]  # URL names of the imports, measured with a file of the largest size
    skipped: dict[str, str]  # URL name: why it is not benchmarked as a page


def kind_of(name: str) -> str:
    short = name.split(":")[-1]
    if "dashboard" in short:
        return DASHBOARD
    if "export" in short or "download" in short or short.endswith("_template"):
        return EXPORT
    return PAGE


def bench_objects() -> dict[str, object]:
    """The heaviest object of each kind that fills a <pk> (or a <slug>)."""
    from actionplan.choices import IndicatorSource
    from actionplan.models import (
        ActionPlan,
        Activity,
        Celebration,
        Goal,
        Indicator,
        Measurement,
        Milestone,
    )
    from interviews.models import Company, Contact, FollowUp, Interview
    from letters.models import LetterRound, ResultsLetter
    from reports.models import ReportRun
    from smeportal.areas.models import PriorityArea
    from smeportal.outbox.models import OutgoingMessage
    from workshops.models import Proposal, Workshop, WorkshopGroup

    developer = User.objects.get(username=DEMO_USERNAMES[Role.DEVELOPER])
    company = Company.objects.annotate(n=Count("interviews")).order_by("-n", "pk").first()
    interview = (
        Interview.objects.annotate(n=Count("findings")).order_by("-n", "-date", "pk").first()
    )
    workshop = Workshop.objects.annotate(n=Count("groups__proposals")).order_by("-n", "pk").first()
    plan = ActionPlan.objects.annotate(n=Count("activities")).order_by("-n", "-pk").first()
    activity = (
        Activity.objects.annotate(n=Count("proposals", distinct=True) + Count("milestones"))
        .order_by("-n", "pk")
        .first()
    )
    # Fetched from Kolada first, at both sizes: its page reads the fetches too (a page of
    # another kind has one query less, whatever the data's size).
    indicator = (
        Indicator.objects.annotate(n=Count("measurements"))
        .order_by(Case(When(source=IndicatorSource.KOLADA, then=0), default=1), "-n", "pk")
        .first()
    )
    objects = {
        "area": PriorityArea.objects.annotate(n=Count("findings")).order_by("-n").first(),
        "company": company,
        "contact": Contact.objects.filter(company=company).order_by("pk").first(),
        "interview": interview,
        "followup": FollowUp.objects.filter(owner=developer).order_by("-due_date", "pk").first(),
        "workshop": workshop,
        "group": WorkshopGroup.objects.annotate(n=Count("proposals"))
        .filter(workshop=workshop)
        .order_by("-n", "pk")
        .first(),
        "proposal": Proposal.objects.filter(merged_into__isnull=True)
        .annotate(n=Count("evidence"))
        .order_by("-n", "pk")
        .first(),
        "plan": plan,
        "goal": Goal.objects.filter(plan=plan).order_by("pk").first(),
        "activity": activity,
        "milestone": Milestone.objects.filter(activity=activity).order_by("pk").first(),
        "indicator": indicator,
        "measurement": Measurement.objects.filter(indicator=indicator).order_by("-date").first(),
        "celebration": Celebration.objects.order_by("-occurred_on", "-pk").first(),
        "run": ReportRun.objects.filter(status=ReportRun.Status.DONE).order_by("-pk").first(),
        "developer": developer,
        "message": OutgoingMessage.objects.order_by("-pk").first(),
        "letter_round": LetterRound.objects.order_by("-pk").first(),
        "sent_letter_round": LetterRound.objects.filter(sent_at__isnull=False)
        .order_by("-pk")
        .first(),
        "letter": ResultsLetter.objects.order_by("-pk").first(),
        "finding": interview.findings.order_by("pk").first() if interview else None,
    }
    if apps.is_installed("api"):
        from api.models import ApiToken

        objects["api_token"] = ApiToken.objects.filter(user=developer).order_by("-pk").first()
    if apps.is_installed("archive"):
        from archive.models import DeliveryPackage, InformationRule

        objects["plan_rule"] = InformationRule.objects.order_by("pk").first()
        objects["package"] = (
            DeliveryPackage.objects.filter(status="klar").order_by("-record_count", "-pk").first()
        )
    if apps.is_installed("records"):
        from records.models import CoveredItem, Mask, RecordRequest, ReleasedDocument, SecrecyGround

        item = CoveredItem.objects.order_by("-pk").first()
        objects["record_request"] = item.request if item else RecordRequest.objects.last()
        objects["covered_item"] = item
        objects["mask"] = Mask.objects.order_by("-pk").first()
        objects["released_document"] = (
            ReleasedDocument.objects.filter(status="klar").order_by("-pk").first()
        )
        objects["ground"] = SecrecyGround.objects.order_by("pk").first()
    # Objects of apps that may not exist yet in every version of the portal.
    if apps.is_installed("interviews"):
        try:
            export_model = apps.get_model("interviews", "InterviewExport")
        except LookupError:
            export_model = None
        if export_model is not None:
            objects["export"] = (
                export_model.objects.filter(status="klar", requested_by=developer)
                .order_by("-pk")
                .first()
            )
    return objects


def variants(objects: dict[str, object]) -> dict[str, list[tuple[str, str, dict[str, str]]]]:
    """Per URL name: (label, kind, query) of the requests that grow with the data."""
    area = str(objects["area"].pk)
    developer = str(objects["developer"].pk)
    company = objects["company"]
    name_word = company.name.split()[0] if company else "AB"
    number = company.organisation_number if company else "556036-0793"
    proposal = objects["proposal"]
    evidence_word = word_common_in_area(proposal.area_id if proposal else None)
    return {
        "interviews:interview_list": [
            ("search common word", SEARCH, {"q": COMMON_WORD}),
            ("search rare word", SEARCH, {"q": RARE_WORD}),
            ("search company name", SEARCH, {"q": name_word}),
            ("area", PAGE, {"area": area}),
            ("finding type", PAGE, {"finding_type": "utmaning"}),
            (
                "area, type, half year and status",
                PAGE,
                {
                    "area": area,
                    "finding_type": "ide",
                    "date_from": "2026-01-01",
                    "date_to": "2026-06-30",
                    "status": "klar",
                },
            ),
            ("open flags", PAGE, {"open_flags": "alla"}),
            ("interviewer", PAGE, {"interviewer": developer}),
            ("sorted by company", PAGE, {"sort": "company"}),
            ("page 2000", PAGE, {"page": "2000"}),
        ],
        "interviews:company_list": [
            ("search name", SEARCH, {"q": name_word}),
            ("search organisation number", SEARCH, {"q": number}),
            ("page 300", PAGE, {"page": "300"}),
        ],
        "interviews:finding_list": [
            ("search common word", SEARCH, {"q": COMMON_WORD}),
            ("search rare word", SEARCH, {"q": RARE_WORD}),
            ("search short word", SEARCH, {"q": "kö"}),
            ("search in area", SEARCH, {"q": COMMON_WORD, "area": area}),
            ("search of one type", SEARCH, {"q": COMMON_WORD, "type": "ide"}),
            ("area", PAGE, {"area": area}),
            ("area and type", PAGE, {"area": area, "type": "utmaning"}),
            ("industry", PAGE, {"industry": "C"}),
            ("area, page 40", PAGE, {"area": area, "page": "40"}),
        ],
        "interviews:followup_list": [("page 2", PAGE, {"page": "2"})],
        "interviews:interview_export": [
            ("one area", EXPORT, {"area": area}),
            ("rare word", EXPORT, {"q": RARE_WORD}),
        ],
        "workshops:proposal_evidence": [
            ("search common word", SEARCH, {"q": COMMON_WORD}),
            ("search word common in its area", SEARCH, {"q": evidence_word}),
            ("type", PAGE, {"type": "utmaning"}),
        ],
        "actionplan:plan_overview": [
            ("area", PAGE, {"area": area}),
            ("overdue", PAGE, {"overdue": "1"}),
        ],
        "actionplan:coverage": [("area", PAGE, {"area": area})],
        "actionplan:celebration_list": [("not yet celebrated", PAGE, {"visa": "ej-firade"})],
        "audit:audit_list": [
            ("findings", PAGE, {"object_type": "interviews.finding"}),
            ("user", PAGE, {"user": developer}),
            ("half a year", PAGE, {"date_from": "2026-01-01", "date_to": "2026-06-30"}),
            ("page 1000", PAGE, {"page": "1000"}),
        ],
    }


# The retention search is a POST (names must not travel in URLs): each scope, by the rule of
# the information management plan (archive) for its kind of records, as the demo plan has it.
RETENTION_SEARCHES = [
    ("archived findings", "synpunkter", {}),
    ("interviews older than 5 years", "intervjuer", {}),
    ("contacts", "kontaktpersoner", {}),
    ("sole traders", "foretag", {"sole_traders_only": "on"}),
    ("companies named", "foretag", {"search": "Torshälla"}),
]


def _rule_pk(record_type: str) -> int | None:
    from archive.models import InformationRule

    rule = InformationRule.objects.filter(record_type=record_type).first()
    return rule.pk if rule else None


def _url(name: str, pattern, objects: dict[str, object]) -> str | None:
    kwargs = {}
    for key in pattern.pattern.converters:
        if key == "slug":
            kwargs[key] = objects["area"].slug
        elif key == "pk":
            kind = PK_OBJECTS.get(name)
            if kind is None:
                raise KeyError(f"{name}: say which object fills <pk> in the access matrix")
            if kind not in objects:
                raise KeyError(f"{name}: the bench does not know the object kind {kind!r}")
            obj = objects[kind]
            if obj is None:
                return None
            kwargs[key] = obj.pk
        elif key in URL_ARGUMENT_EXAMPLES:
            kwargs[key] = URL_ARGUMENT_EXAMPLES[key]
        elif key == "token" and name == "letters:unsubscribe":
            from letters.services import unsubscribe_token

            # The link of a letter to the heaviest company's first contact (a GET changes nothing).
            kwargs[key] = unsubscribe_token(objects["contact"])
        else:
            raise KeyError(f"{name}: no bench value for <{key}>")
    return reverse(name, kwargs=kwargs)


def discover(objects: dict[str, object] | None = None) -> Discovery:
    """Every URL pattern: the pages to request, the imports, and the reasons for the rest."""
    objects = bench_objects() if objects is None else objects
    extra = variants(objects)
    pages: list[BenchPage] = []
    imports: list[str] = []
    skipped: dict[str, str] = {}
    for name, _route, pattern in iter_url_patterns():
        if name not in ACCESS:
            raise KeyError(f"{name}: declare who may open it in the access matrix")
        if name in MEASURED_ELSEWHERE:
            skipped[name] = f"measured as {MEASURED_ELSEWHERE[name]}"
            continue
        readers = ACCESS[name]["GET"]
        if not readers:
            skipped[name] = "an action without a page (POST only)"
            continue
        if name.endswith("_import"):
            imports.append(name)
        url = _url(name, pattern, objects)
        if url is None:
            skipped[name] = f"no {PK_OBJECTS[name]} in this database"
            continue
        if name in PUBLIC_URL_NAMES and name != TRIVIAL_PAGE:
            roles = [ANONYMOUS]
        else:
            roles = [next(role for role in ROLE_ORDER if role in readers)]
            if Role.COUNCIL in readers and roles[0] != Role.COUNCIL:
                roles.append(Role.COUNCIL)
        kind = kind_of(name)
        for role in roles:
            suffix = "" if role == roles[0] else f" as {role_label(role)}"
            pages.append(BenchPage(f"{name}{suffix}", name, url, str(role), kind))
        for label, variant_kind, query in extra.get(name, []):
            pages.append(
                BenchPage(
                    f"{name} [{label}]",
                    name,
                    f"{url}?{urlencode(query)}",
                    str(roles[0]),
                    variant_kind,
                )
            )
        if name == "audit:retention":
            for label, record_type, extra_data in RETENTION_SEARCHES:
                data = {"rule": _rule_pk(record_type), **extra_data}
                pages.append(
                    BenchPage(
                        f"{name} [{label}]",
                        name,
                        url,
                        str(roles[0]),
                        SEARCH,
                        method="POST",
                        data={**data, "search": data.get("search", ""), "show": "1"},
                    )
                )
    return Discovery(pages=pages, imports=imports, skipped=skipped)


def role_label(role: str) -> str:
    names = {
        str(Role.DEVELOPER): "developer",
        str(Role.FACILITATOR): "facilitator",
        str(Role.COUNCIL): "council",
        str(Role.ADMINISTRATOR): "administrator",
        ANONYMOUS: "anonymous",
    }
    return names[str(role)]


def username_for(role: str) -> str | None:
    for member, username in DEMO_USERNAMES.items():
        if str(member) == str(role):
            return username
    return None
