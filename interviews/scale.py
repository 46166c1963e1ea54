"""Scale data set: companies, contacts, interviews over eight years, findings and follow-ups.

Per 100,000 interviews: 20,000 companies (about one in twelve a sole trader) with 30,000
contacts, 600,000 findings across the six areas and three types (about a third with a quote,
14,000 key quotes, 3 % confidential, 1 % archived) and 5,000 follow-ups owned by twenty staff,
a quarter of them by the demo developer. The texts come from the demo's banks with varied
details, the notes run from a few lines to a page, and a few rare words are planted in a known
number of interviews so that a search for a rare word has something (little) to find.
"""

from __future__ import annotations

import copy
from array import array
from datetime import date, timedelta

from django.db import connection
from stdnum import luhn

from smeportal.areas.models import PriorityArea
from smeportal.core.scale import (
    ScaleContext,
    at,
    bulk_insert,
    history_insert,
    m2m_history_insert,
    m2m_insert,
    timestamps_as_given,
)

from . import demo
from .choices import (
    FindingType,
    FollowUpStatus,
    InterviewFormat,
    InterviewStatus,
    QuoteConsent,
)
from .demo import (
    AREA_WEIGHTS,
    CONFIDENTIAL_BANK,
    DEFAULT_SECOND_ROLES,
    FINDING_BANK,
    FIRST_NAMES,
    FOLLOW_UP_BANK,
    GRADE_COUNTS,
    LAST_NAMES,
    NOTE_CLOSINGS,
    NOTE_SITUATIONS,
    NOTE_TOPICS,
    PREMISES,
    SECOND_ROLES,
    _ascii,
)
from .models import Company, Contact, Finding, FollowUp, Interview

# Eight years of interviews, ending where the demo's interview round ends.
LAST_DATE = date(2026, 10, 30)
FIRST_DATE = date(2018, 11, 1)

COMPANIES = 20_000
FINDINGS_PER_INTERVIEW = 6
FOLLOW_UPS = 5_000
# Interviews written per round trip: bounds the memory whatever the size.
CHUNK = 10_000

# A search for a common word matches tens of thousands of findings; a rare one a handful of
# interviews (one per 20,000). The bench searches for both.
COMMON_WORD = "bygglov"
RARE_WORDS = ("glasblåseri", "tunnbinderi", "repslageri", "kopparslageri", "korgmakeri")
RARE_EVERY = 20_000

INDUSTRY_WEIGHTS = {
    "A": 3, "B": 1, "C": 14, "D": 1, "E": 1, "F": 14, "G": 16, "H": 6, "I": 8, "J": 7,
    "K": 2, "L": 3, "M": 12, "N": 7, "P": 1, "Q": 5, "R": 3, "S": 4,
}  # fmt: skip
SIZE_WEIGHTS = {"0": 10, "1-9": 55, "10-49": 23, "50-249": 10, "250+": 2}
DISTRICT_WEIGHTS = {
    "centrum": 20, "norr": 12, "soder": 14, "vaster": 12, "oster": 10, "torshalla": 8,
    "arla": 4, "kvicksund": 4, "landsbygd": 16,
}  # fmt: skip
# legal form: name suffix, first three digits of the organisation number (not the demo's).
FORMS = {"ab": (" AB", "556"), "hb": (" HB", "916"), "ef": (" ek. för.", "716")}
FORM_WEIGHTS = {"ab": 80, "hb": 9, "ef": 3, "pnr": 8}

