from django.contrib import admin

from .models import PriorityArea


@admin.register(PriorityArea)
class PriorityAreaAdmin(admin.ModelAdmin):
    list_display = ("order", "name", "slug", "is_archived")
    list_display_links = ("name",)
    prepopulated_fields = {"slug": ("name",)}
