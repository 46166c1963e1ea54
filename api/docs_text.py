"""What the OpenAPI document and the documentation page say about each endpoint, in the
reader's language (the document is generated per language: views/docs.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view


def public_list(summary, description):
    return extend_schema(summary=summary, description=description)


def staff_collection(plural_summary, single_summary, description, **more):
    return extend_schema_view(
        list=extend_schema(summary=plural_summary, description=description),
        retrieve=extend_schema(summary=single_summary, description=description),
        **more,
    )


PUBLIC = {
    "areas": public_list(
        _("The priority areas"),
        _(
            "The active priority areas with the latest summary's figures of each: interviews, companies that raised the area, and challenges, ideas and strengths (aggregates only)."
        ),
    ),
    "proposals": public_list(
        _("Published proposals"),
        _(
            "Proposals from the workshops that the municipality published: who acts, the status, the votes and the published activities that realise them. Filters: area, status, actor; ordering: votes, title, id."
        ),
    ),
    "activities": public_list(
        _("Published activities"),
        _(
            "Activities of the action plan that the municipality published, with their progress, areas and the proposals they realise. Filters: status, area; ordering: due_date, title, id."
        ),
    ),
    "goals": public_list(
        _("Published goals"),
        _(
            "The shared goals that the municipality published, with the indicators that measure them. Filter: area."
        ),
    ),
    "indicators": public_list(
        _("Indicators of the published goals"),
        _(
            "Baseline, target, every measurement, and the status and progress the portal derives from them today."
        ),
    ),
    "celebrations": public_list(
        _("Published celebrations"),
        _("What the plan reached and the municipality celebrated, newest first."),
    ),
}

STAFF = {
    "interviews": staff_collection(
        _("Interviews"),
        _("An interview"),
        _(
            "Interviews with their company and interviewers; the contact persons interviewed only for roles that may see contacts. Filters as on the interview list (q searches notes, findings, quotes and company names). For business developers and administrators."
        ),
    ),
    "findings": staff_collection(
        _("Findings"),
        _("A finding"),
        _(
            "Findings coded against the priority areas. Confidential findings only for business developers and administrators; quotes as the caller's role may read them. Filters: area, type, interview."
        ),
    ),
    "followups": staff_collection(
        _("Follow-ups"),
        _("A follow-up"),
        _(
            "Follow-ups of the interviews. Filters: status, flag, owner, due_before. For business developers and administrators."
        ),
    ),
    "workshops": staff_collection(
        _("Workshops"),
        _("A workshop"),
        _("Workshops with their groups. Filters: status, date_from, date_to."),
    ),
    "proposals": staff_collection(
        _("Proposals"),
        _("A proposal"),
        _(
            "Every proposal of the workshops, published or not; the findings behind it only for roles that read findings. Filters: area, status, actor, workshop."
        ),
    ),
    "plans": staff_collection(_("Action plans"), _("An action plan"), _("The action plans.")),
    "goals": staff_collection(
        _("Goals"), _("A goal"), _("The plan's shared goals with their indicators. Filter: area.")
    ),
    "activities": staff_collection(
        _("Activities"),
        _("An activity"),
        _(
            "The plan's activities with their progress; the owners only for roles that edit the plan. Filters: status, area."
        ),
    ),
    "indicators": staff_collection(_("Indicators"), _("An indicator"), _("The plan's indicators.")),
    "measurements": staff_collection(
        _("Measurements"),
        _("A measurement"),
        _("Measurements of the indicators. Filters: indicator, date_from."),
        create=extend_schema(
            summary=_("Report a measurement"),
            description=_(
                "Another system reports an indicator's value (JSON or a form post). Allowed to those who may add a measurement on the indicator's page (editors of the plan, the indicator's owner, contacts of its activities) with a token of a staff role. One value per indicator and date."
            ),
        ),
    ),
}
