"""The outbox page: administrators read what was sent and send a failed message again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from smeportal.outbox.models import OutgoingMessage
from smeportal.outbox.services import message_queue

pytestmark = pytest.mark.django_db


def _message(**overrides) -> OutgoingMessage:
    message, _created = message_queue(
        **{
            "to": "bo@example.se",
            "subject": "Dagens påminnelser <b>",
            "body_text": "Två uppföljningar <script>x</script>",
            "body_html": "<!DOCTYPE html><html><body><p>Hej</p></body></html>",
            "purpose": OutgoingMessage.Purpose.DIGEST,
            **overrides,
        }
    )
    return message


@pytest.mark.parametrize("name", ["developer_client", "facilitator_client", "council_client"])
def test_only_administrators_read_the_outbox(request, name):
    message = _message()
    client = request.getfixturevalue(name)
    for url in (
        reverse("outbox:message_list"),
        reverse("outbox:message_detail", args=[message.pk]),
        reverse("outbox:message_html", args=[message.pk]),
    ):
        assert client.get(url).status_code == 403


def test_the_list_shows_messages_and_filters_them(admin_client):
    sent = _message(subject="Skickad påminnelse")
    OutgoingMessage.objects.filter(pk=sent.pk).update(status=OutgoingMessage.Status.SENT)
    failed = _message(subject="Misslyckad påminnelse")
    OutgoingMessage.objects.filter(pk=failed.pk).update(status=OutgoingMessage.Status.FAILED)

    html = admin_client.get(reverse("outbox:message_list")).content.decode()
    assert "Skickad påminnelse" in html and "Misslyckad påminnelse" in html
    assert "var/mail" in html or "mail" in html  # where the mail goes, in words

    response = admin_client.get(reverse("outbox:message_list"), {"status": "misslyckat"})
    html = response.content.decode()
    assert "Misslyckad påminnelse" in html and "Skickad påminnelse" not in html


def test_a_bad_filter_is_a_form_error(admin_client):
    response = admin_client.get(reverse("outbox:message_list"), {"status": "<x>"})
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()


def test_the_list_does_the_same_queries_for_many_messages(
    admin_client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _message()
    with CaptureQueriesContext(connection) as few:
        admin_client.get(reverse("outbox:message_list"))
    for number in range(60):
        _message(to=f"person{number}@example.se")
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(reverse("outbox:message_list"))
    assert len(many) == len(few)
    assert len(response.context["page_obj"].object_list) == 50


def test_the_detail_shows_the_text_as_text(admin_client):
    message = _message()
    html = admin_client.get(reverse("outbox:message_detail", args=[message.pk])).content.decode()
    assert "Dagens påminnelser &lt;b&gt;" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>x" not in html


def test_the_html_part_is_shown_in_a_sandbox(admin_client):
    message = _message()
    response = admin_client.get(reverse("outbox:message_html", args=[message.pk]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_a_failed_message_is_sent_again(
    admin_client, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = _message()
    OutgoingMessage.objects.filter(pk=message.pk).update(
        status=OutgoingMessage.Status.FAILED, last_error="SMTPDataError: 550"
    )
    detail = admin_client.get(reverse("outbox:message_detail", args=[message.pk]))
    assert "SMTPDataError: 550" in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("outbox:message_send_again", args=[message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    # In-process in the tests, the message is sent as soon as it is queued again.
    assert message.status == OutgoingMessage.Status.SENT
    assert len(mailoutbox) == 1


def test_a_message_that_did_not_fail_is_not_sent_again(admin_client, mailoutbox):
    message = _message()
    OutgoingMessage.objects.filter(pk=message.pk).update(status=OutgoingMessage.Status.SENT)
    response = admin_client.post(
        reverse("outbox:message_send_again", args=[message.pk]), follow=True
    )
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.SENT
    assert mailoutbox == []


def test_unknown_message_is_404(admin_client):
    assert admin_client.get(reverse("outbox:message_detail", args=[999999])).status_code == 404
