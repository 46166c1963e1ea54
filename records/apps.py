from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Public records (allmänna handlingar): requests for documents, their secrecy review,
    what is released and the decisions."""

    name = "records"
    label = "records"
    verbose_name = _("Public records")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from smeportal.core.start_page import register_start_panel

        from .start_page import overdue_panel

        register_start_panel(overdue_panel)
