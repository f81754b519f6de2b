from django.contrib import admin

from .models import Enrolment, Guardian, GuardianLink, RoleAssignment, Student, SubgroupMembership


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "school", "district", "municipality", "position", "starts_on", "ends_on")
    list_filter = ("role",)
    raw_id_fields = ("user", "school")
    search_fields = ("user__username", "user__last_name")


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    raw_id_fields = ("school", "school_class")


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "school", "school_class", "record_number", "is_active")
    search_fields = ("last_name", "first_name", "record_number")
    raw_id_fields = ("school", "school_class", "user")
    inlines = [EnrolmentInline]


class GuardianLinkInline(admin.TabularInline):
    model = GuardianLink
    extra = 0
    raw_id_fields = ("school", "student")


@admin.register(Guardian)
class GuardianAdmin(admin.ModelAdmin):
    list_display = ("__str__", "phone", "email", "user")
    search_fields = ("last_name", "first_name", "email", "phone")
    raw_id_fields = ("user",)
    inlines = [GuardianLinkInline]


@admin.register(SubgroupMembership)
class SubgroupMembershipAdmin(admin.ModelAdmin):
    list_display = ("subgroup", "student", "starts_on", "ends_on")
    raw_id_fields = ("school", "subgroup", "student")
