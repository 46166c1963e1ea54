from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .choices import install_fast_choice_display

# Before any model class is built (see the function).
install_fast_choice_display()


class CoreConfig(AppConfig):
    name = "smeportal.core"
    label = "core"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Registers the Swedish collation on every new SQLite connection.
        # Integer `__in` lookups drop out-of-range ids instead of crashing on SQLite.
        from . import (
            collation,  # noqa: F401
            lookups,  # noqa: F401
        )
