"""{% rows %}: table rows drawn by Jinja2 with the portal's environment, and get_FOO_display."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template, engines
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from interviews.models import Company
from smeportal.core.jinja2_environment import pk_url, ymd


def _rows(source: str, **context) -> str:
    template = engines["rows"].from_string(source)
    return template.template.render(context)


def test_values_stay_text():
    hostile = '<img src=x onerror=alert(1)> & "quotes"'
    html = _rows(
        "<td>{{ name }}</td><td>{{ names|join(', ') }}</td>", name=hostile, names=[hostile]
    )
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &#34;quotes&#34;" in html


def test_numbers_and_dates_as_swedish_templates_show_them():
    with translation.override("sv"):
        html = _rows(
            "{{ share }}|{{ day|ymd }}|{{ missing|ymd or '–' }}",
            share=Decimal("3.5"),
            day=datetime.date(2026, 1, 2),
            missing=None,
        )
    assert html == "3,5|2026-01-02|–"


@pytest.mark.parametrize("grouped", [False, True])
def test_integers_as_django_templates_show_them_grouped_or_not(grouped):
    values = [0, 7, -42, 1879, 2_147_483_647, True]
    with translation.override("sv"), override_settings(USE_THOUSAND_SEPARATOR=grouped):
        django_shown = Template("{% for v in values %}{{ v }}|{% endfor %}").render(
            Context({"values": values})
        )
        assert _rows("{% for v in values %}{{ v }}|{% endfor %}", values=values) == django_shown
    assert ("1\xa0879" in django_shown) is grouped


def test_a_time_is_shown_on_its_swedish_day():
    late_evening_utc = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert ymd(late_evening_utc) == "2026-07-01"


def test_pk_url_is_reverse():
    assert pk_url("interviews:company_detail", 42) == reverse(
        "interviews:company_detail", args=[42]
    )
    assert pk_url("interviews:company_detail", 7) == reverse("interviews:company_detail", args=[7])


def test_strings_are_translated_in_the_active_language():
    source = '{{ _("No companies match.") }}'
    with translation.override("sv"):
        assert _rows(source) == "Inga företag matchar."
    with translation.override("en"):
        assert _rows(source) == "No companies match."


def test_the_tag_renders_the_rows_template_with_the_page_context():
    template = Template(
        '{% load rows %}<table>{% rows "interviews/company_list_rows.html" %}</table>'
    )
    with translation.override("sv"):
        empty = template.render(Context({"page_obj": []}))
        one = template.render(
            Context({"page_obj": [Company(pk=5, name="<b>Åkeri</b> AB", industry="C")]})
        )
    assert '<td colspan="6">Inga företag matchar.</td>' in empty
    assert (
        f'<a href="{reverse("interviews:company_detail", args=[5])}">&lt;b&gt;Åkeri&lt;/b&gt; AB</a>'
        in one
    )
    assert "<td>C – Tillverkning</td>" in one


def test_get_display_in_each_language_and_for_an_unknown_value():
    company = Company(industry="C")
    with translation.override("sv"):
        assert company.get_industry_display() == "C – Tillverkning"
    with translation.override("en"):
        assert company.get_industry_display() == "C – Manufacturing"
    company.industry = "no such code"
    assert company.get_industry_display() == "no such code"


def test_a_translated_text_with_markup_escapes_only_its_values():
    with translation.override("sv"):
        html = _rows(
            """{{ _('Create activity<span class="visually-hidden"> from “%(title)s”</span>')|fill(title=title) }}""",
            title="<script>x</script>",
        )
    assert html == (
        'Skapa aktivitet<span class="visually-hidden"> från ”&lt;script&gt;x&lt;/script&gt;”</span>'
    )


def test_a_plain_translated_text_is_escaped_like_any_value():
    assert _rows("""{{ _("a < b") }}""") == "a &lt; b"


def test_line_breaks_of_a_text_kept_and_the_text_escaped():
    assert _rows("{{ text|linebreaksbr }}", text="<b>a</b>\nb") == "&lt;b&gt;a&lt;/b&gt;<br>b"
