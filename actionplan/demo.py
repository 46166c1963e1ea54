"""Demo action plan for `manage.py seed_demo`: the plan 2024–2027 built from the dialogue.

Runs after the demo workshop (workshops/demo.py): about fifteen activities are created from its
proposals through the services, so the proposals get the status "in the action plan", done
milestones and a completed activity land in "Att fira", and progress rolls up as it would in
the portal. The indicators carry Eskilstuna's published figures (DOMAIN.md, "Public figures"),
entered by hand, beside one whose source is Kolada (its values recorded here, never fetched:
the demo does not reach the network).

Dates of activities and milestones are counted from today, as the interview follow-ups are, so
that the demo always shows two overdue activities and milestones both behind and ahead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from smeportal.areas.models import PriorityArea
from workshops.demo import WORKSHOP_TITLE
from workshops.models import Proposal

from .choices import (
    ActivityStatus,
    Direction,
    IndicatorSource,
    KoladaFetchStatus,
    PartStatus,
    PartyKind,
    PlanStatus,
    ReportingInterval,
)
from .kolada import kolada_values_record
from .models import ActionPlan, Activity, Goal, Indicator, KoladaFetch, Milestone
from .services import (
    activity_create_from_proposals,
    activity_save,
    goal_save,
    indicator_save,
    measurement_add,
    milestone_save,
    plan_save,
)

PLAN_TITLE = "Handlingsplan för Sveriges bästa företagsklimat"
PLAN_START, PLAN_END = 2024, 2027
PLAN_ADOPTED = date(2024, 3, 12)
DEVELOPER, FACILITATOR, ADMINISTRATOR = "utvecklare", "processledare", "admin"

COMMUNICATION = "kommunikation-och-dialog"
CITY = "attraktivitet-och-stadskarna"
SERVICE = "service-och-samverkan"
SKILLS = "kompetensforsorjning"
PROCUREMENT = "upphandling"
GROWTH = "tillvaxt-och-hallbarhet"

ONGOING, PLANNED, DONE = ActivityStatus.ONGOING, ActivityStatus.PLANNED, ActivityStatus.DONE
PAUSED, CANCELLED = ActivityStatus.PAUSED, ActivityStatus.CANCELLED
NOT_STARTED, PART_ONGOING, PART_DONE = (
    PartStatus.NOT_STARTED,
    PartStatus.ONGOING,
    PartStatus.DONE,
)


# --- Goals and indicators -----------------------------------------------------------------------

GOALS = {
    COMMUNICATION: (
        "Företagen upplever en tidig och tydlig dialog med kommunen",
        "Företagen vet vart de vänder sig, får svar i tid och ser vad deras synpunkter leder till.",
    ),
    CITY: (
        "En levande och trygg stadskärna där det är lätt att driva handel",
        "Färre tomma lokaler, tryggare kvällar och varuleveranser som fungerar.",
    ),
    SERVICE: (
        "Snabb, förutsägbar och samordnad service i lov- och tillståndsärenden",
        "Företagen möter en kommun som håller ihop sina ärenden och håller sina tider.",
    ),
    SKILLS: (
        "Företagen hittar den kompetens de behöver",
        "Skolan, Komvux och företagen samarbetar om praktik, utbildning och matchning.",
    ),
    PROCUREMENT: (
        "Fler små och lokala företag lämnar anbud i kommunkoncernens upphandlingar",
        "Upphandlingar som går att svara på utan jurist, och dialog innan de annonseras.",
    ),
    GROWTH: (
        "Mark, lokaler och energi finns när företagen vill växa",
        "Planlagd verksamhetsmark och en samlad väg in för etablering och energifrågor.",
    ),
}


@dataclass(frozen=True)
class DemoIndicator:
    name: str
    unit: str
    direction: str
    source: str
    source_detail: str
    baseline: tuple[date, str]
    target: tuple[date, str]
    measurements: tuple[tuple[date, str], ...]
    owner: str
    goal_areas: tuple[str, ...]
    # A value of this autumn's survey (latest_survey_date), so that beside the indicators whose
    # latest value is years old ("Behöver uppdateras") the demo shows fresh statuses too.
    latest: str | None = None
    # Kolada's key figure and its title: the measurements are then recorded as a fetch from
    # Kolada would record them (actionplan.kolada.kolada_values_record), years for dates.
    kolada_kpi: str = ""
    kolada_title: str = ""


def latest_survey_date(today: date) -> date:
    """The last 30 September up to today: when Svenskt Näringsliv publishes its survey."""
    this_year = date(today.year, 9, 30)
    return this_year if today >= this_year else date(today.year - 1, 9, 30)


INDICATORS = [
    DemoIndicator(
        "Sammanfattande omdöme om företagsklimatet",
        "betyg 1–6",
        Direction.HIGHER,
        IndicatorSource.SVENSKT_NARINGSLIV,
        "Lokalt företagsklimat, enkät till företagare (4,0 räknas som gott)",
        (date(2021, 9, 30), "3.3"),
        (date(2030, 9, 30), "4.0"),
        ((date(2021, 9, 30), "3.3"), (date(2023, 9, 30), "3.4")),
        DEVELOPER,
        (COMMUNICATION, GROWTH),
        latest="3.7",
    ),
    DemoIndicator(
        "Placering i Svenskt Näringslivs ranking",
        "placering av 290",
        Direction.LOWER,
        IndicatorSource.SVENSKT_NARINGSLIV,
        "Lokalt företagsklimat, rankingen av landets 290 kommuner",
        (date(2021, 9, 30), "206"),
        (date(2030, 9, 30), "1"),
        ((date(2021, 9, 30), "206"), (date(2024, 9, 30), "169")),
        ADMINISTRATOR,
        (GROWTH,),
        latest="95",
    ),
    DemoIndicator(
        "Nöjd kund-index (NKI) för företagsservice",
        "NKI 0–100",
        Direction.HIGHER,
        IndicatorSource.SKR_INSIKT,
        "SKR Insikt: bygglov, miljö- och hälsoskydd, livsmedel, serveringstillstånd m.m.",
        (date(2021, 12, 31), "77"),
        (date(2027, 12, 31), "80"),
        ((date(2021, 12, 31), "77"),),
        DEVELOPER,
        (SERVICE,),
    ),
    DemoIndicator(
        "Nöjd upphandlad-index (NUI)",
        "NUI 0–100",
        Direction.HIGHER,
        IndicatorSource.OTHER,
        "Leverantörernas betyg på kommunkoncernens upphandlingar",
        (date(2023, 12, 31), "64"),
        (date(2027, 12, 31), "70"),
        ((date(2023, 12, 31), "64"),),
        ADMINISTRATOR,
        (PROCUREMENT,),
    ),
    # Values recorded for the demo, in the range Kolada publishes for a town of Eskilstuna's
    # size; they are not fetched (the demo must not reach the network), so check Kolada for
    # the published ones. "Hämta från Kolada nu" on the page fetches the real values. Kolada
    # publishes a year's value the year after: the latest is moved to last year, if later.
    DemoIndicator(
        "Nystartade arbetsställen per 1 000 invånare",
        "antal/1 000 inv.",
        Direction.HIGHER,
        IndicatorSource.KOLADA,
        "Kolada, kommunens värde per år",
        (date(2019, 12, 31), "3.6"),
        (date(2029, 12, 31), "5.0"),
        (
            (date(2020, 12, 31), "3.9"),
            (date(2021, 12, 31), "4.4"),
            (date(2022, 12, 31), "4.1"),
            (date(2023, 12, 31), "4.2"),
            (date(2024, 12, 31), "4.5"),
            (date(2025, 12, 31), "4.3"),
        ),
        DEVELOPER,
        (GROWTH,),
        kolada_kpi="N01004",
        kolada_title="Nystartade arbetsställen, antal/1000 inv",
    ),
]


# --- Activities -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoMilestone:
    title: str
    days: int  # from today; negative is in the past
    done: bool = False


@dataclass(frozen=True)
class DemoActivity:
    title: str
    proposals: tuple[str, ...]  # titles of proposals in the demo workshop
    area: str  # the goal's area
    description: str
    party: tuple[str, str]
    contact: str
    municipality: tuple[str, str, str]  # what, owner, status
    business: tuple[str, str, str]
    start_days: int
    due_days: int
    status: str
    manual_progress: int = 0
    milestones: tuple[DemoMilestone, ...] = ()
    children: tuple[DemoActivity, ...] = field(default_factory=tuple)


NAERINGSLIVSKONTORET = (PartyKind.DEPARTMENT, "Näringslivskontoret")

ACTIVITIES: list[DemoActivity] = [
    DemoActivity(
        "Kvartalsvisa frukostmöten med kommunledningen",
        ("Frukostmöten med kommunledningen varje kvartal",),
        COMMUNICATION,
        "Frukostmöten en gång i kvartalet, varannan gång ute i stadsdelarna och i Torshälla. "
        "Företagen sätter agendan tillsammans med Tillväxtrådet.",
        NAERINGSLIVSKONTORET,
        DEVELOPER,
        ("Bjuder in, står för lokal och frukost, kommunledningen deltar", "Näringslivskontoret",
         PART_ONGOING),
        ("Tar fram frågorna och sprider inbjudan i sina nätverk", "Tillväxtrådet", PART_ONGOING),
        -120, 390, ONGOING,
        milestones=(
            DemoMilestone("Första frukostmötet i Torshälla", -40, done=True),
            DemoMilestone("Frukostmöte i Skiftinge", 45),
            DemoMilestone("Utvärdering tillsammans med Tillväxtrådet", 300),
        ),
    ),
    DemoActivity(
        "En väg in för företag med flera ärenden",
        ("En väg in: fast kontaktperson för företag med flera ärenden",),
        COMMUNICATION,
        "Företag med flera ärenden igång får en namngiven kontaktperson som håller ihop "
        "kontakterna med förvaltningarna och svarar inom två arbetsdagar.",
        NAERINGSLIVSKONTORET,
        DEVELOPER,
        ("Utser kontaktpersoner och en gemensam rutin för förvaltningarna",
         "Näringslivskontoret", PART_ONGOING),
        ("Berättar när ett ärende fastnar", "Företagarna Eskilstuna", NOT_STARTED),
        -200, -21, ONGOING,
        milestones=(
            DemoMilestone("Rutin för fast kontaktperson beslutad", -90, done=True),
            DemoMilestone("Tio företag har fått en fast kontaktperson", -30),
        ),
    ),
    DemoActivity(
        "Återkoppling till de intervjuade företagen",
        ("Återkoppling till företagen efter intervjuerna",),
        COMMUNICATION,
        "Ett kort brev till alla intervjuade företag om vad som blev förslag på dialogen och "
        "vad som kommer med i handlingsplanen.",
        NAERINGSLIVSKONTORET,
        ADMINISTRATOR,
        ("Skriver och skickar brevet", "Näringslivskontoret", PART_DONE),
        ("", "", NOT_STARTED),
        -30, -5, DONE,
        manual_progress=100,
    ),
    DemoActivity(
        "Trygghetsvandringar i centrum",
        ("Trygghetsvandringar i centrum med handlarna",),
        CITY,
        "Handlare, fastighetsägare, polisen och kommunen går genom centrum på kvällstid två "
        "gånger om året och åtgärdar det de hittar.",
        (PartyKind.BUSINESS_ORGANISATION, "Centrumföreningen i Eskilstuna"),
        FACILITATOR,
        ("Belysning, klotter och skötsel av offentliga platser", "Stadsmiljöenheten",
         PART_ONGOING),
        ("Samlar handlare och fastighetsägare till vandringarna", "Centrumföreningen i Eskilstuna",
         PART_ONGOING),
        -300, 200, ONGOING,
        milestones=(
            DemoMilestone("Vårens trygghetsvandring genomförd", -200, done=True),
            DemoMilestone("Höstens trygghetsvandring genomförd", -50, done=True),
            DemoMilestone("Åtgärdslistan följd upp med handlarna", 60),
        ),
    ),
    DemoActivity(
        "Pop up-butiker i tomma lokaler",
        ("Pop up-butiker i tomma lokaler",),
        CITY,
        "Ett enkelt avtal för tillfällig uthyrning till låg hyra, så att tomma skyltfönster fylls "
        "av nya företag och kulturföreningar.",
        (PartyKind.BUSINESS_ORGANISATION, "Fastighetsägarna i centrum"),
        DEVELOPER,
        ("Tar fram avtalsmallen och marknadsför lokalerna", "Näringslivskontoret", NOT_STARTED),
        ("Ställer lokaler till förfogande", "Fastighetsägarna i centrum", NOT_STARTED),
        30, 330, PLANNED,
    ),
    DemoActivity(
        "Översyn av lastzoner och korttidsparkering",
        ("Fler lastzoner och korttidsparkering i centrum",),
        CITY,
        "Lastzoner och korttidsparkering i stadskärnan ses över tillsammans med handlare och "
        "leverantörer. Pausad i väntan på den nya trafikplanen.",
        (PartyKind.DEPARTMENT, "Stadsbyggnadsförvaltningen"),
        DEVELOPER,
        ("Kartlägger behoven och föreslår ändringar", "Trafikenheten", PART_ONGOING),
        ("Redovisar leveranstider och behov", "Centrumföreningen i Eskilstuna", NOT_STARTED),
        -150, 240, PAUSED,
        manual_progress=20,
    ),
    DemoActivity(
        "Bygglovslots för små företag",
        (
            "Bygglovslots för små företag",
            "Samlat förhandsmöte med bygglov, miljö och räddningstjänst",
        ),
        SERVICE,
        "En lots på bygglovsenheten går igenom ansökan innan den lämnas in och samlar alla "
        "kompletteringskrav i ett enda besked.",
        (PartyKind.DEPARTMENT, "Stadsbyggnadsförvaltningen, bygglovsenheten"),
        DEVELOPER,
        ("Anställer lotsen och ändrar rutinen för kompletteringar", "Bygglovsenheten",
         PART_ONGOING),
        ("Hänvisar medlemsföretag till lotsen och berättar hur det gick",
         "Företagarna Eskilstuna", PART_ONGOING),
        -240, 400, ONGOING,
        milestones=(
            DemoMilestone("Lotsen är anställd", -100, done=True),
            DemoMilestone("De första 20 företagen har fått lotsning", 120),
        ),
        children=(
            DemoActivity(
                "Samlat förhandsmöte – pilot med tre företag",
                (),
                SERVICE,
                "Bygglov, miljö och räddningstjänst träffar tre företag med större ansökningar "
                "på ett gemensamt möte.",
                (PartyKind.DEPARTMENT, "Stadsbyggnadsförvaltningen, bygglovsenheten"),
                DEVELOPER,
                ("Samordnar mötena", "Bygglovsenheten", PART_ONGOING),
                ("Tre pilotföretag deltar och utvärderar", "Pilotföretagen", PART_ONGOING),
                -60, 150, ONGOING,
                manual_progress=50,
            ),
        ),
    ),
    DemoActivity(
        "Följ ditt ärende digitalt",
        ("Digital följ-ditt-ärende för tillstånd",),
        SERVICE,
        "Företagen ska kunna följa bygglov, serveringstillstånd och miljöärenden digitalt: vem "
        "som handlägger, vad som saknas och när beslut väntas.",
        (PartyKind.DEPARTMENT, "Digitaliseringsenheten"),
        ADMINISTRATOR,
        ("Kravställer och upphandlar e-tjänsten", "Digitaliseringsenheten", PART_ONGOING),
        ("Testar e-tjänsten innan den öppnar", "Företagarna Eskilstuna", NOT_STARTED),
        -270, -45, ONGOING,
        milestones=(
            DemoMilestone("Kravställning klar", -150, done=True),
            DemoMilestone("E-tjänsten upphandlad", -60),
            DemoMilestone("E-tjänsten öppnad för bygglov", 90),
        ),
    ),
    DemoActivity(
        "Garanterad handläggningstid för enklare lov",
        ("Garanterad handläggningstid för enklare lov och tillstånd",),
        SERVICE,
        "En längsta handläggningstid för enklare bygglov, marklov och serveringstillstånd, "
        "redovisad varje kvartal.",
        (PartyKind.DEPARTMENT, "Stadsbyggnadsförvaltningen"),
        DEVELOPER,
        ("Beslutar om tidsgarantin och redovisar utfallet", "Bygglovsenheten", NOT_STARTED),
        ("", "", NOT_STARTED),
        60, 500, PLANNED,
    ),
    DemoActivity(
        "Praktikplatsbank med gymnasiet och Komvux",
        ("Praktikplatsbank tillsammans med gymnasiet",),
        SKILLS,
        "En gemensam bank där företagen anmäler praktikplatser och gymnasiet och Komvux matchar "
        "elever.",
        (PartyKind.DEPARTMENT, "Utbildningsförvaltningen"),
        DEVELOPER,
        ("Driver banken och matchar elever", "Utbildningsförvaltningen", PART_ONGOING),
        ("Anmäler praktikplatser", "Tillväxtrådet", PART_ONGOING),
        -180, 360, ONGOING,
        milestones=(
            DemoMilestone("Praktikplatsbanken öppnad", -70, done=True),
            DemoMilestone("100 praktikplatser anmälda", 150),
        ),
        children=(
            DemoActivity(
                "Säkerhetsintroduktion för praktikanter",
                (),
                SKILLS,
                "En kort säkerhetsintroduktion som alla praktikanter går innan praktiken börjar.",
                (PartyKind.DEPARTMENT, "Utbildningsförvaltningen"),
                DEVELOPER,
                ("Tar fram introduktionen", "Teknikcollege Eskilstuna", PART_DONE),
                ("Granskar innehållet", "Industriföretagen i Eskilstuna", PART_DONE),
                -150, -10, DONE,
                manual_progress=100,
            ),
        ),
    ),
    DemoActivity(
        "Yrkesutbildningar med praktik i företagen",
        ("Yrkesutbildningar på Komvux med praktik i företagen",),
        SKILLS,
        "Korta yrkesutbildningar inom CNC, svets, kök och transport som företagen är med och "
        "utformar.",
        (PartyKind.DEPARTMENT, "Arbetsmarknads- och vuxenutbildningsförvaltningen"),
        ADMINISTRATOR,
        ("Startar utbildningarna på Komvux", "Komvux Eskilstuna", PART_ONGOING),
        ("Utformar kurserna och tar emot praktikanter", "Industriföretagen i Eskilstuna",
         PART_ONGOING),
        -100, 600, ONGOING,
        manual_progress=30,
    ),
    DemoActivity(
        "Studiebesök i företagen för alla åttondeklassare",
        ("Studiebesök i företagen för alla åttondeklassare",),
        SKILLS,
        "Varje elev i årskurs åtta besöker minst två lokala företag enligt ett gemensamt schema.",
        (PartyKind.COUNCIL, "Tillväxtrådet"),
        DEVELOPER,
        ("Lägger in besöken i skolornas schema", "Utbildningsförvaltningen", NOT_STARTED),
        ("Tar emot klasser", "Tillväxtrådet", NOT_STARTED),
        90, 420, PLANNED,
    ),
    DemoActivity(
        "Mindre delar och enklare underlag i upphandlingar",
        (
            "Dela upp upphandlingar i mindre delar",
            "Förenklat anbudsunderlag för små uppdrag",
        ),
        PROCUREMENT,
        "Stora upphandlingar delas upp, och små uppdrag får mallar och enklare krav som går att "
        "besvara utan jurist.",
        (PartyKind.DEPARTMENT, "Upphandlingsenheten"),
        ADMINISTRATOR,
        ("Riktlinje för uppdelning och mallar för små uppdrag", "Upphandlingsenheten",
         PART_ONGOING),
        ("Testar mallarna och lämnar synpunkter", "Företagarna Eskilstuna", NOT_STARTED),
        -160, 280, ONGOING,
        milestones=(
            DemoMilestone("Riktlinje för uppdelning antagen", -45, done=True),
            DemoMilestone("Mall för förenklat anbudsunderlag", 80),
        ),
    ),
    DemoActivity(
        "Upphandlingskalender och leverantörsdialog",
        ("Upphandlingskalender och dialog innan annonsering",),
        PROCUREMENT,
        "En publicerad kalender över kommande upphandlingar i hela kommunkoncernen, med "
        "dialogmöten medan underlaget skrivs.",
        (PartyKind.DEPARTMENT, "Upphandlingsenheten"),
        ADMINISTRATOR,
        ("Publicerar kalendern och håller dialogmötena", "Upphandlingsenheten", PART_DONE),
        ("Deltar i dialogmötena", "Företagarna Eskilstuna", PART_DONE),
        -200, -14, DONE,
        manual_progress=100,
    ),
    DemoActivity(
        "Markreserv för verksamheter",
        ("Markreserv med färdig detaljplan för verksamheter",),
        GROWTH,
        "Verksamhetsmark planläggs i förväg, så att det alltid finns tomter som kan säljas inom "
        "tre månader.",
        (PartyKind.DEPARTMENT, "Stadsbyggnadsförvaltningen"),
        DEVELOPER,
        ("Prioriterar detaljplaner för verksamhetsmark", "Planenheten", PART_ONGOING),
        ("Anmäler behov av mark i god tid", "Tillväxtrådet", PART_ONGOING),
        -330, 700, ONGOING,
        manual_progress=25,
    ),
    DemoActivity(
        "Företagshus med delade verkstadsytor",
        ("Företagshus med delade verkstadsytor",),
        GROWTH,
        "Ett företagshus där små produktionsföretag delar maskiner och lastkaj. Avbrutet: ingen "
        "lämplig fastighet fanns; frågan tas upp igen i nästa plan.",
        (PartyKind.COMPANY, "Munktellstadens Fastigheter AB"),
        DEVELOPER,
        ("Hjälper till att hitta en fastighet", "Näringslivskontoret", NOT_STARTED),
        ("Driver företagshuset", "Munktellstadens Fastigheter AB", NOT_STARTED),
        -250, 100, CANCELLED,
    ),
]  # fmt: skip


# --- Writing --------------------------------------------------------------------------------


def _as_user(record, user):
    """Name the demo user in the history entry the service's save creates."""
    record._history_user = user
    return record


