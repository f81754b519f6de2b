"""The app's URLs plus /bench/hello/: the cheapest Django response, the reference for throughput."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ejournal.access.decorators import public
from ejournal.urls import urlpatterns as app_urlpatterns


@public
def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *app_urlpatterns]
