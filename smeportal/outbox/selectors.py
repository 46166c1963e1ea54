"""What the outbox page reads."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .models import OutgoingMessage

# The columns of the list: never the bodies (they can be long, and the list does not show them).
# The language marks the subject's (lang), which is the recipient's.
LIST_FIELDS = (
    "pk",
    "to",
    "subject",
    "language",
    "purpose",
    "status",
    "attempts",
    "created_at",
    "sent_at",
)


def outbox_list(*, status: str = "", purpose: str = "") -> QuerySet[OutgoingMessage]:
    messages = OutgoingMessage.objects.only(*LIST_FIELDS).order_by("-created_at", "-pk")
    if status:
        messages = messages.filter(status=status)
    if purpose:
        messages = messages.filter(purpose=purpose)
    return messages


def delivery_description() -> str:
    """Where the portal's e-mail goes, in words for the administrator (no password)."""
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    if backend == "filebased":
        return _(
            "No mail server is set (EMAIL_URL): messages are written as files to %(path)s "
            "and shown here; nothing leaves this machine."
        ) % {"path": settings.EMAIL_FILE_PATH}
    if backend == "smtp":
        return _("Messages are sent through the mail server %(host)s, port %(port)s.") % {
            "host": settings.EMAIL_HOST,
            "port": settings.EMAIL_PORT,
        }
    return _("Messages are handed to %(backend)s.") % {"backend": settings.EMAIL_BACKEND}
