"""The coordinator's archive: what is archived (sizes, checksums, retention), a new build (asked first), progress,
the download."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import confirmed, question_page

from . import selectors, services
from .forms import ArchivePeriodForm
from .storage import archive_file


@access_rule("can_manage_archive")
def index(request: ActorRequest) -> HttpResponse:
    choices = selectors.archive_choices(actor=request.actor, today=timezone.localdate())
    jobs = selectors.archive_jobs(actor=request.actor)
    return render(request, "archive/index.html", {"jobs": jobs, "form": ArchivePeriodForm(choices=choices)})


@require_POST
@access_rule("can_manage_archive")
def build(request: ActorRequest) -> HttpResponse:
    """Ask first (what and how much), then queue the build and show its progress."""
    school = selectors.archive_school(actor=request.actor)
    choices = selectors.archive_choices(actor=request.actor, today=timezone.localdate())
    form = ArchivePeriodForm(request.POST, choices=choices)
    if not form.is_valid():
        jobs = selectors.archive_jobs(actor=request.actor)
        return render(request, "archive/index.html", {"jobs": jobs, "form": form}, status=400)
    choice = form.chosen()
    if not confirmed(request):
        scope = selectors.archive_scope(school=school, year=choice.year)
        return question_page(
            request, title=_("Собрать архив журналов?"),
            lines=[
                _("Период: %(period)s.") % {"period": choice.label},
                _("Классов: %(classes)s; журналов по предметам: до %(journals)s.") % scope,
                _("Сборка идёт в фоне и может занять несколько минут; страницу можно закрыть."),
            ],
            confirm=_("Собрать архив"), cancel=reverse("archive:index"),
        )  # fmt: skip
    job = services.archive_job_start(school=school, year=choice.year, term=choice.term, actor=request.actor)
    return redirect("archive:job", pk=job.pk)


@access_rule("can_manage_archive")
def job(request: ActorRequest, pk: int) -> HttpResponse:
    return render(request, "archive/job.html", {"job": selectors.archive_job_get(actor=request.actor, pk=pk)})


@access_rule("can_manage_archive")
def progress(request: ActorRequest, pk: int) -> HttpResponse:
    job = selectors.archive_job_get(actor=request.actor, pk=pk)
    return render(request, "archive/partials/progress.html", {"job": job})


@access_rule("can_manage_archive")
def download(request: ActorRequest, pk: int) -> FileResponse:
    job = selectors.archive_job_get(actor=request.actor, pk=pk, ready=True)
    path = archive_file(job)
    if path is None:
        raise Http404(_("Файл архива не найден на сервере."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type="application/zip")
