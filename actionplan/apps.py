from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionplanConfig(AppConfig):
    name = "actionplan"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        # The interview and proposal pages show the activities that answer them, with their
        # progress; they stand below this app, so the action plan tells them how.
        from smeportal.core.chain import register_progress

        from .chain import with_progress

        register_progress(with_progress)
