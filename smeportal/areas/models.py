from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from smeportal.core.text import PARAGRAPH_MAX_LENGTH, BoundedTextField

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hex digits, e.g. #1f5f8b.")
)


class PriorityArea(models.Model):
    """One of the focus areas of the SME plan that interviews, proposals and actions are coded to.

    Areas are never deleted while anything refers to them (foreign keys to this model use
    PROTECT); an area that is no longer used for new work is archived instead.
    """

    name = models.CharField(_("name"), max_length=150, unique=True)
    name_en = models.CharField(
        _("name in English"),
        max_length=150,
        blank=True,
        help_text=_("Shown when the interface is in English; the Swedish name is used if empty."),
    )
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    description = BoundedTextField(
        _("short description"), blank=True, max_length=PARAGRAPH_MAX_LENGTH
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1f5f8b",
        validators=[colour_validator],
        help_text=_("Used as an accent only; the area is always named in text as well."),
    )
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the interface language: English where one is given, else Swedish."""
        if self.name_en and (get_language() or "sv").startswith("en"):
            return self.name_en
        return self.name
