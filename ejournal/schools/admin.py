from django.contrib import admin

from .models import AcademicYear, District, Holiday, Municipality, School, SchoolClass, Subgroup, Term


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "municipality")


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("short_name", "number", "kind", "district", "code")
    list_filter = ("district", "kind")
    search_fields = ("short_name", "full_name", "code")


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_on", "ends_on", "is_current")


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    """Saved terms are read-only here: they change on the year setup page, whose service asks the journal first
    whether marks would be left outside every term (`schools.guards`)."""

    list_display = ("school", "year", "kind", "number", "starts_on", "ends_on", "min_grade", "max_grade")
    list_filter = ("year", "kind")
    raw_id_fields = ("school",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Term._meta.fields] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "starts_on", "ends_on", "kind")
    raw_id_fields = ("school",)


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ("__str__", "school", "year", "class_teacher")
    list_filter = ("year", "grade")
    raw_id_fields = ("school", "class_teacher")


@admin.register(Subgroup)
class SubgroupAdmin(admin.ModelAdmin):
    list_display = ("name", "school_class")
    raw_id_fields = ("school", "school_class")
