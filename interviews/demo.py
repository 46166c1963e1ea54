"""Demo interviews for `manage.py seed_demo`: 55 invented Eskilstuna companies, 60 interviews.

Everything is generated from a fixed seed, first as plain data (`demo_interviews_generate`) and
then written in one transaction (`seed_interviews`), so the same data appears on every fresh
database. The companies, people and numbers are invented; the organisation numbers are merely
well-formed. Interview dates are fixed (the first interview round, ending before the SME
dialogue in November); open follow-ups are due relative to today, so that some are always
overdue whenever the demo is set up.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history
from stdnum import luhn

from smeportal.areas.models import PriorityArea

from .choices import (
    FindingType,
    Flag,
    FollowUpStatus,
    InterviewFormat,
    InterviewStatus,
    QuoteConsent,
)
from .models import Company, Contact, Finding, FollowUp, Interview
from .orgnumbers import parse_organisation_number

SEED = 2030
INTERVIEW_COUNT = 60
FIRST_INTERVIEW = date(2025, 9, 1)
LAST_INTERVIEW = date(2026, 10, 30)  # the round ends before the SME dialogue on 11 November
DEVELOPER = "utvecklare"
ADMINISTRATOR = "admin"

AREA_COMMUNICATION = "kommunikation-och-dialog"
AREA_CITY = "attraktivitet-och-stadskarna"
AREA_SERVICE = "service-och-samverkan"
AREA_SKILLS = "kompetensforsorjning"
AREA_PROCUREMENT = "upphandling"
AREA_GROWTH = "tillvaxt-och-hallbarhet"

# Building permits and skills supply come up most often, as they did in the real interviews.
AREA_WEIGHTS = {
    AREA_COMMUNICATION: 13,
    AREA_CITY: 12,
    AREA_SERVICE: 25,
    AREA_SKILLS: 24,
    AREA_PROCUREMENT: 12,
    AREA_GROWTH: 14,
}

# 60 grades with a mean of 3.43, close to Eskilstuna's published 3.4 (DOMAIN.md).
GRADE_COUNTS = {1: 3, 2: 9, 3: 19, 4: 19, 5: 8, 6: 2}

CHALLENGE, IDEA, STRENGTH = FindingType.CHALLENGE, FindingType.IDEA, FindingType.STRENGTH


# --- The companies ------------------------------------------------------------------------------

# name, legal form, SNI section, size class, district. "pnr" is a sole trader (enskild firma),
# whose number is the owner's personal identity number; the owner is named in the firm's name.
COMPANIES = [
    ("Torshälla Mekaniska AB", "ab", "C", "10-49", "torshalla"),
    ("Gredby Precisionsteknik AB", "ab", "C", "10-49", "vaster"),
    ("Ekbackens Bageri HB", "hb", "C", "1-9", "soder"),
    ("Hällby Svets & Montage AB", "ab", "C", "1-9", "oster"),
    ("Mälarstrands Gjuteri AB", "ab", "C", "50-249", "vaster"),
    ("Kjula Snickerifabrik AB", "ab", "C", "10-49", "vaster"),
    ("Rekarne Hydraulik AB", "ab", "C", "50-249", "norr"),
    ("Ärla Träförädling AB", "ab", "C", "10-49", "arla"),
    ("Jonas Ekmans Knivsmedja", "pnr", "C", "0", "torshalla"),
    ("Fröslunda Förpackning AB", "ab", "C", "10-49", "soder"),
    ("Stålbacka Verktyg AB", "ab", "C", "250+", "norr"),
    ("Skogstorps Bygg & Snickeri AB", "ab", "F", "10-49", "soder"),
    ("Kvicksunds Rör & Värme AB", "ab", "F", "1-9", "kvicksund"),
    ("Mälarbadens Måleri HB", "hb", "F", "1-9", "oster"),
    ("Lagersbergs Mark & Schakt AB", "ab", "F", "10-49", "norr"),
    ("Sundby Takläggning AB", "ab", "F", "1-9", "landsbygd"),
    ("Stenkvista Elinstallation AB", "ab", "F", "1-9", "arla"),
    ("Kungsgatans Skor AB", "ab", "G", "1-9", "centrum"),
    ("Maria Lundgrens Blomsterhandel", "pnr", "G", "1-9", "centrum"),
    ("Årby Bildelar AB", "ab", "G", "10-49", "soder"),
    ("Tunafors Järnhandel AB", "ab", "G", "1-9", "centrum"),
    ("Skiftinge Livs & Import AB", "ab", "G", "1-9", "norr"),
    ("Rekarne Lantmaskiner AB", "ab", "G", "10-49", "landsbygd"),
    ("Hällbybrunns Åkeri AB", "ab", "H", "10-49", "oster"),
    ("Torshälla Hamnlogistik AB", "ab", "H", "10-49", "torshalla"),
    ("Kvicksunds Sjötransporter HB", "hb", "H", "1-9", "kvicksund"),
    ("Bistro Hamnplan AB", "ab", "I", "10-49", "centrum"),
    ("Café Kaptensgården HB", "hb", "I", "1-9", "centrum"),
    ("Mälarbadens Pensionat AB", "ab", "I", "1-9", "oster"),
    ("Kvicksunds Sjökrog AB", "ab", "I", "10-49", "kvicksund"),
    ("Pizzeria Lagersberg AB", "ab", "I", "1-9", "norr"),
    ("Fristaden Digital AB", "ab", "J", "10-49", "centrum"),
    ("Munktellstadens Systemutveckling AB", "ab", "J", "10-49", "centrum"),
    ("Ekeby Webbyrå HB", "hb", "J", "1-9", "vaster"),
    ("Nyfors IT-support AB", "ab", "J", "1-9", "norr"),
    ("Sörmlandsspel Studio AB", "ab", "J", "1-9", "centrum"),
    ("Klosters Redovisningsbyrå AB", "ab", "M", "1-9", "centrum"),
    ("Väsby Ingenjörskonsult AB", "ab", "M", "10-49", "centrum"),
    ("Rekarne Arkitektkontor AB", "ab", "M", "1-9", "centrum"),
    ("Sara Nyströms Miljökonsult", "pnr", "M", "0", "landsbygd"),
    ("Hyndevads Reklambyrå AB", "ab", "M", "1-9", "soder"),
    ("Slagsta Labbtjänst AB", "ab", "M", "10-49", "vaster"),
    ("Fristadens Städ & Service AB", "ab", "N", "50-249", "soder"),
    ("Skogstorps Bemanning AB", "ab", "N", "10-49", "soder"),
    ("Torshälla Fastighetsservice AB", "ab", "N", "10-49", "torshalla"),
    ("Mälardalens Bevakning AB", "ab", "N", "50-249", "centrum"),
    ("Årby Tandvård AB", "ab", "Q", "10-49", "soder"),
    ("Lagersbergs Omsorg AB", "ab", "Q", "50-249", "norr"),
    ("Elin Kjellbergs Fysioterapi", "pnr", "Q", "1-9", "vaster"),
    ("Gredby Klätterhall AB", "ab", "R", "1-9", "vaster"),
    ("Ärla Gårdsteater ek. för.", "ef", "R", "1-9", "arla"),
    ("Salong Hamngatan AB", "ab", "S", "1-9", "centrum"),
    ("Torshälla Skrädderi & Kemtvätt AB", "ab", "S", "1-9", "torshalla"),
    ("Stenkvista Lantbruk AB", "ab", "A", "1-9", "arla"),
    ("Kjula Ägg & Potatis HB", "hb", "A", "1-9", "landsbygd"),
]

SOLE_TRADER_OWNERS = {
    "Jonas Ekmans Knivsmedja": "Jonas Ekman",
    "Maria Lundgrens Blomsterhandel": "Maria Lundgren",
    "Sara Nyströms Miljökonsult": "Sara Nyström",
    "Elin Kjellbergs Fysioterapi": "Elin Kjellberg",
}

# The first three digits of an invented number per legal form: limited company (AB), trading
# partnership (HB) and economic association (ekonomisk förening).
NUMBER_PREFIX = {"ab": "559", "hb": "969", "ef": "769"}

FIRST_NAMES = [
    "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Mikael", "Eva", "Anders",
    "Lena", "Peter", "Emma", "Fredrik", "Helena", "Magnus", "Sofia", "Jonas", "Linda", "Daniel",
    "Camilla", "Patrik", "Ida", "Tobias", "Malin", "Ahmed", "Leila", "Mehmet", "Nadia", "Goran",
    "Jelena", "Mikko", "Aino", "Hassan", "Fatima", "Oskar", "Elin", "Henrik", "Therese", "Viktor",
]  # fmt: skip
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist", "Berg", "Holm",
    "Ekström", "Sjöberg", "Lundgren", "Hedlund", "Öberg", "Forsberg", "Nyberg", "Korhonen",
    "Yilmaz", "Hadzic", "Mahmoud", "Virtanen", "Åberg", "Wikström", "Sandberg", "Engström",
]  # fmt: skip
SECOND_ROLES = {
    "C": ["Produktionschef", "Ekonomichef", "HR-ansvarig"],
    "F": ["Platschef", "Ekonomichef", "Delägare"],
    "H": ["Trafikledare", "Ekonomichef"],
    "Q": ["Verksamhetschef", "HR-ansvarig"],
}
DEFAULT_SECOND_ROLES = ["Ekonomichef", "HR-ansvarig", "Delägare", "Vice VD"]

# Postal addresses for the letters by post: streets of each district, the first three digits of
# its postcodes and its postal town. Torshälla has postcodes of its own (644 xx).
POSTAL_AREAS = {
    "centrum": (
        ["Kungsgatan", "Drottninggatan", "Rademachergatan", "Nybrogatan", "Hamngatan"],
        "632",
        "Eskilstuna",
    ),
    "norr": (["Verkstadsgatan", "Folkestaleden", "Skiftingevägen"], "633", "Eskilstuna"),
    "soder": (["Tunavägen", "Fröslundavägen", "Gillbergavägen"], "633", "Eskilstuna"),
    "vaster": (["Gredbyvägen", "Slagstavägen", "Kjulavägen"], "635", "Eskilstuna"),
    "oster": (["Hällbyvägen", "Mälarbadsvägen", "Ekebyvägen"], "635", "Eskilstuna"),
    "torshalla": (["Storgatan", "Hamngatan", "Eskilstunavägen"], "644", "Torshälla"),
    "arla": (["Ärlavägen", "Stenkvistavägen"], "635", "Eskilstuna"),
    "kvicksund": (["Kvicksundsvägen", "Strandvägen"], "635", "Eskilstuna"),
    "landsbygd": (["Sundbyvägen", "Hyndevadsvägen", "Rekarnevägen"], "635", "Eskilstuna"),
}
# Companies whose first contact reads the letters in English ("Ni sa – vi gjorde").
ENGLISH_CONTACT_COMPANIES = {"Munktellstadens Systemutveckling AB", "Skiftinge Livs & Import AB"}


# --- What the companies said --------------------------------------------------------------------


@dataclass(frozen=True)
class _Text:
    type: str
    text: str
    quotes: tuple[str, ...] = ()
    only: str = ""  # SNI sections the text fits; empty means any company could say it


def _challenge(text: str, *quotes: str, only: str = "") -> _Text:
    return _Text(CHALLENGE, text, quotes, only)


def _idea(text: str, *quotes: str, only: str = "") -> _Text:
    return _Text(IDEA, text, quotes, only)


def _strength(text: str, *quotes: str, only: str = "") -> _Text:
    return _Text(STRENGTH, text, quotes, only)


FINDING_BANK: dict[str, list[_Text]] = {
    AREA_COMMUNICATION: [
        _challenge(
            "Näringslivskontoret borde höra av sig oftare, inte bara när något brinner.",
            "Det enda samtalet vi fått från kommunen på fem år var när de ville ha sponsring "
            "till ett evenemang.",
            "Ni ringer när det är kris eller val. Däremellan är det tyst.",
        ),
        _challenge(
            "Svårt att veta vem på kommunen man ska vända sig till; man blir skickad runt "
            "mellan förvaltningarna.",
            "Jag ringde växeln och blev kopplad till fyra olika personer innan någon kunde "
            "svara på min fråga.",
            "Man vet ju inte ens vilken förvaltning man ska fråga efter.",
        ),
        _challenge(
            "Information om vägarbeten och avstängningar kommer för sent; butiken fick veta "
            "om grävningen samma morgon.",
            "Grävmaskinen stod utanför dörren innan vi hade fått ett enda brev.",
            "Tre veckor utan att kunderna kunde ta sig fram, och ingen hade sagt ett ord.",
            only="GIS",
        ),
        _challenge(
            "Kommunens webbplats är svår att hitta i som företagare; e-tjänsterna är "
            "utspridda och visar inte var ärendet befinner sig.",
            "Jag gav upp på hemsidan och ringde i stället. Det gör nog de flesta.",
        ),
        _challenge(
            "Företagen bjuds in till dialog först när besluten redan är fattade.",
            "Man får känslan av att samrådet är en formalitet – det är redan bestämt.",
            "Vi fick läsa om det i tidningen samma dag som det klubbades.",
        ),
        _challenge(
            "Nyhetsbrevet till företagen är för allmänt hållet; det behövs information "
            "anpassad efter bransch."
        ),
        _challenge(
            "Svar på mejl dröjer ofta mer än en vecka, och ibland kommer inget svar alls.",
            "Jag har slutat mejla. Det är som att skicka in i ett svart hål.",
        ),
        _challenge(
            "Företag på landsbygden och i Torshälla känner sig bortglömda i kommunens "
            "dialog, som mest handlar om stadskärnan.",
            "Allt handlar om centrum. Vi här ute finns liksom inte på kartan.",
        ),
        _idea(
            "Inför en fast kontaktperson på kommunen för företag som har flera ärenden igång "
            "samtidigt.",
            "Ge mig ett namn och ett telefonnummer, så löser vi resten själva.",
            "Jag vill ha en person som känner till oss, inte en ny handläggare varje gång.",
        ),
        _idea("Ordna regelbundna frukostmöten ute i stadsdelarna, inte bara i stadshuset."),
        _idea(
            "Återkoppla till företagen vad som hände med synpunkterna från intervjuerna – "
            "annars känns det meningslöst att delta.",
            "Vi har ställt upp på sådana här intervjuer förut och sedan hör man aldrig något mer.",
        ),
        _idea("Låt kommunens chefer göra praktikdagar på lokala företag för att förstå vardagen."),
        _strength(
            "Kommunalrådet och näringslivschefen är lätta att nå och lyssnar på riktigt.",
            "När jag väl fick träffa dem kändes det som att de faktiskt ville förstå hur vi har "
            "det.",
        ),
        _strength(
            "Företagsbesöken från näringslivskontoret uppskattas; det är bra att kommunen "
            "kommer ut till oss.",
            "Bara att ni sitter här i dag betyder mycket, ärligt talat.",
        ),
        _strength(
            "Informationen inför ombyggnaden av Kungsgatan var tydlig och kom i god tid.",
            only="GIS",
        ),
    ],
    AREA_CITY: [
        _challenge(
            "Stadskärnan känns otrygg på kvällarna, vilket påverkar våra kunder.",
            "Våra kvällskunder säger rakt ut att de inte vill gå över torget när det är mörkt.",
            "Vi har fått stänga en timme tidigare på vintern för att personalen ska känna sig "
            "trygga.",
        ),
        _challenge(
            "Många tomma butikslokaler längs gågatan gör att centrum känns ödsligt.",
            "Det är svårt att locka folk när vartannat skyltfönster är igenklistrat.",
        ),
        _challenge(
            "Parkeringsavgifterna och de få korttidsplatserna gör att kunderna hellre åker "
            "till de externa handelsområdena.",
            "Kunderna handlar där de kan parkera gratis, så enkelt är det.",
            only="GIS",
        ),
        _challenge(
            "Nedskräpning och klotter runt fastigheten tas inte bort tillräckligt snabbt.",
            "Klottret på gaveln har suttit där sedan i våras. Vad tror kunderna om oss då?",
        ),
        _challenge(
            "Svårt att locka specialister från andra orter; Eskilstunas rykte hänger efter "
            "verkligheten.",
            "När jag säger Eskilstuna på en rekryteringsmässa i Stockholm får jag fortfarande "
            "höra gamla fördomar.",
            "Folk som flyttar hit trivs jättebra. Problemet är att få dem att komma på besök "
            "först.",
        ),
        _challenge(
            "Kollektivtrafiken till industriområdet fungerar dåligt för skiftarbetare; första "
            "bussen går för sent.",
            "Våra skiftarbetare börjar kvart i sex. Första bussen kommer tjugo över.",
            only="CHN",
        ),
        _challenge(
            "Belysningen längs gång- och cykelvägarna i ytterområdena är bristfällig, så "
            "personalen undviker att cykla till jobbet på vintern."
        ),
        _challenge(
            "Varuleveranser till butiker och restauranger i centrum försvåras av avstängda "
            "gator och för få lastzoner.",
            "Leverantören får stå på gatan med varningsblinkers och får böter nästan varje vecka.",
            only="GHI",
        ),
        _idea(
            "Samordna öppettider och evenemang i centrum mellan handlare, krögare och kommunen.",
            "Om alla höll öppet till sju på torsdagar skulle vi kunna bygga en kvällsvana hos "
            "folk.",
            only="GIRS",
        ),
        _idea("Satsa mer på evenemang vid Eskilstunaån och i Munktellstaden under sommarhalvåret."),
        _idea(
            "Låt tomma lokaler användas tillfälligt av pop up-butiker och kulturföreningar "
            "till låg hyra.",
            "Hellre en keramiker i fönstret gratis i ett halvår än en tom lokal i två år.",
        ),
        _strength(
            "Närheten till Stockholm och Mälardalen och bra tågförbindelser är en stark fördel.",
            "Vi når Stockholm på under en timme med tåget – det säljer vi in till alla nya "
            "medarbetare.",
        ),
        _strength(
            "Upprustningen av parkerna och åstråket har gjort centrum trevligare att vistas i."
        ),
        _strength(
            "Boendekostnaderna är rimliga, vilket gör det lättare att locka unga familjer att "
            "flytta hit.",
            "En av våra nya ingenjörer sålde en trea i Solna och köpte villa här. Det säger "
            "en del.",
        ),
    ],
    AREA_SERVICE: [
        _challenge(
            "Handläggningstiden för bygglov är oförutsägbar; vi fick vänta fyra månader på "
            "ett enkelt tillbyggnadslov.",
            "Fyra månader för ett förråd på trettio kvadrat – under tiden stod hela projektet "
            "still.",
            "Det är inte att det tar tid som är problemet, det är att ingen kan säga hur lång tid.",
        ),
        _challenge(
            "Olika handläggare ger olika besked i samma fråga, vilket gör det svårt att planera.",
            "Första handläggaren sa ja, nästa sa nej, och den tredje ville ha en helt ny ritning.",
        ),
        _challenge(
            "Kompletteringskraven i bygglovsärenden kommer styckvis i stället för samlat.",
            "Varje gång vi skickat in det de bad om kom det en ny fråga. Sju rundor totalt.",
        ),
        _challenge(
            "Serveringstillståndet tog över tre månader, vilket sköt upp öppningen av "
            "uteserveringen en hel säsong.",
            "Vi missade hela sommaren. Det är en tredjedel av årsomsättningen för oss.",
            only="IR",
        ),
        _challenge(
            "Avgiften för miljötillsyn har höjts kraftigt utan att företaget förstår vad den "
            "täcker.",
            "Jag betalar gärna för tillsyn, men då vill jag veta vad jag får för pengarna.",
            "Fakturan kom innan inspektören ens hade varit här.",
        ),
        _challenge(
            "Livsmedelskontrollen upplevs som kontrollerande snarare än rådgivande.",
            "De letar fel i stället för att hjälpa oss göra rätt. Vi vill ju samma sak.",
            only="ICG",
        ),
        _challenge(
            "Det saknas en samlad bild av var ett ärende befinner sig; man måste ringa för "
            "att få veta status."
        ),
        _challenge(
            "Förvaltningarna pratar inte med varandra; samma uppgifter måste lämnas till både "
            "bygglov, miljö och räddningstjänsten.",
            "Varför ska jag skicka samma ritning till tre olika avdelningar i samma kommun?",
            "Kommunen är ju en organisation. Det märks inte när man är kund.",
        ),
        _challenge(
            "Strandskyddsdispensen för bryggan och utomhusserveringen tog nästan ett år.",
            only="IHR",
        ),
        _challenge(
            "Besked om marklov och schaktning dröjer, vilket gör att maskiner och personal "
            "står still.",
            "En grävare som står still kostar mig tolv tusen om dagen.",
            only="FC",
        ),
        _challenge(
            "Bemötandet i telefon varierar; ibland upplevs handläggarna som ointresserade av "
            "att hitta en lösning.",
            "Jag vill inte höra vad som inte går. Jag vill höra hur vi kan göra det möjligt.",
        ),
        _idea(
            "Inför ett förhandsmöte där alla berörda förvaltningar sitter med redan innan "
            "ansökan lämnas in.",
            "Sätt oss i ett rum med bygglov, miljö och räddningstjänsten en gång, så slipper "
            "vi månader av mejl.",
        ),
        _idea(
            "Ge en garanterad handläggningstid och en namngiven handläggare för enklare bygglov."
        ),
        _idea(
            "Låt företag följa sitt ärende digitalt, ungefär som när man spårar ett paket.",
            "Om jag kan följa ett paket från Kina kan jag väl få följa mitt bygglov?",
        ),
        _strength(
            "Bra bemötande från företagslotsen.",
            "Lotsen tog sig tid och ringde själv runt till rätt personer – det var guld värt.",
        ),
        _strength("Räddningstjänstens tillsyn var pedagogisk och gav konkreta råd."),
        _strength(
            "Bygglovsenheten har blivit snabbare det senaste året och är lättare att nå på "
            "telefon.",
            "Senast fick vi lovet på fem veckor. Det hade jag aldrig trott för några år sedan.",
        ),
    ],
    AREA_SKILLS: [
        _challenge(
            "Svårt att hitta CNC-operatörer; gymnasiets industriprogram har för få platser.",
            "Vi skulle kunna anställa tre CNC-operatörer i morgon om de fanns.",
            "Vi har tackat nej till order för att vi inte har folk till maskinerna.",
            only="C",
        ),
        _challenge(
            "Bristen på svetsare med rätt certifikat begränsar hur många order vi kan ta.",
            "En bra svetsare är värd sin vikt i guld i dag.",
            only="CF",
        ),
        _challenge(
            "Det är svårt att rekrytera utbildade kockar; många söker sig till Stockholm.",
            "Vi har annonserat efter en kock i ett halvår och fått två ansökningar.",
            only="I",
        ),
        _challenge(
            "Svårt att få tag på undersköterskor och legitimerad personal till helger och "
            "semestrar.",
            "Varje sommar är ett pussel, och vi lägger det med bemanningsföretag som kostar "
            "skjortan.",
            only="Q",
        ),
        _challenge(
            "Många unga sökande saknar körkort, vilket utesluter dem från en stor del av jobben.",
            "Hälften av de som söker har inget körkort, och då kan de inte jobba hos oss.",
            only="FGHNQ",
        ),
        _challenge(
            "Svårt att rekrytera erfarna systemutvecklare som vill bo i Eskilstuna.",
            "Seniora utvecklare vill jobba på distans från Stockholm. Då tappar vi det lokala.",
            only="JM",
        ),
        _challenge(
            "Det tar för lång tid innan nyanlända med yrkeserfarenhet kommer i arbete; "
            "valideringen av utländska utbildningar är krånglig.",
            "Vi har en utbildad ingenjör från Syrien som packar lådor för att papperen inte är "
            "klara.",
        ),
        _challenge(
            "Praktikanter kommer från skolan utan grundläggande säkerhetsutbildning.",
            only="CF",
        ),
        _challenge(
            "Som litet företag har vi inte tid att handleda praktikanter, även om vi gärna vill.",
            "Vi är fyra personer. Den som handleder en praktikant gör inte sitt eget jobb den "
            "dagen.",
        ),
        _challenge(
            "Lastbilschaufförer med C- och CE-behörighet är nästan omöjliga att hitta.",
            "Bilarna står still på gården för att vi inte har chaufförer.",
            only="GH",
        ),
        _challenge(
            "Snickare och elektriker går i pension snabbare än nya utbildas.",
            "Hälften av mina gubbar går i pension inom fem år. Vem ska ta över?",
            only="F",
        ),
        _challenge(
            "Svårt att hitta personal som vill arbeta kvällar och helger.",
            only="GINRS",
        ),
        _idea(
            "Skräddarsydda yrkesutbildningar på Komvux i samarbete med företagen, med praktik "
            "hos oss.",
            "Låt oss vara med och skriva kursplanen, så tar vi emot eleverna på golvet.",
            "Ge oss tio elever i ett halvår, så anställer vi minst hälften.",
        ),
        _idea(
            "En gemensam kompetenspool där flera småföretag kan dela på en tekniker eller en "
            "HR-resurs.",
            "Ingen av oss har råd med en egen HR-person, men fem företag tillsammans skulle "
            "klara det.",
        ),
        _idea(
            "Fler studiebesök för grundskoleelever så att de ser vilka jobb som finns i de "
            "lokala företagen.",
            "Ungdomarna vet inte ens att vi finns. De tror att industrin är smutsig och tung.",
        ),
        _strength(
            "Samarbetet med Mälardalens universitet ger tillgång till duktiga examensarbetare.",
            "Två av våra senaste anställda började som exjobbare från universitetet.",
            only="CJM",
        ),
        _strength(
            "Arbetsförmedlingen och kommunens arbetsmarknadsenhet har hjälpt företaget hitta "
            "bra personal via lönestöd."
        ),
        _strength(
            "Teknikcollege-samarbetet fungerar bra och ger elever som är vana vid verkstadsmiljö.",
            "Eleverna från teknikcollege kan faktiskt något när de kommer hit.",
            only="C",
        ),
    ],
    AREA_PROCUREMENT: [
        _challenge(
            "Kommunens upphandlingar är för stora för oss – dela upp dem i mindre delar.",
            "Vi kan leverera till två skolor, inte till alla fyrtio. Då är vi ute ur leken direkt.",
            "Delar man upp det i områden skulle vi lämna anbud i morgon.",
        ),
        _challenge(
            "Kraven i förfrågningsunderlagen är så omfattande att det tar en vecka att lämna "
            "anbud.",
            "Jag satt tre kvällar med ett anbud och föll sedan på en blankett som saknade en "
            "underskrift.",
            "Det krävs en jurist för att förstå underlaget. Vi har ingen jurist.",
        ),
        _challenge(
            "Lägsta pris väger för tungt; kvalitet och närhet räknas knappt.",
            "Det är alltid billigast som vinner, och sedan klagar man på kvaliteten.",
        ),
        _challenge(
            "Krav på omsättning och referensuppdrag utestänger nystartade företag.",
            "Hur ska vi få referenser om vi aldrig får chansen att göra ett första uppdrag?",
        ),
        _challenge(
            "Svårt att se vilka upphandlingar som är på gång innan de annonseras.",
            "När annonsen väl kommer ut har vi tre veckor på oss. Det räcker inte.",
        ),
        _challenge(
            "Ramavtalen låser ute lokala leverantörer i fyra år.",
            "När ramavtalet väl är tecknat är det stängt i fyra år, oavsett hur bra vi blir.",
        ),
        _challenge(
            "De kommunala bolagen har egna rutiner och upphandlingssystem, vilket gör det "
            "förvirrande att vara leverantör."
        ),
        _challenge(
            "Direktupphandlingar går ofta till samma leverantörer utan att andra får chansen.",
            "Vi har aldrig blivit tillfrågade en enda gång, trots att vi ligger tvåhundra meter "
            "från skolan.",
        ),
        _idea(
            "Håll informationsmöten om kommande upphandlingar och öppna för dialog innan "
            "underlaget är klart.",
            "Fråga oss innan ni skriver kraven, så blir det rätt från början.",
        ),
        _idea(
            "Inför en förenklad upphandlingsform för små uppdrag, med enklare krav och kortare "
            "anbudstid."
        ),
        _idea(
            "Ställ krav på korta transporter och hållbarhet, så att lokala leverantörer kan "
            "konkurrera på rätt villkor.",
            "Om man räknade in transporterna skulle vi vinna varenda gång.",
        ),
        _strength("Upphandlingsenheten svarade snabbt och tydligt på frågor under anbudstiden."),
        _strength(
            "Leverantörsträffarna om kommunens inköp har varit givande.",
            "Där fick jag för första gången förklarat hur man faktiskt läser ett underlag.",
        ),
    ],
    AREA_GROWTH: [
        _challenge(
            "Det finns för lite ledig verksamhetsmark med färdig detaljplan.",
            "Vi vill bygga ut, men det finns ingen tomt att köpa som är klar för industri.",
            "Kunde vi få mark i dag skulle vi börja bygga i vår.",
        ),
        _challenge(
            "Brist på ändamålsenliga lokaler för små produktionsföretag i centrala lägen.",
            "Antingen är lokalerna för stora och dyra eller så är de gamla och dragiga.",
        ),
        _challenge(
            "Elnätets kapacitet räcker inte för att elektrifiera maskinparken och ladda fordonen.",
            "Nätbolaget säger att vi får vänta två år på en större anslutning.",
            only="ACFH",
        ),
        _challenge(
            "Svårt att få finansiering till investeringar; bankerna är försiktiga med "
            "småföretag utanför storstäderna.",
            "Banken vill ha villan som säkerhet för en maskin som betalar sig själv på tre år.",
        ),
        _challenge(
            "Bredbandet på landsbygden är för dåligt för att driva e-handel och digitala tjänster.",
            "Vi laddar upp filerna till kunderna på kvällen och hoppas att det går igenom till "
            "morgonen.",
            only="AGJMR",
        ),
        _challenge("Detaljplanearbetet tar flera år, vilket gör att expansionsplaner skjuts upp."),
        _challenge(
            "Tung trafik genom stadskärnan och brist på uppställningsplatser för lastbilar.",
            "Chaufförerna sover i hytten på en grusplan utan toalett. Det är inte värdigt.",
            only="CGH",
        ),
        _challenge(
            "Det är krångligt att få veta vilka stöd som finns för energieffektivisering och "
            "omställning.",
            "Det finns säkert pengar att söka, men jag hinner inte leta i tjugo olika portaler.",
        ),
        _idea(
            "Skapa ett företagshus med delade verkstadsytor för små produktionsföretag.",
            "Ett ställe där fem små verkstäder delar på svarv, lastkaj och fikarum – det vore "
            "något.",
            only="CFS",
        ),
        _idea(
            "Låt kommunen samordna gemensamma solcellsparker eller energilager för företagen "
            "på samma industriområde."
        ),
        _idea(
            "Använd Eskilstunas profil inom återbruk och cirkulär ekonomi för att locka nya "
            "företag.",
            "ReTuna har gjort Eskilstuna känt för återbruk – bygg vidare på det.",
        ),
        _strength(
            "Logistikläget längs E20 och närheten till hamnen är en stor styrka.",
            "Vi når halva Sveriges befolkning inom tre timmar. Det är vårt starkaste argument.",
            only="CGH",
        ),
        _strength("Kommunen var snabb att hjälpa till med mark när företaget behövde expandera."),
        _strength(
            "Lokala nätverk och branschträffar ger nya affärer och samarbeten.",
            "Halva vår kundkrets har vi fått genom nätverksträffarna här i stan.",
        ),
    ],
}

# Business secrets (OSL 31:16): marked confidential so that a records request can redact them.
CONFIDENTIAL_BANK: list[tuple[str, _Text]] = [
    (
        AREA_GROWTH,
        _challenge(
            "Planerar att fördubbla produktionsytan inom två år och behöver en tomt på minst "
            "20 000 kvm; överväger även att flytta till Västerås.",
            "Det här får inte komma ut, men styrelsen tittar på Västerås om vi inte får mark här.",
            only="CH",
        ),
    ),
    (
        AREA_GROWTH,
        _challenge(
            "Förhandlar om ett stort leveransavtal med en fordonstillverkare som kräver en ny "
            "lackeringslinje under 2027.",
            only="C",
        ),
    ),
    (
        AREA_PROCUREMENT,
        _challenge(
            "Företagets största kund säger upp avtalet vid årsskiftet, vilket gör kommunala "
            "uppdrag avgörande för att behålla personalen.",
            "Vi tappar fyrtio procent av omsättningen i januari. Kommunen kan bli vår räddning.",
        ),
    ),
    (
        AREA_GROWTH,
        _idea(
            "Överväger att köpa en konkurrent i Strängnäs och samla verksamheterna i Eskilstuna."
        ),
    ),
    (
        AREA_SKILLS,
        _challenge(
            "Planerar att anställa femton personer till en ny avdelning för automation, men "
            "har inte gått ut med det ännu.",
            only="CJM",
        ),
    ),
    (
        AREA_SERVICE,
        _challenge(
            "Behöver bygglov för ett nytt lager före sommaren för att klara ett nytt "
            "kundkontrakt som ännu inte är offentligt.",
            "Kontraktet är inte påskrivet än, så jag kan inte söka lovet i företagets namn.",
        ),
    ),
    (
        AREA_GROWTH,
        _challenge(
            "Lönsamheten är pressad och ägarna överväger att sälja bolaget om inte "
            "lokalfrågan löses inom ett år."
        ),
    ),
    (
        AREA_PROCUREMENT,
        _idea(
            "Vill lämna anbud tillsammans med två andra lokala företag på nästa ramavtal för "
            "fastighetsskötsel och lokalvård.",
            only="FN",
        ),
    ),
]

PREMISES = {
    "A": "gården och maskinhallen",
    "C": "produktionen",
    "F": "kontoret och ett pågående bygge",
    "G": "butiken och lagret",
    "H": "terminalen",
    "I": "köket och matsalen",
    "Q": "mottagningen",
}
# How the company is doing (one of these), then what the talk turned on (sometimes one of these).
NOTE_SITUATIONS = [
    "Företaget har vuxit stadigt de senaste åren och ser fortsatt god efterfrågan.",
    "Omsättningen har minskat sedan pandemin och fokus ligger nu på att behålla personalen.",
    "Företaget har nyligen investerat och vill fortsätta växa i Eskilstuna.",
    "Höga energipriser och räntor har pressat marginalerna det senaste året.",
    "Verksamheten går stabilt, men orderingången är svårare att förutse än tidigare.",
]
NOTE_TOPICS = [
    "Ägaren har drivit företaget i över tjugo år och funderar på ett generationsskifte.",
    "Den största frågan för företaget just nu är att hitta rätt kompetens.",
    "Samtalet kretsade mycket kring ett pågående ärende hos kommunen.",
    "Företaget har få kontakter med kommunen i dag men är positivt till mer dialog.",
    "De flesta kunderna finns inom fem mil, och den lokala förankringen är stark.",
    "Intervjupersonerna var tydliga med att de vill bidra till kommunens mål för 2030.",
]
NOTE_CLOSINGS = [
    "Vill gärna delta på SME-dialogen i november.",
    "Vi lovade att återkomma med kontaktuppgifter till rätt förvaltning.",
    "Positiv stämning och stort engagemang under hela samtalet.",
    "Önskar återkoppling på vad intervjuerna leder till.",
    "Tackade för besöket och bjöd in till företagets öppet hus i vår.",
]
DRAFT_NOTE = "Utkast: synpunkterna kodas klart efter avstämning med kollegan som var med."

# title, area the company raised it under, SNI sections it fits ("" for any), notes.
FOLLOW_UP_BANK = [
    (
        "Boka möte med bygglovsenheten om tillbyggnaden",
        AREA_SERVICE, "CFG", "Företaget väntar på besked om kompletteringen.",
    ),
    (
        "Ta reda på status för ansökan om serveringstillstånd",
        AREA_SERVICE, "IR", "",
    ),
    (
        "Koppla ihop företaget med Komvux om en yrkesutbildning för CNC-operatörer",
        AREA_SKILLS, "C", "Komvux har en utbildning på gång i vår.",
    ),
    (
        "Bjud in till nästa företagsfrukost och presentera företagslotsen",
        AREA_COMMUNICATION, "", "",
    ),
    (
        "Förmedla kontakt med upphandlingsenheten inför ramavtalet för lokalvård",
        AREA_PROCUREMENT, "", "Ramavtalet annonseras enligt upphandlingsplanen i februari.",
    ),
    (
        "Undersök ledig verksamhetsmark i Hällbybrunn för företagets expansion",
        AREA_GROWTH, "", "Mark- och exploatering tar fram en lista över lediga tomter.",
    ),
    (
        "Kontakta trygghetssamordnaren om belysning och nedskräpning kring butiken",
        AREA_CITY, "", "",
    ),
    (
        "Skicka information om praktik och feriearbete för gymnasieelever",
        AREA_SKILLS, "", "",
    ),
    (
        "Återkoppla om avgiften för miljötillsyn som företaget ifrågasätter",
        AREA_SERVICE, "", "Miljöförvaltningen har lovat en genomgång av fakturan.",
    ),
    (
        "Följ upp ärendet om lastzon för varuleveranser i stadskärnan",
        AREA_CITY, "GHI", "",
    ),
    (
        "Lämna synpunkten om svårnavigerad webbplats till kommunikationsavdelningen",
        AREA_COMMUNICATION, "", "",
    ),
    (
        "Boka uppföljande besök om företagets energiomställning och elanslutning",
        AREA_GROWTH, "", "Bjud in energi- och klimatrådgivaren till besöket.",
    ),
]  # fmt: skip

# flag, status, owner, due date in days: relative to today while open, relative to the
# interview once done. Four are open and past due, so the demo always shows overdue ones.
FOLLOW_UP_PLAN = [
    (Flag.RED, FollowUpStatus.OPEN, DEVELOPER, -12),
    (Flag.RED, FollowUpStatus.IN_PROGRESS, DEVELOPER, -5),
    (Flag.YELLOW, FollowUpStatus.OPEN, ADMINISTRATOR, -20),
    (Flag.YELLOW, FollowUpStatus.OPEN, DEVELOPER, -2),
    (Flag.RED, FollowUpStatus.OPEN, DEVELOPER, 3),
    (Flag.RED, FollowUpStatus.IN_PROGRESS, ADMINISTRATOR, 7),
    (Flag.YELLOW, FollowUpStatus.OPEN, DEVELOPER, 14),
    (Flag.YELLOW, FollowUpStatus.IN_PROGRESS, DEVELOPER, 21),
    (Flag.YELLOW, FollowUpStatus.OPEN, DEVELOPER, 35),
    (Flag.RED, FollowUpStatus.DONE, DEVELOPER, 14),
    (Flag.YELLOW, FollowUpStatus.DONE, ADMINISTRATOR, 30),
    (Flag.YELLOW, FollowUpStatus.DONE, DEVELOPER, 21),
]


# --- Generated data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoContact:
    name: str
    role: str
    email: str
    phone: str
    language: str = "sv"


@dataclass(frozen=True)
class DemoCompany:
    name: str
    organisation_number: str
    industry: str
    size_class: str
    district: str
    website: str
    contacts: tuple[DemoContact, ...]
    postal_address: str = ""
    postal_code: str = ""
    postal_town: str = ""


@dataclass(frozen=True)
class DemoFinding:
    area_slug: str
    type: str
    text: str
    importance: int
    quote: str = ""
    is_key_quote: bool = False
    is_confidential: bool = False


@dataclass(frozen=True)
class DemoInterview:
    company_number: str
    date: date
    format: str
    duration_minutes: int
    status: str
    grade: int
    consent: str
    notes: str
    with_administrator: bool
    interviewee_names: tuple[str, ...]
    findings: tuple[DemoFinding, ...]


@dataclass(frozen=True)
class DemoFollowUp:
    interview_index: int
    flag: str
    title: str
    owner_username: str
    due_date: date
    status: str
    notes: str
    closed_on: date | None


@dataclass(frozen=True)
class DemoData:
    companies: tuple[DemoCompany, ...]
    interviews: tuple[DemoInterview, ...]
    follow_ups: tuple[DemoFollowUp, ...]


def demo_interviews_generate(*, today: date) -> DemoData:
    """The demo records as plain data; the same for the same `today`.

    Only the due dates of open follow-ups depend on `today`.
    """
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets; must be repeatable
    companies = _companies(rng)
    interviews = _interviews(rng, companies)
    follow_ups = _follow_ups(rng, companies, interviews, today)
    return DemoData(tuple(companies), tuple(interviews), tuple(follow_ups))


def _companies(rng: random.Random) -> list[DemoCompany]:
    numbers: set[str] = set()
    names = set(SOLE_TRADER_OWNERS.values())
    companies = []
    for name, form, industry, size_class, district in COMPANIES:
        number = _invent_number(rng, form)
        while number in numbers:
            number = _invent_number(rng, form)
        numbers.add(number)
        if form == "pnr":
            people = [(SOLE_TRADER_OWNERS[name], "Ägare")]
        else:
            small = size_class in ("0", "1-9")
            first_role = rng.choice(["VD", "VD och ägare", "Ägare"]) if small else "VD"
            people = [(_person_name(rng, names), first_role)]
            if not small or rng.random() < 0.3:
                roles = SECOND_ROLES.get(industry, DEFAULT_SECOND_ROLES)
                people.append((_person_name(rng, names), rng.choice(roles)))
        contacts = []
        for position, (person, role) in enumerate(people):
            email = f"{_ascii(person).replace(' ', '.')}@example.se"
            phone = f"016-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
            english = position == 0 and name in ENGLISH_CONTACT_COMPANIES
            contacts.append(DemoContact(person, role, email, phone, "en" if english else "sv"))
        website = ""
        if rng.random() < 0.7:
            domain = "".join(ch for ch in _ascii(name.rsplit(" ", 1)[0]) if ch.isalnum())
            website = f"https://www.{domain}.example"
        street, postcode, town = _postal_address(name, district)
        companies.append(
            DemoCompany(
                name,
                number,
                industry,
                size_class,
                district,
                website,
                tuple(contacts),
                postal_address=street,
                postal_code=postcode,
                postal_town=town,
            )
        )
    return companies


def _postal_address(name: str, district: str) -> tuple[str, str, str]:
    """A street (or box) address in the company's district: (address, postcode, town).

    Drawn from a generator of its own, seeded with the company's name, so that the addresses
    are the same on every run without changing what the shared generator draws after them.
    """
    rng = random.Random(f"{SEED}:{name}")  # noqa: S311 - demo data, not secrets
    streets, prefix, town = POSTAL_AREAS[district]
    if rng.random() < 0.15:
        street = f"Box {rng.randint(100, 999)}"
    else:
        street = f"{rng.choice(streets)} {rng.randint(1, 60)}"
    return street, f"{prefix} {rng.randint(10, 99)}", town


def _invent_number(rng: random.Random, form: str) -> str:
    if form == "pnr":
        # A personal identity number: birth date, three digits, and a Luhn check digit.
        born = date(1962, 1, 1) + timedelta(days=rng.randint(0, 28 * 365))
        digits = f"{born:%y%m%d}{rng.randint(100, 999)}"
    else:
        digits = f"{NUMBER_PREFIX[form]}{rng.randint(0, 999_999):06d}"
    digits += luhn.calc_check_digit(digits)
    return f"{digits[:6]}-{digits[6:]}"


def _person_name(rng: random.Random, taken: set[str]) -> str:
    """A name not yet used, so that two companies never share a contact person."""
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    while name in taken:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    taken.add(name)
    return name


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isascii() and (ch.isalnum() or ch in " &."))


def _interviews(rng: random.Random, companies: list[DemoCompany]) -> list[DemoInterview]:
    span = (LAST_INTERVIEW - FIRST_INTERVIEW).days
    visits = [
        (company, _weekday(FIRST_INTERVIEW + timedelta(days=rng.randint(0, span))))
        for company in companies
    ]
    # Some companies are visited again, four to eight months after the first interview.
    early = [visit for visit in visits if visit[1] <= LAST_INTERVIEW - timedelta(days=150)]
    for company, first in rng.sample(early, INTERVIEW_COUNT - len(companies)):
        second = min(first + timedelta(days=rng.randint(120, 240)), LAST_INTERVIEW)
        visits.append((company, _weekday(second)))
    visits.sort(key=lambda visit: (visit[1], visit[0].organisation_number))
    grades = [grade for grade, count in GRADE_COUNTS.items() for _ in range(count)]
    rng.shuffle(grades)
    quote_uses: Counter[str] = Counter()
    seen: set[str] = set()
    interviews = []
    for index, (company, visited) in enumerate(visits):
        is_draft = index >= INTERVIEW_COUNT - 5  # the most recent ones are still being written up
        fmt = rng.choices(
            [InterviewFormat.VISIT, InterviewFormat.DIGITAL, InterviewFormat.PHONE],
            weights=[55, 30, 15],
        )[0]
        low, high = {InterviewFormat.VISIT: (60, 120), InterviewFormat.DIGITAL: (45, 90)}.get(
            fmt, (45, 60)
        )
        interviewees = company.contacts
        if len(interviewees) > 1 and rng.random() < 0.25:
            interviewees = interviewees[:1]
        consent = QuoteConsent.INTERNAL_ONLY
        if not is_draft:
            consent = rng.choices(
                [QuoteConsent.INTERNAL_ONLY, QuoteConsent.ANONYMOUS, QuoteConsent.NAMED],
                weights=[30, 50, 20],
            )[0]
        interviews.append(
            DemoInterview(
                company_number=company.organisation_number,
                date=visited,
                format=fmt,
                duration_minutes=rng.randrange(low, high + 1, 5),
                status=InterviewStatus.DRAFT if is_draft else InterviewStatus.DONE,
                grade=grades[index],
                consent=consent,
                notes=_notes(rng, company, fmt, interviewees, company.name in seen, is_draft),
                with_administrator=rng.random() < 0.25,
                interviewee_names=tuple(contact.name for contact in interviewees),
                findings=_findings(rng, company.industry, quote_uses),
            )
        )
        seen.add(company.name)
    return interviews


def _weekday(day: date) -> date:
    """Business developers visit on weekdays: move a weekend to the Friday before."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def _notes(rng, company, fmt, interviewees, is_revisit, is_draft) -> str:
    names = " och ".join(contact.name for contact in interviewees)
    if is_revisit:
        opening = (
            f"Uppföljande samtal med {names}; vi gick igenom vad som hänt sedan förra intervjun."
        )
    elif fmt == InterviewFormat.VISIT:
        premises = PREMISES.get(company.industry, "lokalerna")
        opening = f"Besök hos {company.name}, där vi fick se {premises} innan samtalet."
    elif fmt == InterviewFormat.DIGITAL:
        opening = f"Digitalt samtal med {names}."
    else:
        opening = f"Telefonintervju med {names}; ett besök på plats planeras längre fram."
    sentences = [opening, rng.choice(NOTE_SITUATIONS)]
    if rng.random() < 0.6:
        sentences.append(rng.choice(NOTE_TOPICS))
    sentences.append(DRAFT_NOTE if is_draft else rng.choice(NOTE_CLOSINGS))
    return " ".join(sentences)


