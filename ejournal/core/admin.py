from django.contrib import admin

from .models import AuditEvent, ImportJob


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the change log is never edited or deleted through the application."""

    list_display = ("at", "actor", "actor_role", "school_id", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "school_id", "file_name", "status", "processed_rows", "total_rows")
    list_filter = ("kind", "status")

    def has_add_permission(self, request):
        return False
