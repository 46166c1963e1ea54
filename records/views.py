"""Requests for public documents: the list, registering one, its page, the secrecy review of
each covered item, the release, the decision and the kept files. Every page needs
`records.handle`; the secrecy grounds are edited by administrators (`records.grounds`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smeportal.accounts.permissions import capability_required
from smeportal.accounts.roles import has_capability
from smeportal.core.pagination import CountedPaginator

from .content import Review, item_sections, item_units, redact_sections
from .forms import (
    CoveredItemForm,
    DecisionForm,
    LiftForm,
    MaskForm,
    RecordRequestForm,
    ReleaseForm,
    RequestFilterForm,
    SecrecyGroundForm,
    WithdrawForm,
    read_choices_together,
)
from .models import CoveredItem, Mask, RecordRequest, ReleasedDocument, SecrecyGround
from .selectors import (
    item_review_log,
    items_for_review,
    request_documents,
    request_items,
    request_list,
    request_review_log,
    requests_for_page,
)
from .services import (
    covered_item_add,
    covered_item_remove,
    mask_add,
    mask_lift,
    mask_remove,
    record_request_create,
    request_decide,
    request_release,
    request_withdraw,
    secrecy_ground_save,
)

PAGE_SIZE = 30
# Records (interviews, findings, proposals, ...) on one page of an item's review.
REVIEW_PAGE_SIZE = 10
# The review page has two forms with a field and a reason: the second's are prefixed.
LIFT_PREFIX = "lift"
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal shown on the form, by its field where the form has that field."""
    if hasattr(error, "error_dict"):
        for name, field_messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_messages)
    else:
        form.add_error(None, _messages_of(error))


@require_GET
@capability_required("records.handle")
def request_list_view(request):
    form = RequestFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "status": data["status"],
            "handler_id": data["handler"].pk if data["handler"] else None,
            "overdue": data["overdue"],
        }
    requests = request_list(**filters, today=timezone.localdate())
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "records/request_list.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query.urlencode(),
            "today": timezone.localdate(),
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


@require_http_methods(["GET", "POST"])
@capability_required("records.handle")
def request_create(request):
    form = RecordRequestForm(
        request.POST if request.method == "POST" else None,
        initial={"received_on": timezone.localdate(), "handler": request.user.pk},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                record_request = record_request_create(**form.cleaned_data, user=request.user)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The request was registered as %(number)s.")
                    % {"number": record_request.number},
                )
                return redirect("records:request_detail", pk=record_request.pk)
        status = 400
    return render(request, "records/request_form.html", {"form": form}, status=status)


def _request_page(request, record_request: RecordRequest, status=200, **forms):
    items = list(request_items(record_request))
    item_form = forms.get("item_form") or CoveredItemForm()
    decision_form = forms.get("decision_form") or DecisionForm()
    if record_request.is_open:  # the page shows the two forms
        read_choices_together(item_form, decision_form)
    return render(
        request,
        "records/request_detail.html",
        {
            "record_request": record_request,
            "items": items,
            "documents": request_documents(record_request) if record_request.has_documents else [],
            "review_log": (
                request_review_log(record_request) if record_request.has_review_decisions else []
            ),
            "item_form": item_form,
            "release_form": forms.get("release_form") or ReleaseForm(),
            "decision_form": decision_form,
            "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
            "is_overdue": record_request.is_overdue(timezone.localdate()),
            # The form that was refused: its errors are summed up at the top of the page.
            "error_form": next(iter(forms.values()), None),
        },
        status=status,
    )


def _get_request(pk: int) -> RecordRequest:
    """The request as its page shows it (records.selectors.requests_for_page)."""
    return get_object_or_404(requests_for_page(), pk=pk)


@require_GET
@capability_required("records.handle")
def request_detail(request, pk: int):
    return _request_page(request, _get_request(pk))


