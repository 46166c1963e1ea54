"""Open data: the page, the files, their DCAT-AP-SE description, and the settings page.

The page, the files and the description are anonymous, rate-limited and kept briefly by
browsers and proxies, like the public page (public_site). A file answers with an ETag and a
Last-Modified from its dataset's version (opendata.versions), so a harvester that asks
If-None-Match gets 304 Not Modified for a cache read and one query. The settings page is the
administrators' (capability "opendata.manage").
"""

from __future__ import annotations

import functools
import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from public_site.ratelimit import rate_limited
from smeportal.accounts.permissions import capability_required

from .datasets import DATASETS, DATASETS_BY_SLUG
from .dcat import Addresses, dcat_document
from .files import csv_chunks, json_chunks
from .forms import OpenDataSettingsForm
from .models import Licence
from .selectors import opendata_settings
from .services import opendata_settings_save
from .versions import Version, dataset_versions

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
DCAT_CONTENT_TYPE = "application/ld+json"
# The open API's pages (the api app), named by path: this app does not depend on it.
API_ENDPOINT = "/api/v1/public/"
API_SCHEMA = "/api/v1/schema/"
API_DOCS = "/api/v1/docs/"


def open_caching(view):
    """As the public page: anonymous answers (and their 304s) may be kept for the cache's time;
    signed-in users get no-store from NoStoreForSignedInUsersMiddleware. The labels follow the
    language cookie, so answers vary with it."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 304) and not request.user.is_authenticated:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_CACHE_SECONDS)
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapper


def _not_modified_or_none(request, *, etag: str, version: Version | None = None):
    """A 304 when the caller holds this version already, with the validators it needs."""
    last_modified = int(version.modified.timestamp()) if version else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is not None:
        _validators(response, etag=etag, version=version)
    return response


def _validators(response: HttpResponse, *, etag: str, version: Version | None) -> None:
    response["ETag"] = etag
    if version is not None:
        response["Last-Modified"] = http_date(version.modified.timestamp())


@functools.cache
def _exists(path: str) -> bool:
    """Whether the portal answers at the path: the URLs do not change while it runs."""
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


@login_not_required
@require_safe
@rate_limited
@open_caching
def index(request):
    """The datasets with their rows, last change and files, the licence, and the links for
    harvesters and developers."""
    versions = dataset_versions(DATASETS)
    open_data_settings = opendata_settings()
    rows = [
        {
            "dataset": dataset,
            "version": versions[dataset.slug],
            "csv": reverse("opendata:download_csv", kwargs={"dataset": dataset.slug}),
            "json": reverse("opendata:download_json", kwargs={"dataset": dataset.slug}),
        }
        for dataset in DATASETS
    ]
    return render(
        request,
        "opendata/index.html",
        {
            "rows": rows,
            "settings": open_data_settings,
            "licence_label": Licence(open_data_settings.licence).label,
            "dcat_url": request.build_absolute_uri(reverse("opendata:dcat")),
            # Shown once the API is there (another app, possibly not in this installation).
            "api_docs": API_DOCS if _exists(API_DOCS) else "",
            "api_schema": API_SCHEMA if _exists(API_SCHEMA) else "",
            "cache_minutes": max(1, settings.PUBLIC_PAGE_CACHE_SECONDS // 60),
        },
    )


@login_not_required
@require_safe
@rate_limited
@open_caching
def download(request, dataset: str, file_format: str):
    """One dataset as a CSV or JSON file, streamed; 304 when the caller's copy is current."""
    found = DATASETS_BY_SLUG.get(dataset)
    if found is None:
        raise Http404
    version = dataset_versions([found])[found.slug]
    licence = opendata_settings().licence
    language = translation.get_language() or settings.LANGUAGE_CODE
    tag = hashlib.sha256(
        f"{found.slug}:{file_format}:{language}:{licence}:{version.digest}:"
        f"{version.modified.isoformat()}".encode()
    ).hexdigest()[:32]
    etag = quote_etag(tag)
    not_modified = _not_modified_or_none(request, etag=etag, version=version)
    if not_modified is not None:
        return not_modified
    if file_format == "csv":
        chunks = csv_chunks(found, language)
    else:
        chunks = json_chunks(found, language=language, licence=licence, modified=version.modified)
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = (
        f'attachment; filename="foretagsdialog-{found.slug}.{file_format}"'
    )
    _validators(response, etag=etag, version=version)
    return response


@login_not_required
@require_safe
@rate_limited
@open_caching
def dcat(request):
    """The DCAT-AP-SE description of the datasets (JSON-LD), at a stable address to harvest."""
    versions = dataset_versions(DATASETS)
    document = dcat_document(
        datasets=DATASETS,
        versions=versions,
        settings=opendata_settings(),
        addresses=Addresses(
            description=request.build_absolute_uri(reverse("opendata:dcat")),
            page=request.build_absolute_uri(reverse("opendata:index")),
            file=lambda slug, file_format: request.build_absolute_uri(
                reverse(f"opendata:download_{file_format}", kwargs={"dataset": slug})
            ),
            api_endpoint=request.build_absolute_uri(API_ENDPOINT),
            api_schema=request.build_absolute_uri(API_SCHEMA),
            api_docs=request.build_absolute_uri(API_DOCS),
        ),
    )
    body = json.dumps(document, ensure_ascii=False, indent=2).encode()
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    not_modified = _not_modified_or_none(request, etag=etag)
    if not_modified is not None:
        return not_modified
    response = HttpResponse(body, content_type=DCAT_CONTENT_TYPE)
    _validators(response, etag=etag, version=None)
    return response


@require_http_methods(["GET", "POST"])
@capability_required("opendata.manage")
def settings_update(request):
    """The licence, publisher and contact of the open data (administrators)."""
    current = opendata_settings()
    form = OpenDataSettingsForm(
        request.POST if request.method == "POST" else None, instance=current
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            opendata_settings_save(open_data_settings=form.save(commit=False), user=request.user)
            messages.success(request, _("The open data settings were saved."))
            return redirect("opendata:settings")
        status = 400
    return render(
        request,
        "opendata/settings_form.html",
        {"form": form, "current": current},
        status=status,
    )
