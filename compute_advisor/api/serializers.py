"""The shapes of the API's responses, for the OpenAPI schema. What requests hold is declared by the engine
(`api/requests.py`): the scenario and the answers are never described twice."""

from __future__ import annotations

from rest_framework import serializers


class LineItemSerializer(serializers.Serializer):
    description = serializers.CharField()
    quantity = serializers.CharField()
    unit = serializers.CharField()
    unit_price = serializers.CharField()
    cost = serializers.CharField()
    category = serializers.CharField()


class OptionResultSerializer(serializers.Serializer):
    option = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a contract field named like a DRF Field attribute
    available = serializers.BooleanField()
    reason = serializers.CharField(required=False)
    monthly_cost = serializers.CharField(required=False)
    yearly_cost = serializers.CharField(required=False)
    configuration = serializers.DictField(required=False)
    line_items = LineItemSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())
    missing_prices = serializers.ListField(child=serializers.CharField(), required=False)
    ranked = serializers.BooleanField(required=False, help_text="Whether the option is in the ranking.")
    unranked_reason = serializers.CharField(
        required=False, help_text="Why a priced option is left out of the ranking (App Runner for a new account)."
    )
    cost_by_profile_hour = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="For an hourly profile: the month's cost of each profile hour; they add up to monthly_cost.",
    )


class SnapshotRefSerializer(serializers.Serializer):
    id = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # a contract field named like a DRF Field attribute
    as_of = serializers.CharField(allow_null=True)


class ScalingRunSerializer(serializers.Serializer):
    """An autoscaling service's simulated hours (docs/CONTRACT.md, "Applications and autoscaling")."""

    policy = serializers.CharField(help_text="target_tracking or step.")
    metric = serializers.CharField(help_text="cpu, memory or requests_per_target.")
    target = serializers.CharField(help_text="The target, or a step policy's top threshold.")
    demand_unit = serializers.CharField(help_text="vCPU, GiB or requests/s.")
    capacity_per_replica = serializers.CharField(allow_null=True, help_text="The task's vCPU or GiB.")
    demand_by_hour = serializers.ListField(child=serializers.CharField())
    replicas_by_hour = serializers.ListField(child=serializers.IntegerField())
    min_replicas_by_hour = serializers.ListField(child=serializers.IntegerField())
    max_replicas_by_hour = serializers.ListField(child=serializers.IntegerField())
    utilization_percent_by_hour = serializers.ListField(
        child=serializers.CharField(allow_null=True),
        allow_null=True,
        help_text="The share of the replicas' vCPU or memory the demand keeps busy, at most 100.",
    )
    capacity_at_target_by_hour = serializers.ListField(
        child=serializers.CharField(), help_text="The demand the replicas serve with the metric at the target."
    )
    hours_at_max_over_target = serializers.IntegerField()
    cpu_utilization_percent = serializers.CharField(allow_null=True)


class ServiceUsageSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    summary = serializers.CharField()
    replicas_by_hour = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    scaling = ScalingRunSerializer(required=False, help_text="For an autoscaling service: the simulation's hours.")


class UsageSerializer(serializers.Serializer):
    summary = serializers.CharField(help_text="The usage in words and numbers.")
    services = ServiceUsageSerializer(
        many=True, required=False, help_text="For an application or an autoscaling service: each service's usage."
    )


class ResultSerializer(serializers.Serializer):
    """The result of the contract."""

    currency = serializers.CharField()
    region = serializers.CharField()
    hours_per_month = serializers.CharField()
    price_snapshot = SnapshotRefSerializer()
    usage = UsageSerializer()
    assumptions = serializers.DictField(help_text="What the prices rest on: average CPU, zones, hours a month.")
    options = OptionResultSerializer(many=True)
    ranking = serializers.ListField(
        child=serializers.CharField(), help_text="The options that fit and the account can use, cheapest first."
    )


class ErrorsSerializer(serializers.Serializer):
    errors = serializers.DictField(  # type: ignore[assignment]  # the error body names its field as DRF does its own
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field path to its messages, e.g. workload.vcpu.",
    )


class SweepSerializer(serializers.Serializer):
    axis = serializers.CharField()
    x = serializers.ListField(child=serializers.CharField())
    series = serializers.ListField(child=serializers.DictField())
    crossings = serializers.ListField(child=serializers.DictField())


class RegionCostSerializer(serializers.Serializer):
    region = serializers.CharField()
    monthly_cost = serializers.DictField(child=serializers.CharField(allow_null=True))


class SavedScenarioSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    scenario = serializers.JSONField(help_text="The scenario as it was saved (docs/CONTRACT.md).")
    snapshot = serializers.IntegerField(read_only=True, source="snapshot_id")
    share_url = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class SnapshotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField()  # type: ignore[assignment]  # a contract field named like a DRF Field attribute
    as_of = serializers.DateField()
    status = serializers.CharField()
    row_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    activated_at = serializers.DateTimeField(allow_null=True)


class ChangeSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    region = serializers.CharField()
    key = serializers.CharField()
    unit = serializers.CharField()
    before = serializers.CharField(allow_null=True)
    after = serializers.CharField(allow_null=True)


class DiffSerializer(serializers.Serializer):
    older = serializers.IntegerField()
    newer = serializers.IntegerField()
    up = ChangeSerializer(many=True)
    down = ChangeSerializer(many=True)
    added = ChangeSerializer(many=True)
    removed = ChangeSerializer(many=True)
    unchanged = serializers.IntegerField()


class AssessmentSerializer(serializers.Serializer):
    option = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a contract field named like a DRF Field attribute
    eligible = serializers.BooleanField()
    score = serializers.IntegerField()
    monthly_cost = serializers.CharField(allow_null=True)
    reasons_for = serializers.ListField(child=serializers.CharField())
    reasons_against = serializers.ListField(child=serializers.CharField())
    excluded = serializers.ListField(child=serializers.CharField())


class RecommendationSerializer(serializers.Serializer):
    winner = serializers.CharField(allow_null=True)
    runner_up = serializers.CharField(allow_null=True)
    assessments = AssessmentSerializer(many=True)
    changes = serializers.ListField(child=serializers.CharField())
    scenario = serializers.DictField()
    result = ResultSerializer()
