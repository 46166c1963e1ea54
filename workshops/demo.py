"""Demo workshop for `manage.py seed_demo`: the SME dialogue of 11 November and its proposals.

Six tables, one per priority area, made about thirty proposals answering what the companies
said in the demo interviews (interviews/demo.py). Two pairs of duplicates are merged through
the merge service, so votes and evidence carry over as they would in the portal. Everything
comes from a fixed seed; only the date follows the calendar (the latest 11 November that is
not in the future).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from interviews.models import Finding
from smeportal.areas.models import PriorityArea

from .choices import Actor, ProposalStatus, TimeHorizon, WorkshopStatus
from .models import Proposal, Workshop, WorkshopGroup
from .services import evidence_link, group_save, proposal_create, proposals_merge, workshop_save

SEED = 1111
WORKSHOP_TITLE = "Företagsdialog 11 november"
FACILITATOR = "processledare"
ADMINISTRATOR = "admin"

AREA_COMMUNICATION = "kommunikation-och-dialog"
AREA_CITY = "attraktivitet-och-stadskarna"
AREA_SERVICE = "service-och-samverkan"
AREA_SKILLS = "kompetensforsorjning"
AREA_PROCUREMENT = "upphandling"
AREA_GROWTH = "tillvaxt-och-hallbarhet"

# "Bord 1" to "Bord 6": the area each table worked on and how many sat there (80 in all).
TABLES = [
    (AREA_COMMUNICATION, 13),
    (AREA_CITY, 14),
    (AREA_SERVICE, 15),
    (AREA_SKILLS, 15),
    (AREA_PROCUREMENT, 12),
    (AREA_GROWTH, 11),
]
PARTICIPANTS = {"companies": 52, "municipality": 22, "other": 6}

MUNICIPALITY, BUSINESS, TOGETHER = Actor.MUNICIPALITY, Actor.BUSINESS, Actor.TOGETHER
SOON, MID, LATER = TimeHorizon.WITHIN_A_YEAR, TimeHorizon.ONE_TO_THREE, TimeHorizon.LONGER
NEW, REVIEW, REJECTED = ProposalStatus.NEW, ProposalStatus.UNDER_REVIEW, ProposalStatus.REJECTED


@dataclass(frozen=True)
class DemoProposal:
    table: int
    title: str
    description: str
    actor: str
    horizon: str
    effect: int
    effort: int
    # Words (lower case) in the texts of the findings the proposal answers.
    themes: tuple[str, ...]
    status: str = NEW
    reason: str = ""
    area: str = ""  # set when the table moved the proposal to another area


PROPOSALS: list[DemoProposal] = [
    # Bord 1: communication and dialogue.
    DemoProposal(
        1,
        "Frukostmöten med kommunledningen varje kvartal",
        "Kommunalråd, kommundirektör och näringslivschef bjuder in till frukost en gång i "
        "kvartalet, varannan gång ute i stadsdelarna och i Torshälla. Företagen sätter agendan.",
        TOGETHER, SOON, 2, 1,
        ("frukostmöten", "höra av sig oftare", "kommunalrådet", "bortglömda"),
        status=REVIEW,
    ),
    DemoProposal(
        1,
        "En väg in: fast kontaktperson för företag med flera ärenden",
        "Företag med flera ärenden igång får en namngiven kontaktperson på näringslivskontoret "
        "som håller ihop kontakterna med förvaltningarna och svarar inom två arbetsdagar.",
        MUNICIPALITY, SOON, 3, 2,
        ("fast kontaktperson", "skickad runt", "svar på mejl"),
        status=REVIEW,
    ),
    DemoProposal(
        1,
        "Återkoppling till företagen efter intervjuerna",
        "Alla intervjuade företag får veta vad som hände med det de sa: vad som blev förslag på "
        "dialogen och vad som kommer med i handlingsplanen. Ett kort brev per halvår räcker långt.",
        MUNICIPALITY, SOON, 2, 1,
        ("återkoppla", "bjuds in till dialog", "företagsbesöken"),
    ),
    DemoProposal(
        1,
        "Branschanpassat nyhetsbrev med tidiga besked om vägarbeten",
        "Nyhetsbrevet delas upp efter bransch och stadsdel, och berörda företag får besked om "
        "grävningar och avstängningar minst fyra veckor i förväg.",
        MUNICIPALITY, SOON, 2, 2,
        ("nyhetsbrevet", "vägarbeten", "webbplats", "informationen inför"),
    ),
    DemoProposal(
        1,
        "Se var mitt ärende ligger – som när man spårar ett paket",
        "Bord 1 vill kunna logga in och se vem som handlägger ärendet, vad som saknas och när "
        "beslut kan väntas. Flyttat till området service efter diskussionen.",
        MUNICIPALITY, MID, 2, 3,
        ("följa sitt ärende", "samlad bild"),
        area=AREA_SERVICE,
    ),
    # Bord 2: attractiveness, safety and the town centre.
    DemoProposal(
        2,
        "Trygghetsvandringar i centrum med handlarna",
        "Handlare, fastighetsägare, polisen och kommunen går tillsammans genom centrum på "
        "kvällstid två gånger om året och åtgärdar det de hittar: belysning, klotter och "
        "skymda platser.",
        TOGETHER, SOON, 3, 1,
        ("otrygg", "belysningen", "klotter"),
        status=REVIEW,
    ),
    DemoProposal(
        2,
        "Pop up-butiker i tomma lokaler",
        "Kommunen och fastighetsägarna tar fram ett enkelt avtal för tillfällig uthyrning till "
        "låg hyra, så att tomma skyltfönster fylls av nya företag och kulturföreningar.",
        TOGETHER, SOON, 2, 2,
        ("tomma butikslokaler", "tomma lokaler"),
    ),
    DemoProposal(
        2,
        "Gemensamt kvällsöppet och evenemang vid ån",
        "Handlare och krögare enas om kvällsöppet på torsdagar och samordnar evenemang i "
        "Munktellstaden och längs Eskilstunaån under sommarhalvåret.",
        BUSINESS, SOON, 2, 2,
        ("öppettider", "evenemang", "upprustningen"),
    ),
    DemoProposal(
        2,
        "Fler lastzoner och korttidsparkering i centrum",
        "Lastzoner och korttidsparkering i stadskärnan ses över tillsammans med handlare och "
        "leverantörer, så att varuleveranser och snabba ärenden fungerar.",
        MUNICIPALITY, MID, 2, 2,
        ("parkeringsavgifterna", "varuleveranser"),
        status=REVIEW,
    ),
    DemoProposal(
        2,
        "Ambassadörer som berättar om Eskilstuna vid rekrytering",
        "Företagen och kommunen tar fram ett gemensamt rekryteringspaket, och nyinflyttade "
        "medarbetare berättar om staden på mässor och i sociala medier.",
        TOGETHER, MID, 2, 2,
        ("locka specialister", "boendekostnaderna", "närheten till stockholm"),
    ),
    # Bord 3: service to companies (permits, licences, how companies are met).
    DemoProposal(
        3,
        "Bygglovslots för små företag",
        "En lots på bygglovsenheten tar emot små företag, går igenom ansökan innan den lämnas in "
        "och samlar alla kompletteringskrav i ett enda besked.",
        MUNICIPALITY, SOON, 3, 2,
        ("handläggningstiden för bygglov", "kompletteringskraven", "olika handläggare",
         "företagslotsen"),
        status=REVIEW,
    ),
    DemoProposal(
        3,
        "Digital följ-ditt-ärende för tillstånd",
        "Företagen ska kunna följa bygglov, serveringstillstånd och miljöärenden digitalt: vem "
        "som handlägger, vad som saknas och när beslut väntas.",
        MUNICIPALITY, MID, 3, 3,
        ("följa sitt ärende", "samlad bild"),
        status=REVIEW,
    ),
    DemoProposal(
        3,
        "Samlat förhandsmöte med bygglov, miljö och räddningstjänst",
        "Innan en större ansökan lämnas in träffar företaget alla berörda förvaltningar på ett "
        "och samma möte, så att samma uppgifter bara behöver lämnas en gång.",
        MUNICIPALITY, SOON, 3, 2,
        ("förhandsmöte", "förvaltningarna pratar inte"),
    ),
    DemoProposal(
        3,
        "Garanterad handläggningstid för enklare lov och tillstånd",
        "Kommunen lovar en längsta handläggningstid för enklare bygglov, marklov och "
        "serveringstillstånd och redovisar varje kvartal hur väl löftet hålls.",
        MUNICIPALITY, MID, 3, 3,
        ("garanterad handläggningstid", "serveringstillståndet", "marklov",
         "strandskyddsdispensen"),
    ),
    DemoProposal(
        3,
        "Tillsyn som ger råd – och en faktura man förstår",
        "Miljö- och livsmedelstillsynen börjar med rådgivning, och fakturan förklarar vad "
        "avgiften täcker och hur tiden har använts.",
        MUNICIPALITY, SOON, 2, 1,
        ("miljötillsyn", "livsmedelskontrollen", "räddningstjänstens tillsyn", "bemötandet"),
    ),
    # Bord 4: skills supply.
    DemoProposal(
        4,
        "Praktikplatsbank tillsammans med gymnasiet",
        "En gemensam bank där företagen anmäler praktikplatser och gymnasiet och Komvux matchar "
        "elever, med en kort säkerhetsintroduktion innan praktiken börjar.",
        TOGETHER, SOON, 3, 2,
        ("praktikanter", "gymnasiets"),
        status=REVIEW,
    ),
    DemoProposal(
        4,
        "Yrkesutbildningar på Komvux med praktik i företagen",
        "Korta yrkesutbildningar inom CNC, svets, kök och transport som företagen är med och "
        "utformar och där eleverna gör sin praktik hos dem.",
        TOGETHER, MID, 3, 3,
        ("komvux", "cnc", "svetsare", "kockar", "lastbilschaufförer", "snickare"),
        status=REVIEW,
    ),
    DemoProposal(
        4,
        "Delad HR- och teknikerpool för småföretag",
        "Flera småföretag går ihop och delar på en HR-resurs och en tekniker, med stöd från "
        "näringslivskontoret för att komma i gång.",
        BUSINESS, MID, 2, 2,
        ("kompetenspool", "inte tid att handleda"),
    ),
    DemoProposal(
        4,
        "Snabbare validering för nyanlända med yrkeserfarenhet",
        "Kommunen, Arbetsförmedlingen och branscherna samordnar validering och yrkessvenska så "
        "att nyanlända ingenjörer, undersköterskor och tekniker snabbare kommer i arbete.",
        TOGETHER, MID, 3, 2,
        ("nyanlända", "lönestöd", "undersköterskor"),
    ),
    DemoProposal(
        4,
        "Studiebesök i företagen för alla åttondeklassare",
        "Varje elev i årskurs åtta besöker minst två lokala företag, och företagen tar emot "
        "klasser enligt ett gemensamt schema.",
        TOGETHER, SOON, 2, 1,
        ("studiebesök", "teknikcollege", "examensarbetare"),
    ),
    # Bord 5: procurement.
    DemoProposal(
        5,
        "Dela upp upphandlingar i mindre delar",
        "Stora upphandlingar delas upp geografiskt och efter verksamhet, så att små och lokala "
        "företag kan lämna anbud på en del.",
        MUNICIPALITY, SOON, 3, 2,
        ("för stora", "ramavtalen"),
        status=REVIEW,
    ),
    DemoProposal(
        5,
        "Förenklat anbudsunderlag för små uppdrag",
        "Mallar och enklare krav för upphandlingar under ett visst belopp, med ett underlag som "
        "går att besvara utan jurist.",
        MUNICIPALITY, SOON, 3, 2,
        ("förfrågningsunderlagen", "förenklad upphandlingsform", "krav på omsättning"),
    ),
    DemoProposal(
        5,
        "Upphandlingskalender och dialog innan annonsering",
        "Kommunkoncernen publicerar en kalender över kommande upphandlingar och bjuder in till "
        "dialogmöten medan underlaget skrivs, även för de kommunala bolagen.",
        MUNICIPALITY, SOON, 2, 1,
        ("på gång", "informationsmöten", "leverantörsträffarna", "kommunala bolagen"),
        status=REVIEW,
    ),
    DemoProposal(
        5,
        "Kvalitet och korta transporter väger tyngre än lägsta pris",
        "Tilldelningen väger in kvalitet, hållbarhet och transportavstånd, inte bara pris.",
        MUNICIPALITY, MID, 2, 2,
        ("lägsta pris", "korta transporter"),
    ),
    DemoProposal(
        5,
        "Turordning för direktupphandlingar bland lokala leverantörer",
        "Direktupphandlingar går i tur och ordning till lokala företag, så att fler får chansen.",
        MUNICIPALITY, SOON, 1, 1,
        ("direktupphandlingar",),
        status=REJECTED,
        reason="Att reservera direktupphandlingar för lokala företag strider mot "
        "likabehandlingsprincipen i LOU. Behovet tas i stället om hand genom "
        "upphandlingskalendern och ett öppet leverantörsregister.",
    ),
    # Bord 6: conditions for growth and sustainable business development.
    DemoProposal(
        6,
        "Markreserv med färdig detaljplan för verksamheter",
        "Kommunen planlägger verksamhetsmark i förväg, så att det alltid finns tomter som kan "
        "säljas inom tre månader.",
        MUNICIPALITY, LATER, 3, 3,
        ("verksamhetsmark", "detaljplanearbetet", "hjälpa till med mark"),
        status=REVIEW,
    ),
    DemoProposal(
        6,
        "Företagshus med delade verkstadsytor",
        "Ett företagshus där små produktionsföretag hyr verkstadsyta och delar maskiner, lastkaj "
        "och konferensrum.",
        TOGETHER, MID, 2, 3,
        ("företagshus", "ändamålsenliga lokaler"),
    ),
    DemoProposal(
        6,
        "Energilots för stöd och gemensamma energilösningar",
        "En väg in för frågor om energistöd och elnätets kapacitet, och hjälp att samordna "
        "solcellsparker och energilager på industriområdena.",
        TOGETHER, SOON, 2, 2,
        ("energieffektivisering", "solcellsparker", "elnätets"),
    ),
    DemoProposal(
        6,
        "Kommunal borgen för småföretagens investeringar",
        "Kommunen går i borgen för lån till maskininvesteringar när bankerna säger nej.",
        MUNICIPALITY, SOON, 2, 2,
        ("finansiering",),
        status=REJECTED,
        reason="Kommunen får inte ge individuellt stöd till enskilda företag utan synnerliga "
        "skäl (kommunallagen 2 kap. 8 §). Frågan tas i stället upp som information om Almis "
        "och regionens finansieringsstöd.",
    ),
    DemoProposal(
        6,
        "Gemensam praktikportal för skolor och företag",
        "Bord 6 föreslår en webbplats där företagen lägger upp praktikplatser och skolorna "
        "söker. Flyttat till kompetensförsörjning efter diskussionen.",
        TOGETHER, SOON, 2, 2,
        ("praktikanter", "studiebesök"),
        area=AREA_SKILLS,
    ),
]  # fmt: skip

# (the proposal kept, the duplicate merged into it)
MERGES = [
    ("Digital följ-ditt-ärende för tillstånd",
     "Se var mitt ärende ligger – som när man spårar ett paket"),
    ("Praktikplatsbank tillsammans med gymnasiet",
     "Gemensam praktikportal för skolor och företag"),
]  # fmt: skip


def workshop_date(today: date) -> date:
    """The latest 11 November that is not in the future."""
    this_year = date(today.year, 11, 11)
    return this_year if this_year <= today else date(today.year - 1, 11, 11)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _finding_pool() -> dict[int, list[Finding]]:
    """Non-confidential findings by area id, in an order that does not depend on ids."""
    pool: dict[int, list[Finding]] = {}
    findings = Finding.objects.filter(is_confidential=False).order_by(
        "interview__date", "interview__company__organisation_number", "text", "pk"
    )
    for finding in findings:
        pool.setdefault(finding.area_id, []).append(finding)
    return pool


def _stamp(record, user, when: datetime):
    """Date the history entry to the workshop day and name the facilitator who wrote it."""
    record._history_user = user
    record._history_date = when
    return record


@transaction.atomic
def seed_workshops(*, stdout: TextIO | None = None) -> None:
    """Write the demo workshop with its groups, proposals, merges and evidence; safe to rerun.

    If a workshop with the demo title exists, nothing is written, so a second run neither
    duplicates nor overwrites what users have changed since.
    """
    if Workshop.objects.filter(title=WORKSHOP_TITLE).exists():
        if stdout:
            stdout.write("Workshops: the demo workshop is already present; nothing added.")
        return

    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets; must be repeatable
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=[FACILITATOR, ADMINISTRATOR])
    }
    facilitator = users.get(FACILITATOR)
    areas = {area.slug: area for area in PriorityArea.objects.all()}
    day = workshop_date(timezone.localdate())
    total = sum(PARTICIPANTS.values())

    workshop = Workshop(
        title=WORKSHOP_TITLE,
        date=day,
        place="Munktellstaden, Eskilstuna",
        description=(
            "SME-dialog där resultaten från intervjuerna presenterades. I workshopen tog varje "
            "bord ett prioriterat område och föreslog vad kommunen och vad näringslivet kan göra."
        ),
        status=WorkshopStatus.HELD,
        participants_total=total,
        participants_companies=PARTICIPANTS["companies"],
        participants_municipality=PARTICIPANTS["municipality"],
        participants_other=PARTICIPANTS["other"],
    )
    _stamp(workshop, facilitator, _at(day, 8))
    workshop_save(
        workshop=workshop,
        facilitators=[users[name] for name in (FACILITATOR, ADMINISTRATOR) if name in users],
    )

    groups = {}
    for number, (slug, members) in enumerate(TABLES, start=1):
        group = WorkshopGroup(
            workshop=workshop,
            name=f"Bord {number}",
            area=areas[slug],
            member_count=members,
            facilitator=facilitator,
        )
        groups[number] = group_save(group=group)

    pool = _finding_pool()
    proposals: dict[str, Proposal] = {}
    linked = 0
    for spec in PROPOSALS:
        proposal = Proposal(
            title=spec.title,
            description=spec.description,
            actor=spec.actor,
            horizon=spec.horizon,
            effect=spec.effect,
            effort=spec.effort,
            votes=rng.randint(0, 25),
            status=spec.status,
            rejection_reason=spec.reason,
        )
        if spec.area:
            proposal.area = areas[spec.area]  # otherwise the service gives it the group's
        _stamp(proposal, facilitator, _at(day, 14))
        proposal_create(group=groups[spec.table], proposal=proposal, user=facilitator)
        matching = [
            finding
            for finding in pool.get(proposal.area_id, [])
            if any(theme in finding.text.lower() for theme in spec.themes)
        ]
        if matching:
            chosen = rng.sample(matching, min(len(matching), rng.randint(2, 8)))
            evidence_link(proposal=proposal, findings=chosen)
            linked += len(chosen)
        proposals[spec.title] = proposal

    for survivor, duplicate in MERGES:
        proposals_merge(survivor=proposals[survivor], duplicates=[proposals[duplicate]])
    Proposal.objects.filter(group__workshop=workshop).update(created_at=_at(day, 14))
    Workshop.objects.filter(pk=workshop.pk).update(created_at=_at(day, 8))

    if stdout:
        stdout.write(
            f"Workshops: 1 workshop, {len(groups)} groups, {len(proposals)} proposals "
            f"({len(MERGES)} merged), {linked} links to findings."
        )


# Found by `manage.py seed_demo`, which runs the apps' seeders in INSTALLED_APPS order.
DEMO_SEED = seed_workshops
