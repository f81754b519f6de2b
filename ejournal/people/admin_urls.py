"""The school administration's roster pages: classes, students, guardians, staff, credential slips."""

from django.urls import path

from .views import classes, guardians, slips, staff, students

urlpatterns = [
    path("classes/", classes.class_list, name="classes"),
    path("classes/new/", classes.class_create, name="class_create"),
    path("classes/<int:pk>/", classes.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", classes.class_edit, name="class_edit"),
    path("classes/<int:pk>/subgroups/new/", classes.subgroup_create, name="subgroup_create"),
    path("classes/<int:pk>/slips/", slips.class_slips, name="class_slips"),
    path("subgroups/<int:pk>/", classes.subgroup_edit, name="subgroup_edit"),
    path("subgroups/<int:pk>/delete/", classes.subgroup_delete, name="subgroup_delete"),
    path("subgroups/<int:pk>/members/", classes.subgroup_members, name="subgroup_members"),
    path("students/", students.student_list, name="students"),
    path("students/new/", students.student_create, name="student_create"),
    path("students/<int:pk>/", students.student_detail, name="student_detail"),
    path("students/<int:pk>/edit/", students.student_edit, name="student_edit"),
    path("students/<int:pk>/transfer/", students.student_transfer, name="student_transfer"),
    path("students/<int:pk>/transfer-school/", students.student_transfer_school, name="student_transfer_school"),
    path("students/<int:pk>/admit/", students.student_admit, name="student_admit"),
    path("students/<int:pk>/depart/", students.student_depart, name="student_depart"),
    path("students/<int:pk>/credentials/", slips.student_credentials, name="student_credentials"),
    path("guardians/", guardians.guardian_list, name="guardians"),
    path("guardians/new/", guardians.guardian_create, name="guardian_create"),
    path("guardians/<int:pk>/", guardians.guardian_detail, name="guardian_detail"),
    path("guardians/<int:pk>/edit/", guardians.guardian_edit, name="guardian_edit"),
    path("guardians/<int:pk>/link/", guardians.guardian_link, name="guardian_link"),
    path("guardians/<int:pk>/esia/", guardians.guardian_esia, name="guardian_esia"),
    path("guardians/<int:pk>/credentials/", slips.guardian_credentials, name="guardian_credentials"),
    path("guardian-links/<int:pk>/delete/", guardians.guardian_unlink, name="guardian_unlink"),
    path("staff/", staff.staff_list, name="staff"),
    path("staff/new/", staff.staff_add, name="staff_add"),
    path("staff/<int:user_id>/", staff.staff_detail, name="staff_detail"),
    path("staff/<int:user_id>/appoint/", staff.appointment_add, name="appointment_add"),
    path("staff/<int:user_id>/credentials/", slips.staff_credentials, name="staff_credentials"),
    path("staff/<int:user_id>/second-factor/reset/", staff.staff_second_factor_reset, name="staff_second_factor_reset"),
    path("appointments/<int:pk>/end/", staff.appointment_end, name="appointment_end"),
    path("slips/", slips.slips, name="slips"),
]
