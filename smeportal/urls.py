from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("smeportal.core.urls")),
    path("konto/", include("smeportal.accounts.urls")),
    # The language switch must work on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("omraden/", include("smeportal.areas.urls")),
    path("", include("interviews.urls")),
    path("workshoppar/", include("workshops.urls")),
    path("handlingsplan/", include("actionplan.urls")),
    path("", include("reports.urls")),
    path("granskning/", include("audit.urls")),
    path("allmanna-handlingar/", include("records.urls")),
    path("arkiv/", include("archive.urls")),
    path("sok/", include("search.urls")),
    # The anonymous public page of what the dialogue led to, and its feed.
    path("resultat/", include("public_site.urls")),
    # Open data: the published data as files, and their description for dataportal.se.
    path("oppna-data/", include("opendata.urls")),
    # The API (/api/v1/, its OpenAPI document and documentation) and personal API tokens.
    path("api/", include("api.urls")),
    path("api-nycklar/", include("api.urls_tokens")),
    path("e-post/", include("smeportal.outbox.urls")),
    path("e-postinstallningar/", include("reminders.urls")),
    path("", include("letters.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "smeportal.core.errors.bad_request"
handler403 = "smeportal.core.errors.permission_denied"
handler404 = "smeportal.core.errors.page_not_found"
handler500 = "smeportal.core.errors.server_error"
