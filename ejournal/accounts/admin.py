from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Дополнительно"), {"fields": ("middle_name", "phone", "must_change_password")}),
    )
    list_display = ("username", "last_name", "first_name", "middle_name", "email", "is_active")
    search_fields = ("username", "last_name", "first_name", "email")
