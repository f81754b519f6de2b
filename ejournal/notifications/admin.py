from django.contrib import admin

from .models import DigestLog, DigestSubscription


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "enabled", "send_at", "next_due_at", "watermark"]
    list_filter = ["enabled"]
    raw_id_fields = ["guardian", "student"]


@admin.register(DigestLog)
class DigestLogAdmin(admin.ModelAdmin):
    """Read-only: the record of what was sent."""

    list_display = ["subscription", "slot", "status", "marks_count", "absences_count", "homework_count", "attempts"]
    list_filter = ["status"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
