"""The contract's JSON as DRF serializers: they document every field in the OpenAPI schema.

Scenarios are checked by the engine's own parser (one set of rules for the CLI, pages and API);
these serializers describe the shapes and catch wrong types early.
"""

from __future__ import annotations

from rest_framework import serializers

from compute_advisor.engine import OPTION_CODES

AMOUNT = {"max_digits": 16, "decimal_places": 6, "coerce_to_string": True}


class WorkloadSerializer(serializers.Serializer):
    vcpu = serializers.DecimalField(min_value=0, max_value=192, help_text="vCPU one replica needs.", **AMOUNT)
    memory_gib = serializers.DecimalField(min_value=0, max_value=24576, help_text="GiB one replica needs.", **AMOUNT)
    architecture = serializers.ChoiceField(["x86_64", "arm64"], required=False, default="x86_64")
    os = serializers.ChoiceField(["linux", "windows"], required=False, default="linux")
    ephemeral_storage_gib = serializers.DecimalField(
        min_value=0, max_value=16384, required=False, help_text="Per Fargate task; 20 free, up to 200.", **AMOUNT
    )
    disk_gib = serializers.DecimalField(
        min_value=0, max_value=65536, required=False, help_text="EBS root volume per EC2 instance.", **AMOUNT
    )


class UsageSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        ["always_on", "scheduled", "hourly"],
        help_text="always_on: replicas all month; scheduled: runs; hourly: a profile.",
    )
    replicas = serializers.IntegerField(
        min_value=1, max_value=5000, required=False, help_text="always_on and scheduled."
    )
    runs_per_day = serializers.DecimalField(min_value=0, max_value=1440, required=False, **AMOUNT)
    minutes_per_run = serializers.DecimalField(min_value=0, max_value=1440, required=False, **AMOUNT)
    days_per_month = serializers.DecimalField(min_value=0, max_value=31, required=False, **AMOUNT)
    replicas_by_hour = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=5000),
        min_length=24,
        max_length=168,
        required=False,
        help_text="hourly: 24 (a day) or 168 (a week) values.",
    )


class TrafficSerializer(serializers.Serializer):
    data_transfer_out_gib = serializers.DecimalField(min_value=0, max_value=10**9, required=False, **AMOUNT)
    requests_per_second = serializers.DecimalField(min_value=0, max_value=10**7, required=False, **AMOUNT)
    avg_response_kib = serializers.DecimalField(min_value=0, max_value=10**7, required=False, **AMOUNT)


class ScenarioSerializer(serializers.Serializer):
    """The scenario of the contract (docs/CONTRACT.md)."""

    region = serializers.RegexField(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$", help_text="An AWS region code: us-east-1.")
    workload = WorkloadSerializer()
    usage = UsageSerializer()
    hours_per_month = serializers.DecimalField(min_value=1, max_value=744, required=False, **AMOUNT)
    traffic = TrafficSerializer(required=False)
    load_balancer = serializers.ChoiceField(["auto", "alb", "nlb", "none"], required=False)
    public_ipv4 = serializers.BooleanField(required=False)
    purchase = serializers.ChoiceField(["on_demand", "spot", "savings_plan_1y", "savings_plan_3y"], required=False)
    options = serializers.ListField(child=serializers.ChoiceField(OPTION_CODES), required=False, min_length=1)
    option_settings = serializers.DictField(required=False, help_text="Per-option pins (see the contract).")
    name = serializers.CharField(required=False, max_length=200)


class LineItemSerializer(serializers.Serializer):
    description = serializers.CharField()
    quantity = serializers.CharField()
    unit = serializers.CharField()
    unit_price = serializers.CharField()
    cost = serializers.CharField()
    category = serializers.CharField()


class OptionResultSerializer(serializers.Serializer):
    option = serializers.CharField()
    label = serializers.CharField()
    available = serializers.BooleanField()
    reason = serializers.CharField(required=False)
    monthly_cost = serializers.CharField(required=False)
    yearly_cost = serializers.CharField(required=False)
    configuration = serializers.DictField(required=False)
    line_items = LineItemSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())
    missing_prices = serializers.ListField(child=serializers.CharField(), required=False)