@transaction.atomic
def seed_actionplan(*, stdout: TextIO | None = None) -> None:
    """Write the demo plan with goals, indicators, activities and milestones; safe to rerun.

    If the demo plan exists, nothing is written, so a second run neither duplicates nor
    overwrites what users have changed since.
    """
    if ActionPlan.objects.filter(title=PLAN_TITLE, start_year=PLAN_START).exists():
        if stdout:
            stdout.write("Action plan: the demo plan is already present; nothing added.")
        return

    today = timezone.localdate()
    users = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in=[DEVELOPER, FACILITATOR, ADMINISTRATOR]
        )
    }
    author = users.get(DEVELOPER)
    areas = {area.slug: area for area in PriorityArea.objects.all()}

    plan = ActionPlan(
        title=PLAN_TITLE,
        start_year=PLAN_START,
        end_year=PLAN_END,
        status=PlanStatus.ADOPTED,
        adopted_on=PLAN_ADOPTED,
    )
    plan_save(plan=_as_user(plan, author))

    goals: dict[str, Goal] = {}
    for slug, (title, description) in GOALS.items():
        goal = Goal(plan=plan, area=areas[slug], title=title, description=description)
        goals[slug] = goal_save(goal=_as_user(goal, author))

    measurement_count = 0
    for spec in INDICATORS:
        indicator = Indicator.objects.filter(name=spec.name).first()
        if indicator is None:
            indicator = Indicator(
                name=spec.name,
                unit=spec.unit,
                direction=spec.direction,
                source=spec.source,
                source_detail=spec.source_detail,
                kolada_kpi=spec.kolada_kpi,
                baseline_date=spec.baseline[0],
                baseline_value=Decimal(spec.baseline[1]),
                target_date=spec.target[0],
                target_value=Decimal(spec.target[1]),
                reporting_interval=ReportingInterval.YEARLY,
                owner=users.get(spec.owner),
            )
            indicator_save(indicator=_as_user(indicator, author))
            if spec.kolada_kpi:
                measurement_count += _record_kolada_values(indicator, spec)
                for slug in spec.goal_areas:
                    goals[slug].indicators.add(indicator)
                continue
            measurements = list(spec.measurements)
            survey = latest_survey_date(timezone.localdate())
            if spec.latest and survey > max(on for on, _value in measurements):
                measurements.append((survey, spec.latest))
            for on, value in measurements:
                measurement_add(
                    indicator=indicator, value=Decimal(value), on=on, user=users.get(spec.owner)
                )
                measurement_count += 1
        for slug in spec.goal_areas:
            goals[slug].indicators.add(indicator)

    proposals = {
        proposal.title: proposal
        for proposal in Proposal.objects.filter(
            group__workshop__title=WORKSHOP_TITLE, merged_into__isnull=True
        ).select_related("area")
    }
    counts = {"activities": 0, "milestones": 0, "proposals": 0}
    for spec in ACTIVITIES:
        _create(spec, plan, goals, areas, users, proposals, today, counts, parent=None)

    if stdout:
        overdue = sum(
            1
            for activity in Activity.objects.filter(plan=plan)
            if activity.due_date
            and activity.due_date < today
            and activity.status not in (DONE, CANCELLED)
        )
        stdout.write(
            f"Action plan: 1 plan, {len(goals)} goals, {len(INDICATORS)} indicators "
            f"({measurement_count} measurements), {counts['activities']} activities "
            f"({overdue} overdue) from {counts['proposals']} proposals, "
            f"{counts['milestones']} milestones."
        )


