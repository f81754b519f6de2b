from django.contrib import admin

from .models import SupportRequest


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    list_display = ("subject", "school", "kind", "status", "created_at")
    list_filter = ("status", "kind")
    readonly_fields = ("school", "created_by", "created_at", "closed_at")