class SnapshotRefSerializer(serializers.Serializer):
    id = serializers.CharField()
    source = serializers.CharField()
    as_of = serializers.CharField(allow_null=True)


class ResultSerializer(serializers.Serializer):
    """The result of the contract."""

    currency = serializers.CharField()
    region = serializers.CharField()
    hours_per_month = serializers.CharField()
    price_snapshot = SnapshotRefSerializer()
    options = OptionResultSerializer(many=True)
    ranking = serializers.ListField(child=serializers.CharField())


class ErrorsSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field path to its messages, e.g. workload.vcpu.",
    )


class SweepRequestSerializer(serializers.Serializer):
    scenario = ScenarioSerializer()
    axis = serializers.ChoiceField(["replicas", "active_hours_per_day"], default="replicas")
    points = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=5000),
        required=False,
        min_length=1,
        max_length=60,
        help_text="Where to price; a default range if left out.",
    )


class SweepSerializer(serializers.Serializer):
    axis = serializers.CharField()
    x = serializers.ListField(child=serializers.CharField())
    series = serializers.ListField(child=serializers.DictField())
    crossings = serializers.ListField(child=serializers.DictField())


class RegionsRequestSerializer(serializers.Serializer):
    scenario = ScenarioSerializer()


class RegionCostSerializer(serializers.Serializer):
    region = serializers.CharField()
    monthly_cost = serializers.DictField(child=serializers.CharField(allow_null=True))


class SavedScenarioSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    scenario = ScenarioSerializer()
    snapshot = serializers.IntegerField(read_only=True, source="snapshot_id")
    share_url = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class SavedScenarioChangeSerializer(serializers.Serializer):
    """What an owner may change; every field is optional."""

    name = serializers.CharField(max_length=200, required=False, allow_blank=False)
    scenario = ScenarioSerializer(required=False, help_text="A new scenario, priced with today's prices.")
    share_enabled = serializers.BooleanField(
        required=False, help_text="false revokes the share link; true issues a new one (a revoked link stays dead)."
    )


class SnapshotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField()
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


class AnswersSerializer(serializers.Serializer):
    """The wizard's answers."""

    workload = serializers.ChoiceField(["web", "worker", "batch", "server"], default="web")
    vcpu = serializers.DecimalField(min_value=0, max_value=192, default="1", **AMOUNT)
    memory_gib = serializers.DecimalField(min_value=0, max_value=24576, default="2", **AMOUNT)
    replicas = serializers.IntegerField(min_value=1, max_value=5000, default=2)
    pattern = serializers.ChoiceField(["steady", "daily_peaks", "spiky", "mostly_idle"], default="steady")
    requests_per_second = serializers.DecimalField(min_value=0, max_value=10**7, default="0", **AMOUNT)
    data_transfer_out_gib = serializers.DecimalField(min_value=0, max_value=10**9, default="0", **AMOUNT)
    runs_per_day = serializers.DecimalField(min_value=0, max_value=1440, default="1", **AMOUNT)
    minutes_per_run = serializers.DecimalField(min_value=0, max_value=1440, default="10", **AMOUNT)
    experience = serializers.ChoiceField(["new", "some", "expert"], default="some")
    patching = serializers.ChoiceField(["nobody", "team"], default="nobody")
    needs_ssh = serializers.BooleanField(default=False)
    needs_gpu = serializers.BooleanField(default=False)
    needs_privileged = serializers.BooleanField(default=False)
    windows = serializers.BooleanField(default=False)
    arm_ok = serializers.BooleanField(default=False)
    existing_app_runner = serializers.BooleanField(default=False)
    budget_usd = serializers.DecimalField(min_value=1, max_value=10**8, required=False, allow_null=True, **AMOUNT)
    region = serializers.RegexField(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$", default="us-east-1")
    vpc_control = serializers.BooleanField(default=False)
    long_requests = serializers.BooleanField(default=False)
    fast_startup = serializers.BooleanField(default=False)
    replicas_next_year = serializers.IntegerField(min_value=1, max_value=5000, required=False, allow_null=True)


class AssessmentSerializer(serializers.Serializer):
    option = serializers.CharField()
    label = serializers.CharField()
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
