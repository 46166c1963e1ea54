"""Indicators fetched from Kolada, the open database of Swedish municipalities' key figures.

An indicator whose source is Kolada names a key figure (KPI, e.g. N01004) and a series (total,
women or men). Kolada's v2 API gives the KPI's yearly values for the municipality
(settings.KOLADA_MUNICIPALITY, 0484 for Eskilstuna); each year becomes a measurement dated the
last day of the year.

- `KoladaClient` reads the API with httpx: a timeout on every request, connection errors tried
  again by the transport, `next_page` followed up to MAX_PAGES, and the JSON checked strictly.
  Whatever goes wrong becomes a KoladaError whose `message` tells users why in plain words.
- `kolada_fetch_request` queues a fetch (a KoladaFetch row and a Celery task, once the request
  commits), at most one per indicator at a time; `kolada_fetch_execute` is the task's service;
  `kolada_fetch_indicator` does one fetch and `kolada_values_record` writes what it got.
- A value Kolada changed is updated (the measurement's history keeps the old one). A value
  recorded in the portal otherwise (by hand, from Excel, through the API) is never
  overwritten: when Kolada's differs, the fetch keeps it and reports both.

This machine may have no internet: a fetch then ends as "Kolada could not be reached", with
nothing changed, and the page says so.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from urllib.parse import urlsplit

import httpx
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from smeportal.accounts.roles import has_capability
from smeportal.core.charts import format_number
from smeportal.core.compiled import CompiledRead, columns, instance
from smeportal.core.dates import EARLIEST
from smeportal.core.queueing import enqueue_fail_fast

from .choices import IndicatorSource, KoladaFetchStatus, MeasurementSource
from .models import Indicator, KoladaFetch, Measurement
from .selectors_indicators import format_value
from .services import celebrate_if_target_reached

logger = logging.getLogger(__name__)

# Connection errors (refused, reset, a name that does not resolve) are tried again at once by
# the transport this many times; a Kolada that answers slowly or with a server error is tried
# again later by the task, after the pauses below.
CONNECT_RETRIES = 2
# Kolada gives a municipality's KPI on one page; a chain of pages longer than this is wrong.
MAX_PAGES = 10
MAX_RESPONSE_BYTES = 5 * 1024 * 1024
USER_AGENT = "Foretagsdialog (Eskilstuna kommun, SME-dialog portal)"

# The task (actionplan.tasks): its time limits, and the attempts at reaching Kolada with the
# pause before each next one (seconds). An unreachable Kolada ends the fetch after the last.
KOLADA_SOFT_TIME_LIMIT = 3 * 60
KOLADA_TIME_LIMIT = KOLADA_SOFT_TIME_LIMIT + 30
RETRY_DELAYS = (60, 5 * 60, 15 * 60)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A queued fetch no worker took within this time (waiting for its retries included), or a
# running one whose worker stopped, no longer blocks a new fetch: it is marked failed.
QUEUED_TIMEOUT = timedelta(hours=1)
RUNNING_TIMEOUT = timedelta(seconds=KOLADA_TIME_LIMIT) + timedelta(minutes=5)

KPI_PATTERN = re.compile(r"\A[A-Z][0-9]{5}\Z")
MUNICIPALITY_PATTERN = re.compile(r"\A[0-9]{4}\Z")
GENDERS = ("T", "K", "M")
PENDING = (KoladaFetchStatus.QUEUED, KoladaFetchStatus.RUNNING)
# Measurement.value: 12 digits, 2 of them decimals.
LARGEST_VALUE = Decimal("9999999999.99")


def retry_delay(retries: int) -> int:
    """The pause (seconds) before attempt `retries + 2`: after the first failure, 60."""
    return RETRY_DELAYS[min(max(retries, 0), len(RETRY_DELAYS) - 1)]


# --- Errors -------------------------------------------------------------------------------------


class KoladaError(Exception):
    """Kolada gave no usable answer. `message` says why, for users (no technical detail)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class KoladaUnreachable(KoladaError):
    """No answer, a timeout or a server error: worth trying again later."""

    def __init__(self, reason: str):
        super().__init__(
            _("Kolada could not be reached (%(reason)s). Nothing was changed; try again later.")
            % {"reason": reason}
        )
        self.reason = reason


