from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UsedFormToken(models.Model):
    """A one-use form token that has been spent (see smeportal.core.form_tokens).

    Tokens are signed by the server and cost nothing until a form carrying one is submitted;
    only then is its nonce written here. The unique nonce makes the second submission of the
    same form fail, however close together the two arrive.
    """

    nonce = models.CharField(_("nonce"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    action = models.CharField(_("action"), max_length=200)
    used_at = models.DateTimeField(_("used at"), default=timezone.now, db_index=True)
    # Where the first submission led (the object it created), for the second one to follow.
    result_url = models.CharField(_("result"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("used form token")
        verbose_name_plural = _("used form tokens")

    def __str__(self) -> str:
        return f"{self.action} {self.used_at:%Y-%m-%d %H:%M}"


class TableRowCount(models.Model):
    """The number of rows of a large table, kept by the database (smeportal.core.row_counts).

    Counting 100,000 interviews for the interview list's "100 060 interviews" reads a whole
    index on every page view; statement triggers on Postgres keep the number here instead.
    """

    table_name = models.CharField(_("table"), max_length=63, primary_key=True)
    rows = models.BigIntegerField(_("rows"))

    class Meta:
        verbose_name = _("row count of a table")
        verbose_name_plural = _("row counts of tables")

    def __str__(self) -> str:
        return f"{self.table_name}: {self.rows}"