def _findings(
    rng: random.Random, industry: str, quote_uses: Counter[str]
) -> tuple[DemoFinding, ...]:
    areas = list(AREA_WEIGHTS)
    weights = list(AREA_WEIGHTS.values())
    wanted = rng.randint(3, 10)
    findings: list[DemoFinding] = []
    used: set[str] = set()
    if rng.random() < 0.13:
        fitting = [(area, t) for area, t in CONFIDENTIAL_BANK if _fits(t, industry)]
        area, text = rng.choice(fitting)
        findings.append(_finding(rng, area, text, quote_uses, confidential=True))
        used.add(text.text)
    while len(findings) < wanted:
        area = rng.choices(areas, weights=weights)[0]
        candidates = [t for t in FINDING_BANK[area] if _fits(t, industry) and t.text not in used]
        if not candidates:
            continue
        text = rng.choice(candidates)
        used.add(text.text)
        findings.append(_finding(rng, area, text, quote_uses))
    return tuple(findings)


def _fits(text: _Text, industry: str) -> bool:
    return not text.only or industry in text.only


def _finding(rng, area: str, text: _Text, quote_uses: Counter[str], confidential=False):
    importance_weights = {CHALLENGE: [15, 45, 40], IDEA: [35, 50, 15], STRENGTH: [50, 40, 10]}
    importance = rng.choices([1, 2, 3], weights=importance_weights[text.type])[0]
    quote = ""
    # A verbatim quote is heard at most twice across the round, so quotes stay varied.
    if text.quotes and rng.random() < 0.8:
        unused = [q for q in text.quotes if quote_uses[q] < 2]
        if unused:
            quote = unused[0]
            quote_uses[quote] += 1
    return DemoFinding(
        area_slug=area,
        type=text.type,
        text=text.text,
        importance=importance,
        quote=quote,
        is_key_quote=bool(quote) and rng.random() < 0.3,
        is_confidential=confidential,
    )


