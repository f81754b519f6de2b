"""The project's URLs and one view that raises: the 500 page as a real request meets it."""

from django.urls import path

from ejournal.access.decorators import public
from ejournal.urls import urlpatterns as project_urlpatterns


@public
def boom(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [*project_urlpatterns, path("boom/", boom)]