def _item_label(kind: str, data: dict) -> tuple[int, str]:
    """The chosen record's id and how the request's page and files name the item."""
    kinds = CoveredItem.Kind
    if kind == kinds.INTERVIEW:
        interview = data["interview"]
        return interview.pk, _("Interview with %(company)s on %(date)s") % {
            "company": data["company"].name,
            "date": f"{interview.date:%Y-%m-%d}",
        }
    if kind == kinds.COMPANY_INTERVIEWS:
        return data["company"].pk, _("All interviews with %(company)s") % {
            "company": data["company"].name
        }
    if kind == kinds.FINDINGS:
        period = " – ".join(
            f"{day:%Y-%m-%d}" for day in (data["date_from"], data["date_to"]) if day
        )
        return data["area"].pk, _("Findings in %(area)s, %(period)s") % {
            "area": data["area"],
            "period": period or _("all dates"),
        }
    if kind == kinds.WORKSHOP:
        return data["workshop"].pk, _("The proposals of the workshop %(title)s") % {
            "title": data["workshop"].title
        }
    if kind == kinds.ACTION_PLAN:
        return data["plan"].pk, _("The action plan %(title)s") % {"title": data["plan"].title}
    report = data["report"]
    return report.pk, _("Summary report no. %(number)s") % {"number": report.pk}


