"""Letters for post: the company's address where a window envelope shows it, the round's warning
about companies without one, and one PDF of all the round's letters for post."""

from __future__ import annotations

import html
import re
import subprocess

import pytest
from django.urls import reverse

from interviews.models import ANONYMISED_NAME
from letters import views
from letters.models import ResultsLetter
from letters.services import letter_pdf, letter_round_send
from tests.factories import CompanyFactory, ContactFactory, InterviewFactory
from tests.reports.test_pdf import _tool, pdf_info, pdf_objects, pdf_pages, pdf_text, swedish

from .test_letters import _round

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points per millimetre
SENDER = "The business office, Eskilstuna municipality"


def _address(company, street="Kungsgatan 5", postcode="632 20", town="Eskilstuna"):
    company.postal_address, company.postal_code, company.postal_town = street, postcode, town
    company.save()
    return company


def _first_page_words(pdf: bytes) -> dict[str, list[tuple[float, float]]]:
    """The words of the first page, each with the top left corners of its boxes (mm)."""
    layout = subprocess.run(
        [_tool("pdftotext"), "-bbox", "-f", "1", "-l", "1", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    words = {}
    for x, y, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<', layout):
        words.setdefault(html.unescape(word), []).append((float(x) / MM, float(y) / MM))
    return words


@pytest.fixture
def sent_round(dialogue, developer, django_capture_on_commit_callbacks):
    """A sent round: Hällby by e-mail; by post Eskilstuna Mekaniska (no address) and two more,
    one of them to an English-speaking person met at the interview."""
    post_only = dialogue["post_only"]
    autumn_day = post_only.interviews.get().date
    arla = _address(CompanyFactory(name="Ärla Gårdsbutik"), "Box 12", "635 02", "Eskilstuna")
    InterviewFactory(company=arla, date=autumn_day)
    english = _address(CompanyFactory(name="Munktell Software AB"), "Verkstadsgatan 3")
    met = ContactFactory(company=english, name="John Smith", email="", language="en")
    InterviewFactory(company=english, date=autumn_day).interviewees.add(met)
    return post_only, english, met


def test_the_address_block_sits_in_the_envelopes_window(dialogue, developer):
    told = _address(dialogue["told"])
    letter = _round(developer).letters.get(company=told)
    pdf = letter_pdf(letter)
    text = pdf_text(pdf)
    attn = swedish("Attn: %(name)s") % {"name": "Gunborg Åkesson"}
    for line in ("Hällby Åkeri AB", attn, "Kungsgatan 5", "632 20 Eskilstuna"):
        assert line in text
    words = _first_page_words(pdf)
    # The company's name opens the block 45 mm down and 115 mm in from the sheet's edges; the
    # whole block fits a window of 80 mm x 35 mm on the right of the sheet.
    left, top = min((box for box in words["Hällby"] if box[0] > 100), key=lambda box: box[1])
    assert 114 <= left <= 116 and 44 <= top <= 46
    [(street_left, _street_top)] = words["Kungsgatan"]
    [(town_left, town_top)] = words["632"]  # “632 20 Eskilstuna”
    assert abs(street_left - left) < 1 and abs(town_left - left) < 1
    assert town_top < top + 35 - 4  # the last line's top, with room for the line itself
    [(_x, greeting_top)] = [box for word, boxes in words.items() if "Hej" in word for box in boxes]
    assert greeting_top > town_top + 5  # the letter's text starts below the address


def test_a_letter_without_an_address_prints_what_is_known(dialogue, developer):
    letter = _round(developer).letters.get(company=dialogue["post_only"])
    text = pdf_text(letter_pdf(letter))
    assert "Eskilstuna Mekaniska" in text


def test_the_round_page_warns_of_letters_for_post_without_an_address(
    developer_client, dialogue, developer, django_capture_on_commit_callbacks
):
    addressed = _address(CompanyFactory(name="Adresserat AB"))
    InterviewFactory(company=addressed, date=dialogue["post_only"].interviews.get().date)
    # Hällby goes by e-mail: an address is not needed and not asked for.
    letter_round = _round(developer)
    page = developer_client.get(reverse("letters:round_detail", args=[letter_round.pk]))
    body = page.content.decode()
    warning = re.search(r'<div class="alert alert-warning" role="note">(.*?)</div>', body, re.S)
    assert warning, "no warning about the missing address"
    missing = reverse("interviews:company_update", args=[dialogue["post_only"].pk])
    assert f'href="{missing}"' in warning.group(1) and "Eskilstuna Mekaniska" in warning.group(1)
    assert "Adresserat AB" not in warning.group(1) and "Hällby" not in warning.group(1)
    assert page.context["counts"]["without_address"] == 1

    # A warning, not a stop: the round is sent all the same.
    with django_capture_on_commit_callbacks(execute=True):
        sent = developer_client.post(
            reverse("letters:round_send", args=[letter_round.pk]), {"previewed": "on"}
        )
    assert sent.status_code == 302
    assert letter_round.letters.filter(status=ResultsLetter.Status.FOR_POST).count() == 2


def _send(letter_round, developer, capture):
    with capture(execute=True):
        letter_round_send(letter_round=letter_round, user=developer)


def test_one_pdf_of_all_the_rounds_letters_for_post(
    developer_client, dialogue, developer, sent_round, django_capture_on_commit_callbacks
):
    post_only, english, met = sent_round
    letter_round = _round(developer)
    _send(letter_round, developer, django_capture_on_commit_callbacks)
    for_post = letter_round.letters.filter(status=ResultsLetter.Status.FOR_POST)
    assert for_post.count() == 3

    page = developer_client.get(reverse("letters:round_detail", args=[letter_round.pk]))
    url = reverse("letters:round_post_pdf", args=[letter_round.pk])
    assert f'href="{url}"' in page.content.decode()

    response = developer_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"ni-sa-vi-gjorde-{letter_round.pk}-post.pdf" in response["Content-Disposition"]
    pdf = response.content
    pages = pdf_pages(pdf)
    pages = [text for text in pages if text.strip()]
    assert int(re.search(r"^Pages:\s+(\d+)", pdf_info(pdf), re.M).group(1)) == len(pages)
    # Each letter starts a page of its own, its sender's line first; one per company.
    senders = {swedish(SENDER), SENDER}
    starts = [text for text in pages if text.strip().splitlines()[0].strip() in senders]
    assert len(starts) == 3 <= len(pages)
    for name in ("Eskilstuna Mekaniska", "Munktell Software AB", "Ärla Gårdsbutik"):
        assert sum(name in start for start in starts) == 1, name
    assert "Hällby Åkeri AB" not in "".join(pages)  # that one went by e-mail
    # Each letter in its own language: John Smith's in English, the others in Swedish.
    [smiths] = [start for start in starts if "Munktell Software AB" in start]
    assert "Dear John Smith," in smiths and "Attn: John Smith" in smiths
    others = [start for start in starts if "Munktell" not in start]
    assert all("Det finns ännu inget att berätta" in start for start in others)
    catalog = pdf_objects(pdf)
    assert b"/Lang (sv)" in catalog and b"/StructTreeRoot" in catalog
    assert re.search(r"^Tagged:\s+yes$", pdf_info(pdf), re.MULTILINE)


def test_a_large_round_comes_in_parts(
    monkeypatch,
    developer_client,
    dialogue,
    developer,
    sent_round,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr(views, "POST_PDF_PART_SIZE", 2)
    letter_round = _round(developer)
    _send(letter_round, developer, django_capture_on_commit_callbacks)
    url = reverse("letters:round_post_pdf", args=[letter_round.pk])
    page = developer_client.get(reverse("letters:round_detail", args=[letter_round.pk]))
    body = page.content.decode()
    assert f'href="{url}?del=1"' in body and f'href="{url}?del=2"' in body
    assert f'href="{url}?del=3"' not in body

    second = developer_client.get(url, {"del": "2"})
    assert second.status_code == 200
    assert "-post-del-2.pdf" in second["Content-Disposition"]
    text = pdf_text(second.content)
    assert "Ärla Gårdsbutik" in text  # the last of the three by name
    assert "Eskilstuna Mekaniska" not in text and "Munktell" not in text
    for bad in ("3", "0", "x", ""):
        assert developer_client.get(url, {"del": bad}).status_code == 404, bad


def test_the_letters_for_post_only_once_the_round_is_sent(developer_client, dialogue, developer):
    letter_round = _round(developer)
    url = reverse("letters:round_post_pdf", args=[letter_round.pk])
    page = developer_client.get(reverse("letters:round_detail", args=[letter_round.pk]))
    assert url not in page.content.decode()
    response = developer_client.get(url)
    assert response.status_code == 409
    message = swedish(
        "The letters for post can be downloaded once the round has been approved and sent."
    )
    assert message in html.unescape(response.content.decode())


def test_a_round_without_letters_for_post_has_none_to_download(
    developer_client, dialogue, developer, django_capture_on_commit_callbacks
):
    letter_round = _round(developer)
    letter_round.letters.filter(delivery=ResultsLetter.Delivery.POST).delete()
    _send(letter_round, developer, django_capture_on_commit_callbacks)
    url = reverse("letters:round_post_pdf", args=[letter_round.pk])
    page = developer_client.get(reverse("letters:round_detail", args=[letter_round.pk]))
    assert url not in page.content.decode()
    assert developer_client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["council_client", "facilitator_client"])
def test_only_those_who_send_letters_download_them(
    request, name, dialogue, developer, django_capture_on_commit_callbacks
):
    letter_round = _round(developer)
    _send(letter_round, developer, django_capture_on_commit_callbacks)
    client = request.getfixturevalue(name)
    assert client.get(reverse("letters:round_post_pdf", args=[letter_round.pk])).status_code == 403


def test_an_unknown_round_is_404(developer_client):
    assert developer_client.get(reverse("letters:round_post_pdf", args=[99999])).status_code == 404


def test_a_letter_for_post_is_not_addressed_to_an_anonymised_person(dialogue, developer):
    post_only = dialogue["post_only"]
    gone = ContactFactory(company=post_only, name=ANONYMISED_NAME, email="", phone="")
    post_only.interviews.get().interviewees.add(gone)
    letter = _round(developer).letters.get(company=post_only)
    assert letter.contact is None