class KoladaNotFound(KoladaError):
    """Kolada does not know the KPI."""

    def __init__(self, kpi: str):
        super().__init__(
            _("KPI %(kpi)s does not exist at Kolada. Check the KPI on the indicator.")
            % {"kpi": kpi}
        )


class KoladaMalformed(KoladaError):
    """An answer that is not the JSON Kolada's API documents."""

    def __init__(self, problem: str):
        super().__init__(
            _("Kolada's answer could not be read (%(problem)s). Nothing was changed.")
            % {"problem": problem}
        )


def _unexpected(where: str) -> KoladaMalformed:
    return KoladaMalformed(_("unexpected content at %(where)s") % {"where": where or "/"})


# --- The client ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KoladaValue:
    """One value of Kolada's: a year, a series (T, K or M) and the value (None: not published)."""

    year: int
    gender: str
    value: Decimal | None


def _refuse_constant(name: str):
    raise ValueError(name)  # NaN and Infinity are not JSON numbers


def _dict(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise _unexpected(where)
    return value


def _list(value, where: str) -> list:
    if not isinstance(value, list):
        raise _unexpected(where)
    return value


def _number(value, where: str) -> Decimal | None:
    """A value of Kolada's: null, or a finite number (JSON's numbers are read as Decimal)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise _unexpected(where)
    number = Decimal(value)
    if not number.is_finite():
        raise _unexpected(where)
    return number


class KoladaClient:
    """Kolada's v2 API, read with one httpx client; use it as a context manager."""

    def __init__(self, *, base_url: str | None = None, timeout: float | None = None):
        self.base_url = (base_url or settings.KOLADA_BASE_URL).rstrip("/")
        self.timeout = settings.KOLADA_TIMEOUT if timeout is None else timeout
        self._http = httpx.Client(
            timeout=httpx.Timeout(self.timeout),
            transport=httpx.HTTPTransport(retries=CONNECT_RETRIES),
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            follow_redirects=True,
            max_redirects=3,
        )

    def __enter__(self) -> KoladaClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _get(self, url: str, *, kpi: str):
        """The JSON at `url`, read with Decimal numbers; a KoladaError for anything else."""
        try:
            with self._http.stream("GET", url) as response:
                if response.status_code == 404:
                    raise KoladaNotFound(kpi)
                if response.status_code == 429 or response.status_code >= 500:
                    raise KoladaUnreachable(
                        _("Kolada answered with an error, HTTP %(status)s")
                        % {"status": response.status_code}
                    )
                if response.status_code != 200:
                    raise KoladaError(
                        _("Kolada refused the request (HTTP %(status)s). Nothing was changed.")
                        % {"status": response.status_code}
                    )
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_RESPONSE_BYTES:
                        raise KoladaMalformed(
                            _("it is larger than %(size)s MB")
                            % {"size": MAX_RESPONSE_BYTES // (1024 * 1024)}
                        )
        except httpx.TimeoutException:
            raise KoladaUnreachable(
                _("no answer within %(seconds)s seconds") % {"seconds": format_number(self.timeout)}
            ) from None
        except httpx.TransportError:
            raise KoladaUnreachable(_("no connection")) from None
        except httpx.InvalidURL:
            raise KoladaError(
                _("The address of Kolada's API in the settings (KOLADA_BASE_URL) is not valid.")
            ) from None
        try:
            return json.loads(bytes(body), parse_float=Decimal, parse_constant=_refuse_constant)
        except (ValueError, RecursionError):
            raise KoladaMalformed(_("it is not JSON")) from None

    def _same_site(self, url: str) -> bool:
        base, other = urlsplit(self.base_url), urlsplit(url)
        return (other.scheme, other.netloc) == (base.scheme, base.netloc)

    def kpi_title(self, kpi: str) -> str:
        """The KPI's title at Kolada; KoladaNotFound when Kolada does not know it."""
        _check_kpi(kpi)
        page = _dict(self._get(f"{self.base_url}/kpi/{kpi}", kpi=kpi), "")
        for index, entry in enumerate(_list(page.get("values"), "values")):
            entry = _dict(entry, f"values[{index}]")
            if entry.get("id") == kpi:
                title = entry.get("title")
                if not isinstance(title, str):
                    raise _unexpected(f"values[{index}].title")
                return title.strip()[:300]
        raise KoladaNotFound(kpi)

    def values(self, kpi: str, municipality: str) -> list[KoladaValue]:
        """Every yearly value of the KPI for the municipality, all series, page by page."""
        _check_kpi(kpi)
        if not MUNICIPALITY_PATTERN.match(municipality or ""):
            raise KoladaError(
                _("The municipality in the settings (KOLADA_MUNICIPALITY) is not four digits.")
            )
        url: str | None = f"{self.base_url}/data/kpi/{kpi}/municipality/{municipality}"
        found: list[KoladaValue] = []
        pages = 0
        while url:
            pages += 1
            if pages > MAX_PAGES:
                raise KoladaMalformed(_("more than %(count)s pages") % {"count": MAX_PAGES})
            page = _dict(self._get(url, kpi=kpi), "")
            found.extend(_page_values(page, kpi=kpi, municipality=municipality))
            url = page.get("next_page")
            if url is not None and not isinstance(url, str):
                raise _unexpected("next_page")
            if url and not self._same_site(url):
                raise KoladaMalformed(_("a link to another address"))
        return found


def _check_kpi(kpi: str) -> None:
    if not KPI_PATTERN.match(kpi or ""):
        raise KoladaError(
            _("The indicator's KPI is not a capital letter and five digits; correct it first.")
        )


def _page_values(page: dict, *, kpi: str, municipality: str) -> list[KoladaValue]:
    """The values of one page of /data/kpi/…/municipality/…, its shape checked strictly."""
    found = []
    for index, entry in enumerate(_list(page.get("values"), "values")):
        where = f"values[{index}]"
        entry = _dict(entry, where)
        if entry.get("kpi") != kpi:
            raise _unexpected(f"{where}.kpi")
        if entry.get("municipality") != municipality:
            raise _unexpected(f"{where}.municipality")
        year = entry.get("period")
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
            raise _unexpected(f"{where}.period")
        for number, item in enumerate(_list(entry.get("values"), f"{where}.values")):
            item_where = f"{where}.values[{number}]"
            item = _dict(item, item_where)
            gender = item.get("gender")
            if not isinstance(gender, str):
                raise _unexpected(f"{item_where}.gender")
            if "value" not in item:
                raise _unexpected(f"{item_where}.value")
            value = _number(item["value"], f"{item_where}.value")
            if value is not None and abs(value) > LARGEST_VALUE:
                raise _unexpected(f"{item_where}.value")
            if gender in GENDERS:
                found.append(KoladaValue(year=year, gender=gender, value=value))
    return found


def yearly_values(values: list[KoladaValue], gender: str) -> dict[int, Decimal | None]:
    """Year -> the series' value. One year given twice with different values is an error."""
    series: dict[int, Decimal | None] = {}
    for value in values:
        if value.gender != gender:
            continue
        if value.year in series and series[value.year] != value.value:
            raise KoladaMalformed(
                _("the year %(year)s has two different values") % {"year": value.year}
            )
        series[value.year] = value.value
    return series


# --- Writing what was fetched ------------------------------------------------------------------


def can_fetch_from_kolada(user, indicator: Indicator) -> bool:
    """Whoever may edit the indicator: editors of the plan, and its owner."""
    return has_capability(user, "actionplan.edit") or (
        indicator.owner_id is not None and indicator.owner_id == user.pk
    )


def is_fetched_from_kolada(indicator: Indicator) -> bool:
    return indicator.source == IndicatorSource.KOLADA and bool(indicator.kolada_kpi)


def _measured_on(year: int) -> date:
    return date(year, 12, 31)


def _two_decimals(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def kolada_values_record(
    *,
    indicator: Indicator,
    fetch: KoladaFetch,
    values: dict[int, Decimal | None],
    kpi_title: str = "",
    now: datetime | None = None,
) -> KoladaFetch:
    """Record a fetch's yearly values as the indicator's measurements, in one transaction.

    A year is dated its last day; a year not over yet, or not published (null), or before the
    portal's earliest date is skipped. A new value is added (source Kolada, with the fetch
    time); a value Kolada gave before and has changed is updated, its history keeping the old
    one; one recorded otherwise (by hand, from Excel, through the API) is kept, and when
    Kolada's differs both are listed on the fetch as a conflict. Reaching the target is
    celebrated as for a value entered by hand. The fetch ends "ok" with its counts.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    incoming: dict[date, Decimal] = {}
    for year, value in values.items():
        on = _measured_on(year)
        if value is None or on > today or on < EARLIEST:
            continue
        incoming[on] = _two_decimals(value)
    added = updated = unchanged = 0
    conflicts: list[dict[str, str]] = []
    try:
        with transaction.atomic():
            existing = {
                measurement.date: measurement
                for measurement in Measurement.objects.filter(
                    indicator=indicator, date__in=list(incoming)
                )
            }
            for on, value in sorted(incoming.items()):
                measurement = existing.get(on)
                if measurement is None:
                    measurement = Measurement(
                        indicator=indicator,
                        value=value,
                        date=on,
                        source=MeasurementSource.KOLADA,
                        fetched_at=now,
                    )
                    measurement.full_clean()
                    measurement.save()
                    added += 1
                elif measurement.value == value:
                    unchanged += 1
                elif measurement.source == MeasurementSource.KOLADA:
                    measurement.value = value
                    measurement.fetched_at = now
                    measurement.full_clean()
                    measurement.save()
                    updated += 1
                else:
                    conflicts.append(
                        {
                            "date": on.isoformat(),
                            "kolada": str(value),
                            "kept": str(measurement.value),
                            "source": measurement.source,
                        }
                    )
            fetch.status = KoladaFetchStatus.OK
            fetch.finished_at = timezone.now()
            fetch.message = ""
            fetch.kpi_title = kpi_title[:300]
            fetch.added, fetch.updated, fetch.unchanged = added, updated, unchanged
            fetch.kept_by_hand = len(conflicts)
            fetch.conflicts = conflicts
            fetch.save()
            celebrate_if_target_reached(indicator)
    except IntegrityError:
        # A measurement recorded by hand on one of the dates meanwhile: nothing was written.
        raise KoladaError(
            _("A measurement was recorded meanwhile; nothing was changed. Fetch again.")
        ) from None
    return fetch


def kolada_fetch_indicator(
    *, indicator: Indicator, fetch: KoladaFetch, client: KoladaClient | None = None
) -> KoladaFetch:
    """Fetch the indicator's values from Kolada and record them (kolada_values_record).

    Raises a KoladaError, with nothing written, when Kolada cannot be reached or its answer
    cannot be used.
    """
    if not is_fetched_from_kolada(indicator):
        raise KoladaError(_("The indicator is not fetched from Kolada: check its source and KPI."))
    kolada = client or KoladaClient()
    try:
        title = kolada.kpi_title(indicator.kolada_kpi)
        values = kolada.values(indicator.kolada_kpi, settings.KOLADA_MUNICIPALITY)
    finally:
        if client is None:
            kolada.close()
    return kolada_values_record(
        indicator=indicator,
        fetch=fetch,
        values=yearly_values(values, indicator.kolada_gender),
        kpi_title=title,
    )


# --- Queueing and running fetches -------------------------------------------------------------


def _enqueue(fetch_id: int) -> None:
    from .tasks import fetch_kolada_indicator

    if not enqueue_fail_fast(fetch_kolada_indicator, args=[fetch_id]):
        with translation.override(settings.LANGUAGE_CODE):
            KoladaFetch.objects.filter(pk=fetch_id, status=KoladaFetchStatus.QUEUED).update(
                status=KoladaFetchStatus.FAILED,
                finished_at=timezone.now(),
                message=_(
                    "The fetch could not be started because the job queue (Redis) cannot be "
                    "reached. Nothing was changed; try again in a while."
                ),
            )


def _fail_stale_fetches(indicator: Indicator, *, now: datetime) -> None:
    """A fetch no worker took, or whose worker stopped, says so and stops blocking new ones."""
    stale = KoladaFetch.objects.filter(indicator=indicator).filter(
        Q(status=KoladaFetchStatus.QUEUED, requested_at__lt=now - QUEUED_TIMEOUT)
        | Q(status=KoladaFetchStatus.RUNNING, started_at__lt=now - RUNNING_TIMEOUT)
    )
    with translation.override(settings.LANGUAGE_CODE):
        stale.update(
            status=KoladaFetchStatus.FAILED,
            finished_at=now,
            message=_(
                "The fetch stopped without finishing (no worker took it, or its worker "
                "stopped). Nothing was changed."
            ),
        )


@transaction.atomic
def kolada_fetch_request(*, indicator: Indicator, user=None) -> tuple[KoladaFetch, bool]:
    """Queue a fetch of the indicator's values; a worker runs it once this commits.

    While a fetch of the indicator is queued or running no other is queued: that one is
    returned with False.
    """
    if not is_fetched_from_kolada(indicator):
        raise ValidationError(
            _("Only an indicator with Kolada as its source and a KPI is fetched from Kolada.")
        )
    _fail_stale_fetches(indicator, now=timezone.now())
    pending = KoladaFetch.objects.filter(indicator=indicator, status__in=PENDING).first()
    if pending is not None:
        return pending, False
    try:
        with transaction.atomic():
            fetch = KoladaFetch.objects.create(indicator=indicator, requested_by=user)
    except IntegrityError:  # a parallel request queued one first
        pending = KoladaFetch.objects.filter(indicator=indicator, status__in=PENDING).first()
        if pending is not None:
            return pending, False
        raise
    transaction.on_commit(lambda: _enqueue(fetch.pk))
    return fetch, True


def kolada_fetch_all() -> int:
    """Queue a fetch of every indicator fetched from Kolada (the monthly job); how many."""
    queued = 0
    indicators = Indicator.objects.filter(source=IndicatorSource.KOLADA).exclude(kolada_kpi="")
    for indicator in indicators.order_by("pk"):
        _fetch, created = kolada_fetch_request(indicator=indicator)
        queued += created
    return queued


def _finish(fetch: KoladaFetch, status: str, message: str) -> None:
    fetch.status = status
    fetch.message = message[:500]
    fetch.finished_at = timezone.now()
    fetch.save(update_fields=["status", "message", "finished_at"])


def kolada_fetch_execute(*, fetch_id: int, final_attempt: bool = True) -> KoladaFetch | None:
    """Run a queued fetch: the task's one service.

    Safe to run twice: only a queued fetch (or a running one whose worker stopped) is run, and
    fetching the same values again changes nothing. When Kolada cannot be reached and this is
    not the final attempt, the fetch is queued again (the task retries it later); otherwise it
    ends "unreachable". Any other failure ends it "failed". Either way the message says why,
    in Swedish, on the indicator's page, and nothing was written.
    """
    now = timezone.now()
    with transaction.atomic():
        fetch = (
            KoladaFetch.objects.select_for_update()
            .select_related("indicator")
            .filter(pk=fetch_id)
            .first()
        )
        if fetch is None:
            return None
        worker_stopped = (
            fetch.status == KoladaFetchStatus.RUNNING
            and fetch.started_at is not None
            and fetch.started_at < now - RUNNING_TIMEOUT
        )
        if fetch.status != KoladaFetchStatus.QUEUED and not worker_stopped:
            return fetch
        fetch.status = KoladaFetchStatus.RUNNING
        fetch.started_at = now
        fetch.attempts += 1
        fetch.save(update_fields=["status", "started_at", "attempts"])
    # What the fetch records is stored text, read on the page in Swedish whoever started it.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            kolada_fetch_indicator(indicator=fetch.indicator, fetch=fetch)
        except KoladaUnreachable as error:
            if final_attempt:
                _finish(fetch, KoladaFetchStatus.UNREACHABLE, error.message)
            else:
                fetch.status = KoladaFetchStatus.QUEUED
                fetch.message = _(
                    "Kolada could not be reached (%(reason)s); attempt %(attempt)s of "
                    "%(attempts)s. The next attempt follows in a while."
                ) % {"reason": error.reason, "attempt": fetch.attempts, "attempts": MAX_ATTEMPTS}
                fetch.save(update_fields=["status", "message"])
        except KoladaError as error:
            _finish(fetch, KoladaFetchStatus.FAILED, error.message)
        except SoftTimeLimitExceeded:
            _finish(
                fetch,
                KoladaFetchStatus.FAILED,
                _("The fetch took too long and was stopped. Nothing was changed."),
            )
        except Exception as error:  # the worker must record any failure where users see it
            logger.exception("Kolada fetch %s failed", fetch_id)
            _finish(
                fetch,
                KoladaFetchStatus.FAILED,
                _("The fetch failed with an unexpected error (%(error)s). Nothing was changed.")
                % {"error": type(error).__name__},
            )
    return fetch


# --- What the indicator's page says ------------------------------------------------------------


@dataclass(frozen=True)
class KoladaConflict:
    """A value Kolada gave that differs from the one kept in the portal."""

    on: date
    kolada: str
    kept: str
    source: str  # the kept value's source, as the page names it


@dataclass(frozen=True)
class KoladaPanel:
    """The indicator page's account of fetching from Kolada."""

    latest: KoladaFetch | None
    latest_text: str
    last_ok_text: str = ""  # when the latest fetch did not succeed: the last that did
    conflicts: tuple[KoladaConflict, ...] = ()
    kpi_title: str = ""

    @property
    def is_pending(self) -> bool:
        return self.latest is not None and self.latest.is_pending


def _when(moment: datetime | None) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def _conflicts(indicator: Indicator, fetch: KoladaFetch) -> tuple[KoladaConflict, ...]:
    labels = dict(MeasurementSource.choices)
    found = []
    for conflict in fetch.conflicts or []:
        try:
            on = date.fromisoformat(conflict["date"])
            kolada, kept = Decimal(conflict["kolada"]), Decimal(conflict["kept"])
        except (KeyError, TypeError, ValueError, InvalidOperation):
            continue
        found.append(
            KoladaConflict(
                on=on,
                kolada=format_value(indicator, kolada),
                kept=format_value(indicator, kept),
                source=str(labels.get(conflict.get("source"), "")),
            )
        )
    return tuple(sorted(found, key=lambda conflict: conflict.on))


def kolada_fetch_summary(indicator: Indicator, fetch: KoladaFetch) -> str:
    """One sentence on a fetch, in the reader's language: "Last fetched from Kolada 1 December
    2026 14:05: 2 new values, 1 value entered by hand was kept (Kolada: 12.3; entered: 12.0)."
    """
    status = fetch.status
    if status == KoladaFetchStatus.QUEUED:
        text = _("A fetch from Kolada is queued (requested %(when)s).") % {
            "when": _when(fetch.requested_at)
        }
        return f"{text} {fetch.message}" if fetch.message else text
    if status == KoladaFetchStatus.RUNNING:
        return _("Fetching from Kolada now (started %(when)s).") % {"when": _when(fetch.started_at)}
    if status != KoladaFetchStatus.OK:
        return _("The fetch from Kolada %(when)s did not succeed: %(message)s") % {
            "when": _when(fetch.finished_at or fetch.requested_at),
            "message": fetch.message,
        }
    parts = []
    if fetch.added:
        parts.append(
            ngettext("%(count)s new value", "%(count)s new values", fetch.added)
            % {"count": fetch.added}
        )
    if fetch.updated:
        parts.append(
            ngettext("%(count)s value changed", "%(count)s values changed", fetch.updated)
            % {"count": fetch.updated}
        )
    if fetch.unchanged:
        parts.append(
            ngettext("%(count)s value unchanged", "%(count)s values unchanged", fetch.unchanged)
            % {"count": fetch.unchanged}
        )
    if fetch.kept_by_hand:
        kept = ngettext(
            "%(count)s value entered by hand was kept",
            "%(count)s values entered by hand were kept",
            fetch.kept_by_hand,
        ) % {"count": fetch.kept_by_hand}
        conflicts = _conflicts(indicator, fetch)
        if len(conflicts) == 1:
            kept += " " + _("(Kolada: %(kolada)s; entered: %(kept)s)") % {
                "kolada": conflicts[0].kolada,
                "kept": conflicts[0].kept,
            }
        parts.append(kept)
    if not parts:
        parts.append(_("Kolada has no values for the municipality yet"))
    return _("Last fetched from Kolada %(when)s: %(outcome)s.") % {
        "when": _when(fetch.finished_at),
        "outcome": ", ".join(parts),
    }


_FETCH = columns(KoladaFetch)
# An indicator's latest fetch, and its latest that succeeded (compiled once: the page's).
_LATEST_FETCH = CompiledRead(
    lambda pk: (
        KoladaFetch.objects.filter(indicator_id=pk)
        .order_by("-requested_at", "-pk")
        .values_list(*_FETCH)[:1]
    )
)
_LAST_OK_FETCH = CompiledRead(
    lambda pk: (
        KoladaFetch.objects.filter(indicator_id=pk, status=KoladaFetchStatus.OK)
        .order_by("-requested_at", "-pk")
        .values_list(*_FETCH)[:1]
    )
)


def _fetches(read: CompiledRead, indicator_id: int) -> list[KoladaFetch]:
    return [instance(KoladaFetch, _FETCH, row) for row in read.rows(indicator_id)]


def kolada_panel(indicator: Indicator) -> KoladaPanel | None:
    """What the page tells of fetching the indicator from Kolada (None when it is not):
    the latest fetch and, when that one did not succeed, the last that did (two queries)."""
    if indicator.source != IndicatorSource.KOLADA:
        return None
    latest = next(iter(_fetches(_LATEST_FETCH, indicator.pk)), None)
    if latest is None:
        return KoladaPanel(latest=None, latest_text=_("Nothing has been fetched from Kolada yet."))
    last_ok = latest
    if latest.status != KoladaFetchStatus.OK:
        last_ok = next(iter(_fetches(_LAST_OK_FETCH, indicator.pk)), None)
    return KoladaPanel(
        latest=latest,
        latest_text=kolada_fetch_summary(indicator, latest),
        last_ok_text=kolada_fetch_summary(indicator, last_ok)
        if last_ok is not None and last_ok is not latest
        else "",
        conflicts=_conflicts(indicator, last_ok) if last_ok is not None else (),
        kpi_title=(last_ok or latest).kpi_title,
    )
