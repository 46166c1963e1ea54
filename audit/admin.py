"""The Django admin shows retention decisions read-only: they are kept for good, as made."""

from django.contrib import admin

from .models import RetentionDecision, RetentionDecisionItem


class RetentionDecisionItemInline(admin.TabularInline):
    model = RetentionDecisionItem
    fields = ("model_label", "object_id", "action")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RetentionDecision)
class RetentionDecisionAdmin(admin.ModelAdmin):
    list_display = ("decided_at", "reference", "scope", "decided_by")
    list_filter = ("scope",)
    readonly_fields = (
        "reference",
        "reason",
        "scope",
        "scope_description",
        "decided_by",
        "decided_at",
        "counts",
    )
    inlines = [RetentionDecisionItemInline]

    # Decisions are made on the portal's retention page, which carries them out.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
