"""The open data's settings (licence, publisher, contact), and what each dataset last held."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The one row of OpenDataSettings.
SETTINGS_PK = 1


class Licence(models.TextChoices):
    """The licences the administrator may choose, as the URIs DCAT-AP-SE lists for them (http,
    with the trailing slash: the national data portal compares them as written)."""

    CC0 = "http://creativecommons.org/publicdomain/zero/1.0/", _("CC0 1.0 (no rights reserved)")
    CC_BY = "http://creativecommons.org/licenses/by/4.0/", _("CC BY 4.0 (attribution)")


class OpenDataSettings(models.Model):
    """Under which licence, by whom and with which contact the open data is published. One row
    (SETTINGS_PK); until an administrator saves it, the defaults apply (opendata_settings())."""

    licence = models.CharField(
        _("licence"),
        max_length=100,
        choices=Licence.choices,
        default=Licence.CC0,
        help_text=_(
            "CC0 gives the data away without conditions, as the national recommendations "
            "advise; CC BY 4.0 asks everyone who uses it to name the publisher."
        ),
    )
    publisher_name = models.CharField(
        _("publisher"),
        max_length=150,
        default="Eskilstuna kommun",
        help_text=_("The organisation that publishes the data, as the data portal shows it."),
    )
    organisation_number = models.CharField(
        _("publisher's organisation number"),
        max_length=11,
        default="212000-0340",
        help_text=_(
            "Identifies the publisher on the national data portal (dataportal.se), so that "
            "its datasets from different catalogues are listed together."
        ),
    )
    contact_email = models.EmailField(
        _("contact e-mail address"),
        max_length=254,
        blank=True,
        help_text=_(
            "A functional mailbox that answers questions about the data, never a person's own "
            "address: it is published. Empty: the portal's own sender address."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("updated by"),
    )
    history = HistoricalRecords(verbose_name=_("history of open data settings"))

    class Meta:
        verbose_name = _("open data settings")
        verbose_name_plural = _("open data settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pk=SETTINGS_PK), name="opendata_settings_single_row"
            )
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @property
    def contact_address(self) -> str:
        """The address published as the datasets' contact: the one given, else the portal's
        sender address (settings.DEFAULT_FROM_EMAIL, a functional mailbox too)."""
        return self.contact_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]

    @property
    def publisher_uri(self) -> str:
        """The publisher's identifier as the national data portal asks for it: its address for
        the organisation number, ten digits without a hyphen."""
        digits = "".join(ch for ch in self.organisation_number if ch in "0123456789")
        return f"http://dataportal.se/organisation/SE{digits}"


class DatasetVersion(models.Model):
    """What a dataset's rows were when the portal last read them (a digest) and since when: its
    "last changed" for the files' Last-Modified and ETag and for the DCAT description. Kept in
    the database so that the date survives the cache; written only when the rows change
    (opendata.versions)."""

    dataset = models.SlugField(_("dataset"), max_length=40, primary_key=True)
    digest = models.CharField(_("digest of the rows"), max_length=64)
    row_count = models.PositiveIntegerField(_("rows"))
    modified = models.DateTimeField(_("last changed"))

    class Meta:
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")

    def __str__(self) -> str:
        return self.dataset
