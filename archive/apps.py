from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    """The information management plan (informationshanteringsplan) and delivery packages to
    the e-archive (FGS)."""

    name = "archive"
    label = "archive"
    verbose_name = _("Information management and e-archive")
    default_auto_field = "django.db.models.BigAutoField"