PLACES = [
    "Torshälla", "Gredby", "Kjula", "Ärla", "Hällby", "Skogstorp", "Fröslunda", "Årby",
    "Lagersberg", "Råbergstorp", "Skiftinge", "Nyfors", "Tunafors", "Munktell", "Mälarbaden",
    "Kvicksund", "Stenkvista", "Sundby", "Vilsta", "Ekeby", "Hyndevad", "Väsby", "Slagsta",
    "Borsökna", "Balsta", "Odlaren", "Eskilstuna", "Rekarne", "Fristaden", "Mälardalens",
]  # fmt: skip
TRADES = {
    "A": ["Lantbruk", "Gård", "Skog & Mark", "Trädgård"],
    "B": ["Grus & Sten", "Bergtäkt"],
    "C": ["Mekaniska", "Verkstad", "Precisionsteknik", "Svets", "Gjuteri", "Snickerifabrik",
          "Plåt", "Hydraulik", "Förpackning", "Bageri"],
    "D": ["Energi", "Kraft"],
    "E": ["Återvinning", "Miljöteknik"],
    "F": ["Bygg", "Rör & Värme", "El", "Måleri", "Mark & Schakt", "Tak", "Snickeri"],
    "G": ["Handel", "Bildelar", "Järnhandel", "Livs", "Skor", "Blommor", "Cykel", "Inredning"],
    "H": ["Åkeri", "Logistik", "Transport", "Taxi", "Flytt"],
    "I": ["Bistro", "Café", "Pizzeria", "Restaurang", "Pensionat", "Catering"],
    "J": ["Digital", "IT-support", "Systemutveckling", "Webbyrå", "Spelstudio"],
    "K": ["Försäkring", "Finans"],
    "L": ["Fastigheter", "Förvaltning"],
    "M": ["Konsult", "Redovisning", "Arkitekter", "Ingenjörer", "Reklambyrå", "Labb"],
    "N": ["Städ & Service", "Bemanning", "Fastighetsservice", "Bevakning"],
    "P": ["Utbildning", "Trafikskola"],
    "Q": ["Tandvård", "Omsorg", "Fysioterapi", "Hälsa"],
    "R": ["Klätterhall", "Teater", "Event", "Gym"],
    "S": ["Salong", "Skrädderi", "Kemtvätt", "Hundcenter"],
}  # fmt: skip
# Details that make the bank's texts the company's own: (template, values to fill in).
DETAILS = [
    "Gäller framför allt verksamheten i {place}.",
    "Har tagit upp frågan med kommunen {count} gånger de senaste åren.",
    "Frågan har blivit viktigare sedan {year}.",
    "Påverkar ungefär {count} anställda direkt.",
    "Samma sak togs upp av flera företag på {place}s företagarträff i {month}.",
    "Kostar företaget enligt egen uppskattning {count}0 000 kronor om året.",
]
MONTHS = ["januari", "mars", "maj", "september", "oktober", "november"]
# Further sentences for the notes, so they run from a few lines to a page.
NOTE_MIDDLES = [
    "Vi gick igenom företagets historia och hur verksamheten har förändrats över tid.",
    "Samtalet handlade om allt från lokaler och parkering till kontakten med förvaltningarna.",
    "Företaget säljer till stor del till kunder i Mälardalen och ser en växande efterfrågan.",
    "Ägarna har ett starkt engagemang för orten och sponsrar det lokala föreningslivet.",
    "Personalomsättningen är låg, men flera nyckelpersoner närmar sig pensionsåldern.",
    "Företaget har under året investerat i nya maskiner och digitala system.",
    "Energifrågan och elnätets kapacitet återkom flera gånger under samtalet.",
    "De efterlyser en tydligare bild av vad kommunen planerar i närområdet.",
]
RARE_SENTENCE = "Företaget samarbetar med ett {word} i grannkommunen och vill se fler sådana."


def scale_guard() -> str | None:
    """More interviews or companies than the demo has: not a database to fill."""
    interviews = Interview.objects.count()
    companies = Company.objects.count()
    if interviews > demo.INTERVIEW_COUNT or companies > len(demo.COMPANIES):
        return f"{interviews:,} interviews and {companies:,} companies"
    return None


