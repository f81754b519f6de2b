"""The roles of REQUIREMENTS §1 and the scope each one reaches."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MUNICIPAL_OFFICER = "municipal_officer", _("Специалист департамента")
    DISTRICT_OFFICER = "district_officer", _("Специалист отдела образования округа")
    METHODIST = "methodist", _("Методист центра «Старт»")
    DIRECTOR = "director", _("Директор")
    DEPUTY_HEAD = "deputy_head", _("Заместитель директора")
    JOURNAL_COORDINATOR = "journal_coordinator", _("Ответственный за ЭЖ")
    TEACHER = "teacher", _("Учитель")
    CLASS_TEACHER = "class_teacher", _("Классный руководитель")
    STUDENT = "student", _("Обучающийся")
    GUARDIAN = "guardian", _("Родитель (законный представитель)")


CITY_ROLES = frozenset({Role.MUNICIPAL_OFFICER, Role.METHODIST})
DISTRICT_ROLES = frozenset({Role.DISTRICT_OFFICER})
SCHOOL_ADMIN_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR})
SCHOOL_STAFF_ROLES = SCHOOL_ADMIN_ROLES | {Role.TEACHER, Role.CLASS_TEACHER}
FAMILY_ROLES = frozenset({Role.STUDENT, Role.GUARDIAN})
# Roles granted by an explicit appointment (RoleAssignment); the others are derived
# from the roster: class teacher from SchoolClass, student and guardian from people.
ASSIGNABLE_ROLES = CITY_ROLES | DISTRICT_ROLES | SCHOOL_ADMIN_ROLES | {Role.TEACHER}

# Not a person's role: a vendor's system calling the open API with client credentials (ejournal/api). Its actor
# reaches the schools bound to the application (`school_ids`) and nothing else; never offered at sign-in.
VENDOR_SYSTEM = "vendor_system"
