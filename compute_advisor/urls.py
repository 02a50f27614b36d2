from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import include, path

from compute_advisor.accounts.sign_in import AdminSignInView
from compute_advisor.catalog import views as catalog_views
from compute_advisor.lib.health import health_report
from pricing.freshness import snapshot_health


def alive(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Readiness (database, cache, broker, prices) is /health."""
    return JsonResponse({"status": "ok"})


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Pages that do not link the icon (admin, API docs) still get it: browsers ask for /favicon.ico."""
    # Looked up per request: the hashed name exists only once static files are collected.
    return HttpResponseRedirect(static("img/favicon.svg"))


def health(request: HttpRequest) -> JsonResponse:
    ready, report = health_report(snapshot=snapshot_health)
    return JsonResponse(report, status=200 if ready else 503)


urlpatterns = [
    path("healthz", alive, name="alive"),
    path("favicon.ico", favicon),
    path("health", health, name="health"),
    path("", catalog_views.home, name="home"),
    path("catalog/", include("compute_advisor.catalog.urls")),
    path("prices/", include("pricing.urls")),
    path("wizard/", include("compute_advisor.wizard.urls")),
    path("accounts/", include("compute_advisor.accounts.urls")),
    path("", include("compute_advisor.charts.urls")),
    path("", include("compute_advisor.reports.urls")),
    path("", include("compute_advisor.estimates.urls")),
    # The admin's login, limited like the site's (before admin.site.urls, whose own login has no limit).
    path("admin/login/", AdminSignInView.as_view(), name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("compute_advisor.api.urls")),
]