def seed_interviews_at_scale(ctx: ScaleContext) -> None:
    developers: list[int] = ctx.shared["developers"]
    areas = {area.slug: area.pk for area in PriorityArea.objects.filter(slug__in=AREA_WEIGHTS)}
    taken = set(Company.objects.values_list("organisation_number", flat=True))
    with timestamps_as_given(Company, Interview, FollowUp):
        companies, contacts = _companies(ctx, ctx.rng("companies"), taken)
        _interviews(ctx, ctx.rng("interviews"), companies, contacts, developers, areas)
        _follow_ups(ctx, ctx.rng("follow-ups"), developers)
    # On Postgres the search documents are written by triggers as the rows go in; the
    # interviews app's refresh fills any that are missing and updates the planner's statistics.
    search_vectors_refresh = _search_vector_refresher()
    if search_vectors_refresh is not None:
        search_vectors_refresh()
        ctx.say("Interviews: search documents checked and analysed.")


# --- Companies and contacts ---------------------------------------------------------------------


def _organisation_number(rng, form: str, serial: int, taken: set[str]) -> str:
    """Unique and valid: a serial behind the legal form's digits, or a personal identity number."""
    while True:
        if form == "pnr":
            # 7,919 is prime: distinct serials give distinct birthdays for 18,000 sole traders.
            born = date(1945, 1, 1) + timedelta(days=(serial * 7919) % 18_000)
            digits = f"{born:%y%m%d}{rng.randint(100, 999)}"
        else:
            digits = f"{FORMS[form][1]}{serial % 1_000_000:06d}"
        digits += luhn.calc_check_digit(digits)
        number = f"{digits[:6]}-{digits[6:]}"
        if number not in taken:
            taken.add(number)
            return number
        serial += 1_000_003  # a collision with the demo: try another number of the same form


