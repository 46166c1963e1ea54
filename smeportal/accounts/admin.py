"""The users page of the portal's administrators (the "Users" menu item is the Django admin).

The portal's roles decide what a user may do (roles.py). An administrator who is not a
superuser manages users by giving them roles and grants (roles.Grant, such as registrar), but
must not be able to give anyone, itself included, more than those give: superuser status, single
permissions, other groups, or the account of a superuser (whose password it could then set and
log in with).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group

from .models import User
from .roles import Grant, Role

# Fields only a superuser may change: each one can grant more than a role does.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "is_staff", "user_permissions")


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active")
    list_filter = ("groups", "is_active")

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        return readonly + SUPERUSER_ONLY_FIELDS

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            names = [role.value for role in Role] + [grant.value for grant in Grant]
            kwargs["queryset"] = Group.objects.filter(name__in=names)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if request.user.is_superuser:
            return
        # Access to this admin follows the role: administrators get it, nobody else does.
        user = form.instance
        is_administrator = user.groups.filter(name=Role.ADMINISTRATOR.value).exists()
        if user.is_staff != is_administrator:
            user.is_staff = is_administrator
            user.save(update_fields=["is_staff"])