def _follow_ups(rng, companies, interviews, today: date) -> list[DemoFollowUp]:
    industries = {company.organisation_number: company.industry for company in companies}
    taken: set[int] = set()
    follow_ups = []
    for (title, area, only, notes), (flag, status, owner, days) in zip(
        FOLLOW_UP_BANK, FOLLOW_UP_PLAN, strict=True
    ):
        raised = [
            index
            for index, interview in enumerate(interviews)
            if index not in taken
            and interview.status == InterviewStatus.DONE
            and any(finding.area_slug == area for finding in interview.findings)
        ]
        if status != FollowUpStatus.DONE:
            # Flags still open were raised in the latest months; older ones have been dealt with.
            cutoff = LAST_INTERVIEW - timedelta(days=180)
            raised = [i for i in raised if interviews[i].date > cutoff] or raised
        fitting = [i for i in raised if industries[interviews[i].company_number] in (only or "")]
        index = rng.choice(fitting if only and fitting else raised)
        taken.add(index)
        closed_on = None
        if status == FollowUpStatus.DONE:
            due = interviews[index].date + timedelta(days=days)
            closed_on = due - timedelta(days=rng.randint(0, 5))
        else:
            due = today + timedelta(days=days)
        follow_ups.append(DemoFollowUp(index, flag, title, owner, due, status, notes, closed_on))
    return follow_ups


