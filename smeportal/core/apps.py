from django.apps import AppConfig
from django.db.models.signals import post_migrate
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
        # Case- and accent-insensitive search: `__folded_contains`, and portal_fold on SQLite.
        from . import (
            collation,  # noqa: F401
            folding,  # noqa: F401
            lookups,  # noqa: F401
        )
        from .row_counts import restore_missing_row_counts

        # After a flush (which empties the kept row counts too) and after every migrate.
        post_migrate.connect(restore_missing_row_counts, sender=self)
