"""A URLconf with a view that fails, for tests of what a server error looks like."""

from django.urls import path


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom", boom)]
