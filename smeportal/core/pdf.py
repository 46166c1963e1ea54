"""HTML to a tagged PDF (WeasyPrint, with Debian's Pango): the report's PDF and the letters'.

PDF/UA-1 makes WeasyPrint tag the document and write PDF 1.7 with UA metadata; the language
and title come from the HTML's `lang` and `<title>`. The stylesheet is a template of its own,
as the portal's templates carry no <style> (tests/security/test_csp.py). Nothing is fetched:
no protocol is allowed, so a text in the data can never make the server request an address.
"""

from __future__ import annotations

from typing import BinaryIO

from django.template.loader import render_to_string

PDF_VARIANT = "pdf/ua-1"
# For documents that are kept as public records and delivered to the e-archive: PDF/A-2a, which
# is archival (fonts embedded, nothing fetched) and tagged as well.
ARCHIVAL_PDF_VARIANT = "pdf/a-2a"


def html_to_pdf(
    html: str, *, stylesheet: str, target: BinaryIO | None = None, variant: str = PDF_VARIANT
) -> bytes | None:
    """Write `html`, styled by the template `stylesheet`, to `target`; without one, return it.

    `variant` is WeasyPrint's PDF variant: PDF/UA-1 for reading, PDF/A for the e-archive.
    """
    # WeasyPrint loads Pango through cffi: imported here, so only what draws a PDF pays for it.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    refuse_all = URLFetcher(allowed_protocols=())
    css = CSS(string=render_to_string(stylesheet), url_fetcher=refuse_all)
    return HTML(string=html, url_fetcher=refuse_all).write_pdf(
        target, stylesheets=[css], pdf_variant=variant
    )