def _companies(ctx: ScaleContext, rng, taken: set[str]):
    count = ctx.volume(COMPANIES)
    industries = rng.choices(list(INDUSTRY_WEIGHTS), list(INDUSTRY_WEIGHTS.values()), k=count)
    forms = rng.choices(list(FORM_WEIGHTS), list(FORM_WEIGHTS.values()), k=count)
    companies = []
    people: list[list[tuple[str, str]]] = []
    for index in range(count):
        industry, form = industries[index], forms[index]
        trade = rng.choice(TRADES[industry])
        owner = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if form == "pnr":
            name = f"{owner.split()[0]} {owner.split()[1]}s {trade}"
            size = rng.choice(["0", "0", "1-9"])
            staff = [(owner, "Ägare")]
        else:
            pattern = rng.random()
            if pattern < 0.5:
                name = f"{rng.choice(PLACES)} {trade}"
            elif pattern < 0.8:
                name = f"{rng.choice(LAST_NAMES)}s {trade} i {rng.choice(PLACES)}"
            else:
                name = (
                    f"{rng.choice(PLACES)}{rng.choice(['', ' Nya', ' Norra', ' Västra'])} {trade}"
                )
            name += FORMS[form][0]
            size = rng.choices(list(SIZE_WEIGHTS), list(SIZE_WEIGHTS.values()))[0]
            small = size in ("0", "1-9")
            staff = [(owner, rng.choice(["VD", "VD och ägare", "Ägare"]) if small else "VD")]
            # Every other company has a second contact, so 1.5 per company on average.
            if index % 2:
                roles = SECOND_ROLES.get(industry, DEFAULT_SECOND_ROLES)
                staff.append(
                    (f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", rng.choice(roles))
                )
        website = ""
        if rng.random() < 0.6:
            website = f"https://www.{''.join(c for c in _ascii(name) if c.isalnum())}.example"
        companies.append(
            Company(
                name=name,
                organisation_number=_organisation_number(rng, form, index, taken),
                is_personal_data=form == "pnr",
                industry=industry,
                size_class=size,
                district=rng.choices(list(DISTRICT_WEIGHTS), list(DISTRICT_WEIGHTS.values()))[0],
                website=website,
                notes=rng.choice(NOTE_MIDDLES) if rng.random() < 0.15 else "",
            )
        )
        people.append(staff)
    # Dated later, from each company's first interview; written now so interviews can point here.
    return companies, people


def _write_companies(ctx, companies, people, first_visit, first_interviewer):
    for index, company in enumerate(companies):
        company.created_at = company.updated_at = at(first_visit[index], 9)
    bulk_insert(ctx, Company, companies)
    history_insert(
        ctx,
        Company,
        companies,
        when=lambda c: c.created_at,
        user_id=lambda c: first_interviewer[c._scale_index],
    )
    contacts = []
    for index, company in enumerate(companies):
        for name, role in people[index]:
            email = f"{_ascii(name).replace(' ', '.')}.{index}@example.se"
            digits = 1_000_000 + (index * 7 + len(contacts)) % 9_000_000
            phone = f"016-{str(digits)[1:4]} {str(digits)[4:6]} {str(digits)[6:8]}"
            contact = Contact(company_id=company.pk, name=name, role=role, email=email, phone=phone)
            contact._scale_index = index
            contacts.append(contact)
    bulk_insert(ctx, Contact, contacts)
    history_insert(
        ctx,
        Contact,
        contacts,
        when=lambda c: at(first_visit[c._scale_index], 9),
        user_id=lambda c: first_interviewer[c._scale_index],
    )
    by_company: list[list[int]] = [[] for _ in companies]
    for contact in contacts:
        by_company[contact._scale_index].append(contact.pk)
    ctx.say(f"Interviews: {len(companies):,} companies, {len(contacts):,} contacts.")
    return by_company


# --- Interviews and findings --------------------------------------------------------------------


def _weekday(day: date) -> date:
    return day - timedelta(days=max(0, day.weekday() - 4))


def _interviews(ctx, rng, companies, people, developers, areas):
    count = ctx.interviews
    span = (LAST_DATE - FIRST_DATE).days
    # A little more interviewing every year, as the dialogue becomes routine.
    dates = sorted(
        _weekday(FIRST_DATE + timedelta(days=int(span * rng.random() ** 0.8))) for _ in range(count)
    )
    # Every company is interviewed at least once (if there are enough interviews); some often.
    visits = list(range(min(len(companies), count)))
    weights = [1 / (rank + 20) for rank in range(len(companies))]
    visits += rng.choices(range(len(companies)), weights, k=count - len(visits))
    rng.shuffle(visits)
    first_visit: dict[int, date] = {}
    interviewers = []
    for position, company_index in enumerate(visits):
        first_visit.setdefault(company_index, dates[position])
        # The demo developer does a fifth of the interviews, the others share the rest.
        first = developers[0] if rng.random() < 0.2 else rng.choice(developers)
        pair = [first] if rng.random() < 0.75 else [first, rng.choice(developers)]
        interviewers.append(list(dict.fromkeys(pair)))
    first_interviewer = {}
    for position, company_index in enumerate(visits):
        first_interviewer.setdefault(company_index, interviewers[position][0])
    for index, company in enumerate(companies):
        company._scale_index = index
        first_visit.setdefault(index, LAST_DATE)
        first_interviewer.setdefault(index, developers[0])
    contacts = _write_companies(ctx, companies, people, first_visit, first_interviewer)

    # Rare words go into a known number of interviews, spread over the years.
    rare_every = max(1, min(count, RARE_EVERY))
    rare_at = {
        (word_index * 997 + n * rare_every) % count: word
        for word_index, word in enumerate(RARE_WORDS)
        for n in range(max(1, count // RARE_EVERY))
    }
    findings_per = _findings_per_interview(rng, count)
    grades = list(GRADE_COUNTS)
    grade_weights = list(GRADE_COUNTS.values())
    by_area_ids = {pk: array("q") for pk in areas.values()}
    by_area_days = {pk: array("l") for pk in areas.values()}
    drafts_from = count - max(1, count // 50)  # the latest interviews are still being written up
    written = 0
    done: list[tuple[int, date, int]] = []  # (id, date, interviewer) of the finished ones
    for start in range(0, count, CHUNK):
        stop = min(count, start + CHUNK)
        interviews, findings = [], []
        for position in range(start, stop):
            company_index = visits[position]
            company = companies[company_index]
            day = dates[position]
            is_draft = position >= drafts_from or rng.random() < 0.01
            fmt = rng.choices(list(InterviewFormat), weights=[55, 30, 15])[0]
            consent = QuoteConsent.INTERNAL_ONLY
            if not is_draft:
                consent = rng.choices(list(QuoteConsent), weights=[30, 50, 20])[0]
            interview = Interview(
                company_id=company.pk,
                date=day,
                format=fmt,
                duration_minutes=rng.randrange(30, 125, 5),
                status=InterviewStatus.DRAFT if is_draft else InterviewStatus.DONE,
                grade=None if rng.random() < 0.08 else rng.choices(grades, grade_weights)[0],
                consent=consent,
                created_by_id=interviewers[position][0],
                created_at=at(day, 16),
                updated_at=at(day, 16),
            )
            interview._scale_position = position
            own_findings = [
                _finding(rng, company, interview, areas, interviewers[position][0])
                for _ in range(findings_per[position])
            ]
            interview.notes = _notes(
                rng, company, people[company_index], own_findings, rare_at.get(position)
            )
            interviews.append(interview)
            findings.append(own_findings)
        bulk_insert(ctx, Interview, interviews)
        done += [
            (interview.pk, interview.date, interview.created_by_id)
            for interview in interviews
            if interview.status == InterviewStatus.DONE
        ]
        _interview_history(ctx, rng, interviews, interviewers, contacts, visits)
        flat = []
        for interview, own_findings in zip(interviews, findings, strict=True):
            for finding in own_findings:
                finding.interview_id = interview.pk
                flat.append(finding)
        bulk_insert(ctx, Finding, flat)
        history_insert(
            ctx,
            Finding,
            flat,
            when=lambda f: f._scale_created,
            user_id=lambda f: f._scale_user,
        )
        archived = [finding for finding in flat if finding.is_archived]
        history_insert(
            ctx,
            Finding,
            archived,
            when=lambda f: f.archived_at,
            user_id=lambda f: f.archived_by_id,
            history_type="~",
        )
        for finding in flat:
            if not finding.is_archived and not finding.is_confidential:
                by_area_ids[finding.area_id].append(finding.pk)
                by_area_days[finding.area_id].append(finding._scale_created.date().toordinal())
        written += len(flat)
        ctx.say(f"Interviews: {stop:,} of {count:,} interviews, {written:,} findings.")
    ctx.shared["done_interviews"] = done
    # Findings a proposal may cite, by area with their interview's day, for the workshops.
    ctx.shared["findings_by_area"] = {pk: (by_area_ids[pk], by_area_days[pk]) for pk in by_area_ids}


def _findings_per_interview(rng, count: int) -> list[int]:
    """Three to nine findings an interview, exactly six on average (in pairs: 6 + k, 6 - k)."""
    per = []
    for _ in range(count // 2):
        k = rng.randint(0, 3)
        per += [FINDINGS_PER_INTERVIEW + k, FINDINGS_PER_INTERVIEW - k]
    if count % 2:
        per.append(FINDINGS_PER_INTERVIEW)
    rng.shuffle(per)
    return per


def _fits(text, industry: str) -> bool:
    return not text.only or industry in text.only


AREA_SLUGS = list(AREA_WEIGHTS)
AREA_CHANCES = list(AREA_WEIGHTS.values())
IMPORTANCE_WEIGHTS = {
    FindingType.CHALLENGE: [15, 45, 40],
    FindingType.IDEA: [35, 50, 15],
    FindingType.STRENGTH: [50, 40, 10],
}


def _finding(rng, company, interview, areas, user_id) -> Finding:
    confidential = rng.random() < 0.03
    if confidential:
        fitting = [(a, t) for a, t in CONFIDENTIAL_BANK if _fits(t, company.industry)]
        area, text = rng.choice(fitting or CONFIDENTIAL_BANK)
    else:
        area = rng.choices(AREA_SLUGS, AREA_CHANCES)[0]
        text = rng.choice([t for t in FINDING_BANK[area] if _fits(t, company.industry)])
    body = text.text
    if rng.random() < 0.5:
        body += " " + rng.choice(DETAILS).format(
            place=rng.choice(PLACES),
            count=rng.randint(2, 40),
            year=rng.randint(2012, 2024),
            month=rng.choice(MONTHS),
        )
    quote = rng.choice(text.quotes) if text.quotes and rng.random() < 0.5 else ""
    created = at(interview.date, 16)
    archived = rng.random() < 0.01
    finding = Finding(
        area_id=areas[area],
        type=text.type,
        text=body,
        importance=rng.choices([1, 2, 3], IMPORTANCE_WEIGHTS[text.type])[0],
        quote=quote,
        # About 14,000 key quotes in 600,000 findings.
        is_key_quote=bool(quote) and rng.random() < 0.067,
        is_confidential=confidential,
        is_archived=archived,
        archived_at=at(interview.date + timedelta(days=rng.randint(1, 90)), 11)
        if archived
        else None,
        archived_by_id=user_id if archived else None,
    )
    finding._scale_created = created
    finding._scale_user = user_id
    return finding


def _notes(rng, company, people, findings, rare_word) -> str:
    names = " och ".join(name for name, _role in people)
    premises = PREMISES.get(company.industry, "lokalerna")
    sentences = [
        rng.choice(
            [
                f"Besök hos {company.name}, där vi fick se {premises} innan samtalet.",
                f"Digitalt samtal med {names}.",
                f"Telefonintervju med {names}; ett besök på plats planeras längre fram.",
                f"Uppföljande samtal med {names} om vad som hänt sedan förra intervjun.",
            ]
        ),
        rng.choice(NOTE_SITUATIONS),
    ]
    # From a few lines to about a page: the longer notes retell what was said in each area.
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 5])):
        sentences.append(rng.choice(NOTE_MIDDLES + NOTE_TOPICS))
    for finding in rng.sample(findings, min(len(findings), rng.choice([0, 1, 2, 4]))):
        if not finding.is_confidential:
            sentences.append(f"Om {finding.text[0].lower()}{finding.text[1:]}")
    if rare_word:
        sentences.append(RARE_SENTENCE.format(word=rare_word))
    sentences.append(rng.choice(NOTE_CLOSINGS))
    return " ".join(sentences)


def _interview_history(ctx, rng, interviews, interviewers, contacts, visits):
    """Created records (a tenth as drafts, marked done the next day) with their links."""
    interviewer_links, interviewee_links = [], []
    for interview in interviews:
        position = interview._scale_position
        for user_id in interviewers[position]:
            interviewer_links.append((interview.pk, user_id))
        company_contacts = contacts[visits[position]]
        chosen = company_contacts if rng.random() < 0.7 else company_contacts[:1]
        interview._scale_contacts = chosen
        for contact_id in chosen:
            interviewee_links.append((interview.pk, contact_id))
    interviewer_rows = m2m_insert(ctx, Interview, "interviewers", interviewer_links)
    interviewee_rows = m2m_insert(ctx, Interview, "interviewees", interviewee_links)

    revised = [i for i in interviews if i.status == InterviewStatus.DONE and rng.random() < 0.1]
    drafts = []
    for interview in revised:
        draft = copy.copy(interview)
        draft.status, draft.consent = InterviewStatus.DRAFT, QuoteConsent.INTERNAL_ONLY
        drafts.append(draft)
    revised_ids = {interview.pk for interview in revised}
    first = drafts + [i for i in interviews if i.pk not in revised_ids]
    created = history_insert(
        ctx, Interview, first, when=lambda i: i.created_at, user_id=lambda i: i.created_by_id
    )
    changed = history_insert(
        ctx,
        Interview,
        revised,
        when=lambda i: i.created_at + timedelta(days=1),
        user_id=lambda i: i.created_by_id,
        history_type="~",
    )
    by_pk = {interview.pk: interview for interview in interviews}
    records = created + changed
    m2m_history_insert(
        ctx,
        Interview,
        "interviewers",
        (
            (record.history_id, interviewer_rows[record.id, user_id], record.id, user_id)
            for record in records
            for user_id in interviewers[by_pk[record.id]._scale_position]
        ),
    )
    m2m_history_insert(
        ctx,
        Interview,
        "interviewees",
        (
            (record.history_id, interviewee_rows[record.id, contact_id], record.id, contact_id)
            for record in records
            for contact_id in by_pk[record.id]._scale_contacts
        ),
    )


# --- Follow-ups ---------------------------------------------------------------------------------


def _follow_ups(ctx, rng, developers):
    rows = ctx.shared["done_interviews"]
    count = min(len(rows), ctx.volume(FOLLOW_UPS))
    chosen = sorted(rng.sample(range(len(rows)), count))
    today = ctx.today
    follow_ups = []
    for index in chosen:
        interview_id, day, interviewer = rows[index]
        title, _area, _only, notes = rng.choice(FOLLOW_UP_BANK)
        # A quarter belong to the demo developer, so "my follow-ups" is long for her.
        owner = developers[0] if rng.random() < 0.25 else rng.choice(developers)
        recent = (today - day).days < 240
        status = rng.choices(list(FollowUpStatus), weights=[45, 25, 30] if recent else [4, 3, 93])[
            0
        ]
        if status == FollowUpStatus.DONE:
            due = day + timedelta(days=rng.randint(7, 60))
            closed = at(due - timedelta(days=rng.randint(0, 5)), 15)
        else:
            # Open ones: some long overdue, some due soon, some later.
            due = today + timedelta(days=rng.randint(-120, 60))
            closed = None
        follow_up = FollowUp(
            interview_id=interview_id,
            flag=rng.choice(["rod", "gul", "gul"]),
            title=title,
            owner_id=owner,
            due_date=due,
            status=status,
            notes=notes,
            created_at=at(day + timedelta(days=1), 9),
            closed_at=closed,
        )
        follow_up._scale_user = interviewer
        follow_ups.append(follow_up)
    bulk_insert(ctx, FollowUp, follow_ups)
    opened = []
    for follow_up in follow_ups:
        record = copy.copy(follow_up)
        if follow_up.status == FollowUpStatus.DONE:
            record.status, record.closed_at = FollowUpStatus.OPEN, None
        opened.append(record)
    history_insert(
        ctx, FollowUp, opened, when=lambda f: f.created_at, user_id=lambda f: f._scale_user
    )
    done = [follow_up for follow_up in follow_ups if follow_up.status == FollowUpStatus.DONE]
    history_insert(
        ctx,
        FollowUp,
        done,
        when=lambda f: f.closed_at,
        user_id=lambda f: f.owner_id,
        history_type="~",
    )
    overdue = sum(1 for f in follow_ups if f.status != FollowUpStatus.DONE and f.due_date < today)
    ctx.say(f"Interviews: {len(follow_ups):,} follow-ups ({overdue:,} overdue).")


def _search_vector_refresher():
    """The interviews app's bulk refresh of stored search vectors, when it has one (Postgres)."""
    if connection.vendor != "postgresql":
        return None
    try:
        from . import search
    except ImportError:
        return None
    return getattr(search, "search_vectors_refresh_all", None)


# Found by `manage.py seed_scale`, which runs the apps' scale seeders in INSTALLED_APPS order.
SCALE_SEED = seed_interviews_at_scale
SCALE_GUARD = scale_guard

# The bench searches for these (`tests/bench`).
SEARCH_WORDS = {"common": COMMON_WORD, "rare": RARE_WORDS[0]}
