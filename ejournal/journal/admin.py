"""The admin shows the journal read-only: every change goes through the services, and the change log never changes."""

from django.contrib import admin

from .models import ChangeRecord, CorrectionRequest, TermClosure, WorkType


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ("at", "school", "entity", "entity_id", "field", "old", "new", "actor", "actor_role", "is_late")
    list_filter = ("entity", "is_late")


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(ReadOnlyAdmin):
    list_display = ("filed_at", "school", "kind", "status", "filed_by", "decided_by")
    list_filter = ("kind", "status")


@admin.register(TermClosure)
class TermClosureAdmin(ReadOnlyAdmin):
    list_display = ("term", "school", "school_class", "closed_by", "closed_at")


@admin.register(WorkType)
class WorkTypeAdmin(ReadOnlyAdmin):
    list_display = ("school", "code", "name", "weight", "is_written")
