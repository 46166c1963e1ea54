from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    """Open data (/oppna-data/): what the public page shows, as CSV and JSON files anyone may
    download, and their DCAT-AP-SE description for the national data portal (dataportal.se)."""

    name = "opendata"
    label = "opendata"
    verbose_name = _("Open data")
    default_auto_field = "django.db.models.BigAutoField"
