"""The REST API: thin views over the engine and the services the pages use."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from compute_advisor.api import serializers as s
from compute_advisor.api.requests import (
    RegionsRequest,
    SavedScenarioChange,
    SavedScenarioRequest,
    SweepRequest,
    parse_body,
)
from compute_advisor.catalog import selectors as catalog
from compute_advisor.comparison.prices import NoPrices, snapshot_for
from compute_advisor.comparison.service import (
    SnapshotPricer,
    comparison_price,
    comparison_regions,
    comparison_sweep,
)
from compute_advisor.engine import Scenario, ScenarioError, parse_scenario
from compute_advisor.engine.money import cents, plain
from compute_advisor.estimates.models import SavedScenario
from compute_advisor.estimates.selectors import scenario_by_token, scenario_get_for, scenario_list_for
from compute_advisor.estimates.services import scenario_save, scenario_sharing, scenario_update
from compute_advisor.wizard.answers import Answers, parse_answers
from compute_advisor.wizard.recommend import recommend
from pricing.models import PriceSnapshot
from pricing.selectors import price_snapshots_servable, snapshot_diff

CONTRACT_EXAMPLE = {
    "region": "us-east-1",
    "workload": {"vcpu": 1, "memory_gib": 2, "architecture": "x86_64", "os": "linux"},
    "usage": {"kind": "always_on", "replicas": 2},
    "traffic": {"data_transfer_out_gib": 0, "requests_per_second": 0},
    "options": ["fargate", "ecs_ec2"],
}
ERRORS = {400: s.ErrorsSerializer, 404: s.ErrorsSerializer}
AUTH_ERRORS = {401: s.ErrorsSerializer, 403: s.ErrorsSerializer}
LIST_OF_OBJECTS = {"type": "array", "items": {"type": "object", "additionalProperties": True}}
SHARED = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "scenario": {"type": "object"}, "result": {"type": "object"}},
}
SNAPSHOT_PARAM = OpenApiParameter("snapshot", int, description="Price snapshot id (default: the active one).")


def _snapshot(request: Request) -> PriceSnapshot:
    try:
        return snapshot_for(request.query_params.get("snapshot"))
    except NoPrices as exc:
        raise Http404(str(exc)) from None


def _priced(scenario: Any, snapshot: PriceSnapshot) -> dict[str, Any]:
    return comparison_price(scenario=scenario, snapshot=snapshot).to_json()


class EstimateView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="Price a scenario on every option it asks for",
        request=Scenario,
        responses={200: s.ResultSerializer, **ERRORS},
        parameters=[SNAPSHOT_PARAM],
        examples=[OpenApiExample("Two replicas of 1 vCPU / 2 GB", value=CONTRACT_EXAMPLE, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        return Response(_priced(parse_scenario(request.data), _snapshot(request)))


class SweepView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="Break-even data: each option's cost as replicas or active hours grow",
        request=SweepRequest,
        responses={200: s.SweepSerializer, **ERRORS},
        parameters=[SNAPSHOT_PARAM],
    )
    def post(self, request: Request) -> Response:
        body: SweepRequest = parse_body(SweepRequest, request.data)
        points = body.points
        if body.axis == "active_hours_per_day":
            points = [p for p in (points or range(1, 25)) if p <= 24]
            if not points:
                raise ScenarioError({"points": ["active hours a day go from 1 to 24"]})
        swept = comparison_sweep(
            scenario=body.scenario, snapshot=_snapshot(request), axis=body.axis, points=points, field="scenario.region"
        )
        return Response(swept.to_json())


class RegionsView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="The scenario priced in every region of a snapshot, cheapest region first",
        request=RegionsRequest,
        responses={200: s.RegionCostSerializer(many=True), **ERRORS},
        parameters=[SNAPSHOT_PARAM],
    )
    def post(self, request: Request) -> Response:
        body: RegionsRequest = parse_body(RegionsRequest, request.data)
        rows = comparison_regions(scenario=body.scenario, snapshot=_snapshot(request))
        return Response(
            [
                {
                    "region": row.region,
                    "monthly_cost": {k: (None if v is None else str(cents(v))) for k, v in row.costs.items()},
                }
                for row in rows
            ]
        )


def _saved(saved: SavedScenario, request: Request) -> dict[str, Any]:
    return {
        "id": saved.pk,
        "name": saved.name,
        "scenario": saved.scenario,
        "snapshot": saved.snapshot_id,
        "share_url": request.build_absolute_uri(f"/s/{saved.share_token}/") if saved.share_enabled else "",
        "created_at": saved.created_at,
    }


def _private(response: Response) -> Response:
    """Answers that hold share links: no shared cache may keep them, nor a browser store them."""
    patch_cache_control(response, private=True, no_store=True)
    return response


class ScenarioListView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="Your saved scenarios", responses={200: s.SavedScenarioSerializer(many=True), **AUTH_ERRORS})
    def get(self, request: Request) -> Response:
        return _private(Response([_saved(x, request) for x in scenario_list_for(user=request.user)]))

    @extend_schema(
        summary="Save a scenario with today's prices",
        request=SavedScenarioRequest,
        responses={201: s.SavedScenarioSerializer, **ERRORS, **AUTH_ERRORS},
    )
    def post(self, request: Request) -> Response:
        body: SavedScenarioRequest = parse_body(SavedScenarioRequest, request.data)
        saved = scenario_save(
            user=request.user,
            name=body.name,
            scenario_data=request.data["scenario"],
            snapshot=_snapshot(request),
        )
        return Response(_saved(saved, request), status=status.HTTP_201_CREATED)


class ScenarioDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="One of your saved scenarios", responses={200: s.SavedScenarioSerializer, **ERRORS, **AUTH_ERRORS}
    )
    def get(self, request: Request, pk: int) -> Response:
        return _private(Response(_saved(scenario_get_for(user=request.user, pk=pk), request)))

    @extend_schema(
        summary="Rename one of your saved scenarios, replace its scenario, or turn its share link off or on",
        request=SavedScenarioChange,
        responses={200: s.SavedScenarioSerializer, **ERRORS, **AUTH_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        saved = scenario_get_for(user=request.user, pk=pk)
        body: SavedScenarioChange = parse_body(SavedScenarioChange, request.data)
        with transaction.atomic():
            scenario_update(
                saved=saved,
                name=body.name,
                scenario_data=request.data.get("scenario") if body.scenario is not None else None,
                snapshot=_snapshot(request) if body.scenario is not None else None,
            )
            if body.share_enabled is not None:
                scenario_sharing(saved=saved, enabled=body.share_enabled)
        return Response(_saved(saved, request))

    @extend_schema(summary="Delete one of your saved scenarios", responses={204: None, **ERRORS, **AUTH_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        scenario_get_for(user=request.user, pk=pk).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class SharedView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="A shared scenario and its result, with the prices it was saved with",
        responses={200: SHARED, **ERRORS},
    )
    def get(self, request: Request, token: str) -> Response:
        saved = scenario_by_token(token=token)
        result = comparison_price(scenario=parse_scenario(saved.scenario), snapshot=saved.snapshot)
        return Response({"name": saved.name, "scenario": saved.scenario, "result": result.to_json()})


class SnapshotListView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(summary="Price snapshots, newest first", responses={200: s.SnapshotSerializer(many=True)})
    def get(self, request: Request) -> Response:
        rows = PriceSnapshot.objects.order_by("-created_at", "-id")[:100]
        return Response(s.SnapshotSerializer(rows, many=True).data)


class SnapshotDiffView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="How prices moved from one snapshot to another",
        responses={200: s.DiffSerializer, **ERRORS},
        parameters=[OpenApiParameter("region", str, description="Only this region.")],
    )
    def get(self, request: Request, pk: int, other: int) -> Response:
        servable = price_snapshots_servable()  # a refused or building snapshot is as good as unknown
        older = servable.filter(pk=pk).first()
        newer = servable.filter(pk=other).first()
        if older is None or newer is None:
            raise Http404("No such snapshot")
        diff = snapshot_diff(older=older, newer=newer, region=request.query_params.get("region") or None)

        def changes(items: list[Any]) -> list[dict[str, Any]]:
            return [
                {
                    "service_code": c.service_code,
                    "region": c.region,
                    "key": c.key,
                    "unit": c.unit,
                    "before": None if c.before is None else str(c.before),
                    "after": None if c.after is None else str(c.after),
                }
                for c in items
            ]

        return Response(
            {
                "older": older.pk,
                "newer": newer.pk,
                "up": changes(diff.up),
                "down": changes(diff.down),
                "added": changes(diff.added),
                "removed": changes(diff.removed),
                "unchanged": diff.unchanged,
            }
        )


class CatalogView(APIView):
    permission_classes = [permissions.AllowAny]
    kinds = {
        "services": lambda: [
            {
                "code": x.code,
                "name": x.name,
                "summary": x.summary,
                "billing_model": x.billing_model,
                "limits": list(x.limits),
                "notices": [{"kind": n.kind, "title": n.title, "text": n.text} for n in x.notices],
            }
            for x in catalog.service_list()
        ],
        "fargate-sizes": lambda: [
            {
                "vcpu": plain(x.vcpu),
                "memory_gib": plain(x.memory_gib),
                "linux": "linux" in x.os,
                "windows": "windows" in x.os,
            }
            for x in catalog.fargate_task_sizes()
        ],
        "app-runner-sizes": lambda: [
            {"vcpu": plain(x.vcpu), "memory_gib": plain(x.memory_gib), "default": x.is_default}
            for x in catalog.app_runner_sizes()
        ],
        "lightsail-bundles": lambda: [
            {
                "bundle_id": x.bundle_id,
                "name": x.name,
                "platform": x.platform,
                "vcpu": plain(x.vcpu),
                "memory_gib": plain(x.memory_gib),
                "disk_gib": x.disk_gib,
                "transfer_gib": x.transfer_gib,
            }
            for x in catalog.lightsail_bundles()
        ],
        "lightsail-powers": lambda: [
            {"power": x.power, "vcpu": plain(x.vcpu), "memory_gib": plain(x.memory_gib)}
            for x in catalog.lightsail_powers()
        ],
    }

    @extend_schema(
        summary="The catalog: services, Fargate and App Runner sizes, Lightsail bundles and powers",
        responses={200: LIST_OF_OBJECTS, **ERRORS},
    )
    def get(self, request: Request, kind: str) -> Response:
        if kind not in self.kinds:
            raise Http404(f"No such catalog list; there are {', '.join(self.kinds)} and instance-types")
        return Response(self.kinds[kind]())


class InstanceTypesView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="EC2 instance types, filtered",
        parameters=[
            OpenApiParameter("family", str),
            OpenApiParameter("architecture", str, enum=["x86_64", "arm64"]),
            OpenApiParameter("min_vcpu", int),
        ],
        responses={200: LIST_OF_OBJECTS, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("min_vcpu")
        if raw and not re.fullmatch(r"[0-9]{1,7}", raw):  # ASCII digits: "²".isdigit() is true, int("²") fails
            raise ScenarioError({"min_vcpu": ["must be a whole number"]})
        filters = catalog.InstanceTypeFilter(
            family=request.query_params.get("family") or "",
            architecture=request.query_params.get("architecture") or "",
            min_vcpu=int(raw) if raw else None,
        )
        return Response(
            [
                {
                    "name": x.name,
                    "family": x.family,
                    "vcpu": x.vcpu,
                    "memory_mib": x.memory_mib,
                    "architecture": x.architecture,
                    "burstable": x.burstable,
                    "max_enis": x.max_enis,
                    "trunking_compatible": x.trunking_compatible,
                }
                for x in catalog.instance_types_matching(filters=filters)[:2000]
            ]
        )


class RecommendationView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="The wizard: answers in, a recommendation with its reasons out",
        request=Answers,
        responses={200: s.RecommendationSerializer, **ERRORS},
        parameters=[SNAPSHOT_PARAM],
    )
    def post(self, request: Request) -> Response:
        answers = parse_answers(request.data)
        return Response(recommend(answers, SnapshotPricer(_snapshot(request))).to_json())
