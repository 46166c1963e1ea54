"""The companies behind an entry of "Att fira", in words (the Jinja2 rows of celebration_list.html).

In Python because its texts have plurals, which a Jinja2 template cannot take from the
portal's message catalogue.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from ..selectors_indicators import CompanySupport


def celebration_support(support: CompanySupport, show_companies: bool) -> SafeString:
    if not support.company_count:
        return format_html("{}", gettext("No interview findings are linked to it yet."))
    parts = [
        format_html(
            "{}",
            ngettext(
                "Input from %(counter)s company",
                "Input from %(counter)s companies",
                support.company_count,
            )
            % {"counter": support.company_count},
        )
    ]
    if support.industries:
        parts.append(
            format_html(
                "<br>{} {}",
                gettext("Industries:"),
                ", ".join(f"{label} ({count})" for label, count in support.industries),
            )
        )
    if show_companies and support.company_names:
        more = ""
        if support.more_company_names:
            more = " " + ngettext(
                "and %(counter)s more company",
                "and %(counter)s more companies",
                support.more_company_names,
            ) % {"counter": support.more_company_names}
        parts.append(
            format_html(
                "<br>{} {}{}", gettext("Companies:"), ", ".join(support.company_names), more
            )
        )
    if show_companies and support.personal_data_count:
        parts.append(
            format_html(
                '<br><span class="text-body-secondary">{}</span>',
                ngettext(
                    "and %(counter)s sole trader, not named (personal data)",
                    "and %(counter)s sole traders, not named (personal data)",
                    support.personal_data_count,
                )
                % {"counter": support.personal_data_count},
            )
        )
    return format_html_join("\n", "{}", ((part,) for part in parts))
