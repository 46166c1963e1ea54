from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "smeportal.accounts"
    label = "accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from .roles import sync_role_permissions_after_migrate

        # Runs after every migrate so that models added by later apps get their role permissions.
        post_migrate.connect(sync_role_permissions_after_migrate, dispatch_uid="sync_roles")
