from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The anonymous public page (/resultat/). Named public_site, not public: a top-level
    module `public` exists already (the atpublic package, which aiosmtpd imports)."""

    name = "public_site"
    label = "public_site"
    verbose_name = _("Public page")