@require_POST
@capability_required("records.handle")
def item_add(request, pk: int):
    record_request = _get_request(pk)
    form = CoveredItemForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        target_id, label = _item_label(data["kind"], data)
        findings = data["kind"] == CoveredItem.Kind.FINDINGS
        try:
            covered_item_add(
                record_request=record_request,
                kind=data["kind"],
                target_id=target_id,
                label=label,
                user=request.user,
                date_from=data["date_from"] if findings else None,
                date_to=data["date_to"] if findings else None,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Added: %(label)s.") % {"label": label})
            return redirect("records:request_detail", pk=record_request.pk)
    return _request_page(request, record_request, status=400, item_form=form)


def _get_item(pk: int) -> CoveredItem:
    return get_object_or_404(items_for_review(), pk=pk)


def _units_page(item: CoveredItem, page_number) -> Page:
    """A page of the item's units. The first page, when it is not full, holds them all: its
    units are then their count, which is not asked of the database."""
    units = item_units(item)
    try:
        first = int(page_number or 1) == 1
    except (TypeError, ValueError):
        first = True  # Paginator.get_page shows the first page for a page that is no number
    if not first:
        return Paginator(units, REVIEW_PAGE_SIZE).get_page(page_number)
    rows = list(units[:REVIEW_PAGE_SIZE])
    known = len(rows) if len(rows) < REVIEW_PAGE_SIZE else None
    return Page(rows, 1, CountedPaginator(units, REVIEW_PAGE_SIZE, count=known))


def _review_page(request, item: CoveredItem, page_number, status=200, **forms):
    page = _units_page(item, page_number)
    sections = item_sections(item, page.object_list)
    # An item without review decisions (the defaults only) has no log to read.
    log = item_review_log(item) if getattr(item, "has_review_decisions", True) else []
    review = Review.of_masks(log)
    pairs = [(section.title, field) for section in sections for field in section.fields]
    mask_form = forms.get("mask_form") or MaskForm(fields=pairs)
    if item.request.is_open:  # the page shows the form
        read_choices_together(mask_form)
    return render(
        request,
        "records/item_review.html",
        {
            "item": item,
            "record_request": item.request,
            "page_obj": page,
            "sections": redact_sections(sections, review),
            "defaults": [
                {"title": title, "field": field, "lifted": review.lifted.get(field.key)}
                for title, field in pairs
                if field.default_ground and field.text
            ],
            "mask_form": mask_form,
            "lift_form": forms.get("lift_form")
            or LiftForm(
                fields=[(t, f) for t, f in pairs if f.default_ground and f.text],
                prefix=LIFT_PREFIX,
            ),
            "log": log,
            "error_form": next(iter(forms.values()), None),
        },
        status=status,
    )


def _page_pairs(item: CoveredItem, page_number):
    page = _units_page(item, page_number)
    return page.number, [
        (section.title, field)
        for section in item_sections(item, page.object_list)
        for field in section.fields
    ]


@require_GET
@capability_required("records.handle")
def item_review(request, pk: int):
    return _review_page(request, _get_item(pk), request.GET.get("page"))


def _back_to_review(item: CoveredItem, page_number: int):
    return redirect(f"{reverse('records:item_review', args=[item.pk])}?page={page_number}")


@require_POST
@capability_required("records.handle")
def mask_create(request, pk: int):
    item = _get_item(pk)
    page_number, pairs = _page_pairs(item, request.POST.get("page"))
    form = MaskForm(request.POST, fields=pairs)
    if form.is_valid():
        data = form.cleaned_data
        try:
            mask_add(
                item=item,
                field=data["field"],
                passage=data["passage"],
                ground=data["ground"],
                reason=data["reason"],
                user=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The passage is masked."))
            return _back_to_review(item, page_number)
    return _review_page(request, item, page_number, status=400, mask_form=form)


@require_POST
@capability_required("records.handle")
def mask_lift_view(request, pk: int):
    item = _get_item(pk)
    page_number, pairs = _page_pairs(item, request.POST.get("page"))
    form = LiftForm(
        request.POST,
        fields=[(t, f) for t, f in pairs if f.default_ground and f.text],
        prefix=LIFT_PREFIX,
    )
    if form.is_valid():
        try:
            mask_lift(
                item=item,
                field=form.cleaned_data["field"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The default mask is lifted."))
            return _back_to_review(item, page_number)
    return _review_page(request, item, page_number, status=400, lift_form=form)


@require_POST
@capability_required("records.handle")
def mask_delete(request, pk: int):
    mask = get_object_or_404(Mask.objects.select_related("item__request"), pk=pk)
    try:
        mask_remove(mask=mask)
    except ValidationError as error:
        messages.error(request, " ".join(_messages_of(error)))
        return _review_page(request, mask.item, 1, status=409)
    messages.success(request, _("The review decision was undone."))
    return _back_to_review(mask.item, 1)


@require_POST
@capability_required("records.handle")
def item_remove(request, pk: int):
    item = _get_item(pk)
    try:
        covered_item_remove(item=item)
    except ValidationError as error:
        messages.error(request, " ".join(_messages_of(error)))
        return _request_page(request, _get_request(item.request_id), status=409)
    messages.success(request, _("Removed: %(label)s.") % {"label": item.label})
    return redirect("records:request_detail", pk=item.request_id)


@require_POST
@capability_required("records.handle")
def request_release_view(request, pk: int):
    record_request = _get_request(pk)
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            request_release(
                record_request=record_request,
                user=request.user,
                with_workbook=form.cleaned_data["with_workbook"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The documents are being produced; they are listed below when ready.")
            )
            return redirect("records:request_detail", pk=record_request.pk)
    return _request_page(request, record_request, status=400, release_form=form)


@require_POST
@capability_required("records.handle")
def request_decide_view(request, pk: int):
    record_request = _get_request(pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            request_decide(
                record_request=record_request,
                outcome=form.cleaned_data["outcome"],
                grounds=list(form.cleaned_data["grounds"]),
                reasoning=form.cleaned_data["reasoning"],
                user=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("records:request_detail", pk=record_request.pk)
    return _request_page(request, record_request, status=400, decision_form=form)


@require_POST
@capability_required("records.handle")
def request_withdraw_view(request, pk: int):
    record_request = _get_request(pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            request_withdraw(record_request=record_request)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The request is recorded as withdrawn."))
            return redirect("records:request_detail", pk=record_request.pk)
    return _request_page(request, record_request, status=400, withdraw_form=form)


@require_GET
@capability_required("records.handle")
def document_download(request, pk: int):
    document = get_object_or_404(ReleasedDocument, pk=pk, status=ReleasedDocument.Status.DONE)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    filename = document.file.name.rsplit("/", 1)[-1]
    extension = filename[filename.rfind(".") :]
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )


@require_http_methods(["GET", "POST"])
@capability_required("records.handle")
def ground_list(request):
    can_edit = has_capability(request.user, "records.grounds")
    form = SecrecyGroundForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            secrecy_ground_save(ground=form.save(commit=False))
            messages.success(request, _("The ground was added."))
            return redirect("records:ground_list")
        status = 400
    return render(
        request,
        "records/ground_list.html",
        {
            "grounds": SecrecyGround.objects.order_by("reference"),
            "form": form if can_edit else None,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@capability_required("records.grounds")
def ground_update(request, pk: int):
    ground = get_object_or_404(SecrecyGround, pk=pk)
    form = SecrecyGroundForm(request.POST if request.method == "POST" else None, instance=ground)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            secrecy_ground_save(ground=form.save(commit=False))
            messages.success(request, _("The ground was saved."))
            return redirect("records:ground_list")
        status = 400
    return render(
        request, "records/ground_form.html", {"form": form, "ground": ground}, status=status
    )
