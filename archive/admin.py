from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DeliveryPackage, InformationRule


@admin.register(InformationRule)
class InformationRuleAdmin(SimpleHistoryAdmin):
    list_display = ["record_type", "action", "period", "period_unit", "counted_from"]

    def has_delete_permission(self, request, obj=None):
        # The plan is changed, never removed: its history and the decisions citing it remain.
        return False


@admin.register(DeliveryPackage)
class DeliveryPackageAdmin(SimpleHistoryAdmin):
    """Read-only: packages are ordered and produced in the portal."""

    list_display = ["__str__", "status", "requested_at", "record_count", "verification"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # What was delivered to the e-archive, and when, is a record of its own.
        return False
