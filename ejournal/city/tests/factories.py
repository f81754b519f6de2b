from django.utils import timezone

from ejournal.city.models import MonthlyReportRow, MonthlyRolloutReport, SchoolRollout, SoftwareComplex


def make_complex(city, *, name="Сетевой город", this=False):
    return SoftwareComplex.objects.create(municipality=city, name=name, vendor="Вендор", is_this_system=this)


def make_report(district, *, year=2026, month=10, status=MonthlyRolloutReport.Status.DRAFT):
    submitted = None if status == MonthlyRolloutReport.Status.DRAFT else timezone.now()
    report = MonthlyRolloutReport.objects.create(
        municipality_id=district.municipality_id,
        district=district,
        year=year,
        month=month,
        status=status,
        submitted_at=submitted,
        first_submitted_at=submitted,
    )
    for school in district.schools.all():
        MonthlyReportRow.objects.create(report=report, school=school, source=MonthlyReportRow.Source.COMPUTED)
    return report


def other_vendor(school, city):
    complex_ = SoftwareComplex.objects.filter(municipality=city, is_this_system=False).first() or make_complex(city)
    SchoolRollout.objects.update_or_create(school=school, defaults={"complex": complex_})
    return complex_