def _record_kolada_values(indicator: Indicator, spec: DemoIndicator) -> int:
    """The spec's values recorded as one fetch from Kolada records them, without fetching."""
    latest = max(on.year for on, _value in spec.measurements)
    shift = max(timezone.localdate().year - 1 - latest, 0)
    fetch = KoladaFetch.objects.create(
        indicator=indicator,
        status=KoladaFetchStatus.RUNNING,
        started_at=timezone.now(),
        attempts=1,
    )
    kolada_values_record(
        indicator=indicator,
        fetch=fetch,
        values={on.year + shift: Decimal(value) for on, value in spec.measurements},
        kpi_title=spec.kolada_title,
    )
    return fetch.added


def _create(spec, plan, goals, areas, users, proposals, today, counts, parent) -> Activity:
    author = users.get(DEVELOPER)
    activity = Activity(
        plan=plan,
        parent=parent,
        title=spec.title,
        description=spec.description,
        goal=goals[spec.area],
        party_kind=spec.party[0],
        party_name=spec.party[1],
        contact_user=users.get(spec.contact),
        municipality_part=spec.municipality[0],
        municipality_owner=spec.municipality[1],
        municipality_status=spec.municipality[2],
        business_part=spec.business[0],
        business_owner=spec.business[1],
        business_status=spec.business[2],
        start_date=today + timedelta(days=spec.start_days),
        due_date=today + timedelta(days=spec.due_days),
        status=spec.status,
        manual_progress=spec.manual_progress,
    )
    _as_user(activity, author)
    realised = [proposals[title] for title in spec.proposals if title in proposals]
    if realised:
        activity_create_from_proposals(activity=activity, proposals=realised)
        counts["proposals"] += len(realised)
    else:
        # Sub-activities, and activities whose proposal is missing from the demo workshop.
        activity_save(activity=activity, areas=[areas[spec.area]])
    counts["activities"] += 1
    for milestone_spec in spec.milestones:
        milestone = Milestone(
            activity=activity,
            title=milestone_spec.title,
            date=today + timedelta(days=milestone_spec.days),
            is_done=milestone_spec.done,
        )
        milestone_save(milestone=_as_user(milestone, author))
        counts["milestones"] += 1
    for child in spec.children:
        _create(child, plan, goals, areas, users, proposals, today, counts, parent=activity)
    return activity


# Found by `manage.py seed_demo`, which runs the apps' seeders in INSTALLED_APPS order.
DEMO_SEED = seed_actionplan
