from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from compute_advisor.catalog import selectors
from compute_advisor.catalog.forms import InstanceTypeFilterForm, RegionForm
from compute_advisor.engine.catalog import default_catalog
from pricing.models import PriceSnapshot
from pricing.selectors import price_snapshot_active, price_snapshot_regions

DEFAULT_REGION = "us-east-1"
INSTANCE_TYPE_PAGE_LIMIT = 400


def _regions(snapshot: PriceSnapshot | None) -> list[str]:
    regions = price_snapshot_regions(snapshot=snapshot) if snapshot else []
    return regions or list(settings.PRICING_REGIONS)


def _default_region(regions: list[str]) -> str:
    return DEFAULT_REGION if DEFAULT_REGION in regions else regions[0]


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/home.html", {"services": selectors.service_list()})


def catalog_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/index.html",
        {
            "services": selectors.service_list(),
            "fargate_rows": selectors.fargate_cpu_rows(),
            "app_runner_sizes": selectors.app_runner_sizes(),
        },
    )


def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.service_get(code=code)
    if service is None:
        raise Http404("No such service in the catalog")
    snapshot = price_snapshot_active()
    regions = _regions(snapshot)
    default = _default_region(regions)
    form = RegionForm(request.GET or None, regions=regions, initial={"region": default})
    region = form.cleaned_data["region"] if form.is_valid() else default
    context = {
        "service": service,
        "snapshot": snapshot,
        "region": region,
        "form": form,
        "prices": selectors.service_prices(snapshot=snapshot, code=code, region=region),
    }
    if code in {"fargate", "ecs_express"}:
        context["fargate_rows"] = selectors.fargate_cpu_rows()
    if code == "app_runner":
        context["app_runner_sizes"] = selectors.app_runner_sizes()
    if code == "lightsail_instance":
        bundles = selectors.lightsail_bundles_priced(snapshot=snapshot, region=region)
        context.update(bundles=bundles, item_sources=selectors.price_sources(bundles))
    if code == "lightsail_container":
        powers = selectors.lightsail_powers_priced(snapshot=snapshot, region=region)
        context.update(
            powers=powers,
            item_sources=selectors.price_sources(powers),
            max_nodes=default_catalog().lightsail_container_max_scale,
        )
    return render(request, "catalog/service.html", context)


def instance_types(request: HttpRequest) -> HttpResponse:
    snapshot = price_snapshot_active()
    regions = _regions(snapshot)
    data = request.GET.copy()
    data.setdefault("region", _default_region(regions))
    form = InstanceTypeFilterForm(data, regions=regions, families=selectors.instance_families())
    if form.is_valid():
        filters = selectors.InstanceTypeFilter(
            family=form.cleaned_data["family"],
            architecture=form.cleaned_data["architecture"],
            min_vcpu=form.cleaned_data["min_vcpu"],
            min_memory_gib=form.cleaned_data["min_memory_gib"],
            priced_only=form.cleaned_data["priced_only"],
        )
        region = form.cleaned_data["region"]
        rows = selectors.instance_types_priced(snapshot=snapshot, region=region, filters=filters)
    else:
        region, rows = _default_region(regions), []
    return render(
        request,
        "catalog/instance_types.html",
        {
            "form": form,
            "region": region,
            "snapshot": snapshot,
            "rows": rows[:INSTANCE_TYPE_PAGE_LIMIT],
            "sources": selectors.price_sources(rows),
            "total": len(rows),
            "limit": INSTANCE_TYPE_PAGE_LIMIT,
        },
    )