# --- Writing ------------------------------------------------------------------------------------


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@transaction.atomic
def seed_interviews(*, stdout: TextIO | None = None) -> None:
    """Write the demo companies, interviews, findings and follow-ups; safe to run again.

    The demo companies are recognised by their organisation numbers: if any exists, nothing is
    written, so a second run neither duplicates nor overwrites what users have changed since.
    """
    data = demo_interviews_generate(today=timezone.localdate())
    numbers = [company.organisation_number for company in data.companies]
    if Company.objects.filter(organisation_number__in=numbers).exists():
        if stdout:
            stdout.write("Interviews: demo interviews already present; nothing added.")
        return

    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=[DEVELOPER, ADMINISTRATOR])
    }
    developer = users[DEVELOPER]
    areas = {area.slug: area for area in PriorityArea.objects.filter(slug__in=AREA_WEIGHTS)}
    first_visit = {}
    for interview in data.interviews:
        first_visit.setdefault(interview.company_number, interview.date)

    companies: dict[str, Company] = {}
    contacts: dict[tuple[str, str], Contact] = {}
    for number, spec in enumerate(data.companies):
        parsed = parse_organisation_number(spec.organisation_number)
        company = Company(
            name=spec.name,
            organisation_number=parsed.formatted,
            is_personal_data=parsed.is_personal_identity_number,
            industry=spec.industry,
            size_class=spec.size_class,
            district=spec.district,
            website=spec.website,
            postal_address=spec.postal_address,
            postal_code=spec.postal_code,
            postal_town=spec.postal_town,
        )
        _save(company, developer, first_visit[spec.organisation_number])
        companies[spec.organisation_number] = company
        for position, contact_spec in enumerate(spec.contacts):
            # At two companies in three the first contact agreed, at the first visit, to hear
            # about the results ("Ni sa – vi gjorde"); the others get the letter by post.
            agreed = position == 0 and number % 3 != 0
            contact = Contact(
                company=company,
                name=contact_spec.name,
                role=contact_spec.role,
                email=contact_spec.email,
                phone=contact_spec.phone,
                language=contact_spec.language,
                results_consent_on=first_visit[spec.organisation_number] if agreed else None,
                results_consent_by=developer if agreed else None,
            )
            _save(
                contact,
                developer,
                first_visit[spec.organisation_number],
                known=["company", "results_consent_by"],
            )
            contacts[spec.organisation_number, contact.name] = contact

    interviews = []
    finding_count = 0
    for spec in data.interviews:
        interview = Interview(
            company=companies[spec.company_number],
            date=spec.date,
            format=spec.format,
            duration_minutes=spec.duration_minutes,
            status=spec.status,
            grade=spec.grade,
            consent=spec.consent,
            notes=spec.notes,
            created_by=developer,
        )
        _save(interview, developer, spec.date, known=["company", "created_by"])
        interviewers = [developer]
        if spec.with_administrator:
            interviewers.append(users[ADMINISTRATOR])
        interview.interviewers.set(interviewers)
        interview.interviewees.set(
            [contacts[spec.company_number, name] for name in spec.interviewee_names]
        )
        findings = [
            Finding(
                interview=interview,
                area=areas[finding.area_slug],
                type=finding.type,
                text=finding.text,
                importance=finding.importance,
                quote=finding.quote,
                is_key_quote=finding.is_key_quote,
                is_confidential=finding.is_confidential,
            )
            for finding in spec.findings
        ]
        for finding in findings:
            # The interview and area were just loaded, so skip the per-row existence queries.
            finding.full_clean(exclude=["interview", "area"])
        bulk_create_with_history(
            findings, Finding, default_user=developer, default_date=_at(spec.date, 16)
        )
        finding_count += len(findings)
        interview.created_at = interview.updated_at = _at(spec.date, 16)
        interviews.append(interview)
    Interview.objects.bulk_update(interviews, ["created_at", "updated_at"])
    Company.objects.bulk_update(
        [_created(company, first_visit[number]) for number, company in companies.items()],
        ["created_at", "updated_at"],
    )

    follow_ups = []
    for spec in data.follow_ups:
        interview = interviews[spec.interview_index]
        follow_up = FollowUp(
            interview=interview,
            flag=spec.flag,
            title=spec.title,
            owner=users[spec.owner_username],
            due_date=spec.due_date,
            status=spec.status,
            notes=spec.notes,
            closed_at=_at(spec.closed_on, 15) if spec.closed_on else None,
        )
        _save(
            follow_up, developer, interview.date + timedelta(days=1), known=["interview", "owner"]
        )
        follow_up.created_at = _at(interview.date + timedelta(days=1), 9)
        follow_ups.append(follow_up)
    FollowUp.objects.bulk_update(follow_ups, ["created_at"])

    if stdout:
        stdout.write(
            f"Interviews: {len(interviews)} interviews, {finding_count} findings, "
            f"{len(follow_ups)} follow-ups."
        )


def _save(record, user, day: date, known: list[str] | None = None) -> None:
    """Validate like the services do, and date the history entry to when it happened.

    `known` names the foreign keys to records just written, whose existence need not be
    checked with a query each.
    """
    record.full_clean(exclude=known)
    record._history_user = user
    record._history_date = _at(day, 16)
    record.save()


def _created(company: Company, day: date) -> Company:
    company.created_at = company.updated_at = _at(day, 9)
    return company


# Found by `manage.py seed_demo`, which runs the apps' seeders in INSTALLED_APPS order.
DEMO_SEED = seed_interviews
