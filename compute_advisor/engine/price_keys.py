"""Every price the engine looks up, declared once: where it lives in a price book, its unit, and who uses it.

A price book answers `get(service_code, key)`. This registry lists each (service code, key) the engine asks
for, a family of keys as a pattern (`BoxUsage:<instance type>`), with:

- its unit, as price snapshots store it;
- `options`: the options whose bills use it; their catalog pages list it;
- `required`: a refresh refuses a snapshot that lacks it for a region it refreshed;
- `source`: `price_list` when a refresh takes it from the AWS Price List, `spot_advisor` when a refresh takes
  it from the EC2 Spot Instance Advisor's public feed (a part of its own, `SPOT_ADVISOR_SERVICE`), `carried`
  when no source a refresh reads has it (Lightsail's monthly plans, Spot rates, Step Functions) and a refresh
  carries it over unchanged. A refresh that does not read a price's source carries it over too;
- `savings_plans`: Compute Savings Plans discount it, so the engine also looks up
  `ComputeSavingsPlans` `<term>:<service code>:<key>` (entries derived below).

The option modules take their key strings from here; `pricing` derives from it which Price List items a
refresh keeps and which keys a snapshot must have, and the catalog which prices a service page lists. A test
prices many scenarios through a recording price book and checks that every key looked up is declared here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

PRICE_LIST = "price_list"
SPOT_ADVISOR = "spot_advisor"
CARRIED = "carried"
# The sources a refresh reads: a price of one of them that a refreshed part did not bring is flagged when it is
# carried over in its place.
REFRESHED_SOURCES = (PRICE_LIST, SPOT_ADVISOR)
# The service code of the Spot Instance Advisor's figures in a snapshot. It has a hyphen because AWS Price List
# offer codes never do (they are letters and digits: AmazonEC2, AWSELB, AWSDataTransfer, ...), so no offer
# AWS adds can ever share it and be read, or carried over, as Advisor figures.
SPOT_ADVISOR_SERVICE = "EC2-SpotAdvisor"
SAVINGS_PLANS_SERVICE = "ComputeSavingsPlans"
SAVINGS_PLAN_TERMS = ("1y", "3y")

_PLACEHOLDER = re.compile(r"<[^<>]+>")

ECS_EC2 = "ecs_ec2"
FARGATE = "fargate"
BEANSTALK = "beanstalk"
APP_RUNNER = "app_runner"
LIGHTSAIL_INSTANCE = "lightsail_instance"
LIGHTSAIL_CONTAINER = "lightsail_container"
ECS_EXPRESS = "ecs_express"
EC2_OPTIONS = (ECS_EC2, BEANSTALK)
LOAD_BALANCED = (ECS_EC2, FARGATE, BEANSTALK, ECS_EXPRESS)
SCHEDULED_RUNS = (ECS_EC2, FARGATE)  # the options whose scheduled runs a trigger starts


@dataclass(frozen=True)
class PriceKey:
    service_code: str
    key: str  # a key, or a pattern: `<name>` stands for any text without a colon
    unit: str
    description: str
    options: tuple[str, ...]
    required: bool = False
    source: str = PRICE_LIST
    savings_plans: bool = False
    # False when a service page shows it in a table of its own (bundles, powers) or on another page (the EC2
    # instance types), or when it is one of very many (Savings Plans rates).
    on_service_page: bool = True
    # True for a price shown beside the others that no bill uses.
    reference_only: bool = False
    # The key's text around its placeholders, split once: the engine asks for keys thousands of times a sweep.
    parts: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", tuple(_PLACEHOLDER.split(self.key)))

    @property
    def is_pattern(self) -> bool:
        return _PLACEHOLDER.search(self.key) is not None

    @property
    def prefix(self) -> str:
        """The key up to its first placeholder: what every key of the family starts with."""
        return _PLACEHOLDER.split(self.key, maxsplit=1)[0]

    def at(self, *values: str) -> tuple[str, str]:
        """Where a price book keeps this price: `EC2_INSTANCE.at("m6i.large")` is (AmazonEC2, BoxUsage:m6i.large)."""
        parts = self.parts
        if len(parts) == 1 and not values:
            return (self.service_code, self.key)
        if len(values) != len(parts) - 1:
            raise ValueError(f"{self.key} takes {len(parts) - 1} value(s), not {len(values)}")
        key = parts[0] + "".join(value + part for value, part in zip(values, parts[1:], strict=True))
        return (self.service_code, key)

    def matches(self, service_code: str, key: str) -> bool:
        return service_code == self.service_code and _pattern(self.key).fullmatch(key) is not None


@cache
def _pattern(key: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(key)
    return re.compile("[^:]+".join(re.escape(part) for part in parts))


# EC2: instances (ECS on EC2 and Elastic Beanstalk) and their EBS volumes.
EC2_INSTANCE = PriceKey(
    "AmazonEC2",
    "BoxUsage:<instance type>",
    "Hrs",
    "EC2 instance hour, On-Demand Linux, shared tenancy",
    EC2_OPTIONS,
    savings_plans=True,
    on_service_page=False,
)
EC2_SPOT_INSTANCE = PriceKey(
    "AmazonEC2",
    "SpotUsage:<instance type>",
    "Hrs",
    "EC2 Spot instance hour, Linux (Spot prices are not in the Price List)",
    EC2_OPTIONS,
    source=CARRIED,
    on_service_page=False,
)
# The Spot Instance Advisor's average saving of a Linux type against On-Demand in the region, in percent (the
# row's usd holds the figure), with its interruption band in the row's attributes (`interruption_band`) and
# the day the feed was read (`read_on`). Where a snapshot has no Spot rate for a type, the engine derives one
# from it; without it, from the engine's bundled copy of the feed (`engine/data/ec2-spot-advisor.csv`).
EC2_SPOT_SAVING = PriceKey(
    SPOT_ADVISOR_SERVICE,
    "SpotSaving:<instance type>",
    "Percent",
    "EC2 Spot Instance Advisor: a Linux type's average Spot saving against On-Demand, in percent",
    EC2_OPTIONS,
    source=SPOT_ADVISOR,
    on_service_page=False,
)
# Surplus CPU credits of a T-family instance in unlimited mode (T2, T3, T3a, T4g), per vCPU-hour, by family and
# OS. A Price List "CPU Credits" product names the family in its usage type (`CPUCredits:t3`) and the OS in its
# operatingSystem attribute; the stored key is both (`CPUCredits:t3:Linux`). No bill reads it yet.
EC2_CPU_CREDITS = PriceKey(
    "AmazonEC2",
    "CPUCredits:<family>:<os>",
    "vCPU-Hours",
    "EC2 surplus CPU credits (T-family unlimited mode), per vCPU-hour",
    EC2_OPTIONS,
)
EC2_CPU_CREDIT_OS = ("Linux", "Windows")  # the operatingSystem values a refresh keeps
EBS_GP3 = PriceKey("AmazonEC2", "EBS:VolumeUsage.gp3", "GB-Mo", "EBS gp3 storage", EC2_OPTIONS, required=True)
EBS_GP2 = PriceKey("AmazonEC2", "EBS:VolumeUsage.gp2", "GB-Mo", "EBS gp2 storage", EC2_OPTIONS)
EBS_GP3_IOPS = PriceKey(
    "AmazonEC2", "EBS:VolumeP-IOPS.gp3", "IOPS-Mo", "EBS gp3 IOPS above the free 3,000", EC2_OPTIONS
)
EBS_GP3_THROUGHPUT = PriceKey(
    "AmazonEC2", "EBS:VolumeP-Throughput.gp3", "GiBps-Mo", "EBS gp3 throughput above the free 125 MiB/s", EC2_OPTIONS
)
EBS_STORAGE = {"gp3": EBS_GP3, "gp2": EBS_GP2}

# Fargate (ECS on Fargate and ECS Express Mode). ECS Express Mode runs Linux tasks only, on-demand.
FARGATE_VCPU = PriceKey(
    "AmazonECS",
    "Fargate-vCPU-Hours:perCPU",
    "vCPU-Hours",
    "Fargate vCPU, Linux/x86",
    (FARGATE, ECS_EXPRESS),
    required=True,
    savings_plans=True,
)
FARGATE_MEMORY = PriceKey(
    "AmazonECS",
    "Fargate-GB-Hours",
    "GB-Hours",
    "Fargate memory, Linux/x86",
    (FARGATE, ECS_EXPRESS),
    required=True,
    savings_plans=True,
)
FARGATE_ARM_VCPU = PriceKey(
    "AmazonECS",
    "Fargate-ARM-vCPU-Hours:perCPU",
    "vCPU-Hours",
    "Fargate vCPU, Linux/ARM",
    (FARGATE, ECS_EXPRESS),
    savings_plans=True,
)
FARGATE_ARM_MEMORY = PriceKey(
    "AmazonECS",
    "Fargate-ARM-GB-Hours",
    "GB-Hours",
    "Fargate memory, Linux/ARM",
    (FARGATE, ECS_EXPRESS),
    savings_plans=True,
)
FARGATE_WINDOWS_VCPU = PriceKey(
    "AmazonECS",
    "Fargate-Windows-vCPU-Hours:perCPU",
    "vCPU-Hours",
    "Fargate vCPU, Windows/x86",
    (FARGATE,),
    savings_plans=True,
)
FARGATE_WINDOWS_MEMORY = PriceKey(
    "AmazonECS", "Fargate-Windows-GB-Hours", "GB-Hours", "Fargate memory, Windows/x86", (FARGATE,), savings_plans=True
)
FARGATE_WINDOWS_OS = PriceKey(
    "AmazonECS", "Fargate-Windows-OS-Hours:perCPU", "vCPU-Hours", "Fargate Windows OS licence, per vCPU", (FARGATE,)
)
FARGATE_EPHEMERAL_STORAGE = PriceKey(
    "AmazonECS",
    "Fargate-EphemeralStorage-GB-Hours",
    "GB-Hours",
    "Fargate ephemeral storage above the free 20 GB",
    (FARGATE, ECS_EXPRESS),
)
# Fargate Spot rates come from AWS's Fargate pricing page, not the Price List.
FARGATE_SPOT_VCPU = PriceKey(
    "AmazonECS",
    "SpotUsage-Fargate-vCPU-Hours:perCPU",
    "vCPU-Hours",
    "Fargate Spot vCPU, Linux/x86",
    (FARGATE,),
    source=CARRIED,
)
FARGATE_SPOT_MEMORY = PriceKey(
    "AmazonECS", "SpotUsage-Fargate-GB-Hours", "GB-Hours", "Fargate Spot memory, Linux/x86", (FARGATE,), source=CARRIED
)
FARGATE_SPOT_ARM_VCPU = PriceKey(
    "AmazonECS",
    "SpotUsage-Fargate-ARM-vCPU-Hours:perCPU",
    "vCPU-Hours",
    "Fargate Spot vCPU, Linux/ARM",
    (FARGATE,),
    source=CARRIED,
)
FARGATE_SPOT_ARM_MEMORY = PriceKey(
    "AmazonECS",
    "SpotUsage-Fargate-ARM-GB-Hours",
    "GB-Hours",
    "Fargate Spot memory, Linux/ARM",
    (FARGATE,),
    source=CARRIED,
)

# App Runner.
APP_RUNNER_VCPU = PriceKey(
    "AWSAppRunner", "AppRunner-vCPU-hours", "vCPU-Hours", "App Runner active instance vCPU", (APP_RUNNER,)
)
APP_RUNNER_MEMORY = PriceKey(
    "AWSAppRunner", "AppRunner-GB-hours", "GB-Hours", "App Runner active instance memory", (APP_RUNNER,)
)
APP_RUNNER_PROVISIONED_MEMORY = PriceKey(
    "AWSAppRunner",
    "AppRunner-Provisioned-GB-hours",
    "GB-Hours",
    "App Runner provisioned (idle) instance memory",
    (APP_RUNNER,),
)
APP_RUNNER_AUTOMATIC_DEPLOYMENTS = PriceKey(
    "AWSAppRunner",
    "AppRunner-AutomaticDeployment",
    "Apps-Mo",
    "App Runner automatic deployments, per application",
    (APP_RUNNER,),
)
APP_RUNNER_BUILD_MINUTES = PriceKey(
    "AWSAppRunner", "AppRunner-BuildMinutes", "Minutes", "App Runner build minutes", (APP_RUNNER,)
)

# Lightsail: monthly plan prices from AWS's Lightsail pages (the Price List gives them only by the hour).
LIGHTSAIL_BUNDLE = PriceKey(
    "AmazonLightsail",
    "Bundle:<bundle id>",
    "Mo",
    "Lightsail instance bundle, per month",
    (LIGHTSAIL_INSTANCE,),
    source=CARRIED,
    on_service_page=False,
)
LIGHTSAIL_CONTAINER_POWER = PriceKey(
    "AmazonLightsail",
    "ContainerPower:<power>",
    "Mo",
    "Lightsail container service node, per month",
    (LIGHTSAIL_CONTAINER,),
    source=CARRIED,
    on_service_page=False,
)
LIGHTSAIL_TRANSFER_OVERAGE = PriceKey(
    "AmazonLightsail",
    "DataTransfer-Out-Overage",
    "GB",
    "Lightsail data transfer out above the plan allowance",
    (LIGHTSAIL_INSTANCE, LIGHTSAIL_CONTAINER),
    source=CARRIED,
)
LIGHTSAIL_LOAD_BALANCER = PriceKey(
    "AmazonLightsail", "LoadBalancer", "Mo", "Lightsail load balancer, per month", (LIGHTSAIL_INSTANCE,), source=CARRIED
)

# Elastic Load Balancing: the stored key names the kind (ALB, NLB) before the Price List's usage type.
ALB_HOURS = PriceKey(
    "AWSELB", "ALB:LoadBalancerUsage", "Hrs", "Application Load Balancer hour", LOAD_BALANCED, required=True
)
ALB_CAPACITY_UNITS = PriceKey(
    "AWSELB", "ALB:LCUUsage", "LCU-Hrs", "Application Load Balancer capacity unit-hour", LOAD_BALANCED
)
NLB_HOURS = PriceKey(
    "AWSELB", "NLB:LoadBalancerUsage", "Hrs", "Network Load Balancer hour", (ECS_EC2, FARGATE, BEANSTALK)
)
NLB_CAPACITY_UNITS = PriceKey(
    "AWSELB", "NLB:LCUUsage", "NLCU-Hrs", "Network Load Balancer capacity unit-hour", (ECS_EC2, FARGATE, BEANSTALK)
)
LOAD_BALANCER_HOURS = {"alb": ALB_HOURS, "nlb": NLB_HOURS}
LOAD_BALANCER_CAPACITY_UNITS = {"alb": ALB_CAPACITY_UNITS, "nlb": NLB_CAPACITY_UNITS}

# Public IPv4 addresses.
PUBLIC_IPV4_IN_USE = PriceKey(
    "AmazonVPC", "PublicIPv4:InUseAddress", "Hrs", "Public IPv4 address in use", LOAD_BALANCED
)
PUBLIC_IPV4_IDLE = PriceKey(
    "AmazonVPC",
    "PublicIPv4:IdleAddress",
    "Hrs",
    "Public IPv4 address held but idle (the engine prices every address as in use)",
    LOAD_BALANCED,
    reference_only=True,
)

# Data transfer out to the internet, in AWS's monthly tiers. The tier `free` is the monthly allowance.
TRANSFER_OUT = PriceKey(
    "AWSDataTransfer",
    "DataTransfer-Out-Bytes:<tier>",
    "GB",
    "Data transfer out to the internet, per tier (the free allowance, 0-10TB, ...)",
    (*LOAD_BALANCED, APP_RUNNER),
)
TRANSFER_OUT_FREE_TIER = "free"

# What starts scheduled runs.
STEP_FUNCTIONS_TRANSITIONS = PriceKey(
    "AWSStepFunctions",
    "StateTransitions",
    "1K-Transitions",
    "Step Functions Standard Workflows state transitions, per 1,000",
    SCHEDULED_RUNS,
    source=CARRIED,
)
EVENTBRIDGE_SCHEDULER_INVOCATIONS = PriceKey(
    "AmazonEventBridge",
    "Scheduler-Invocations",
    "1M-Invocations",
    "EventBridge Scheduler invocations, per million",
    SCHEDULED_RUNS,
    source=CARRIED,
)

# What surrounds the compute ("The whole bill"): NAT gateways, interface VPC endpoints, CloudWatch Logs, ECR
# storage, transfer between Availability Zones, ECS Anywhere. No bill reads them yet (`reference_only`): the
# engine bills them next. ECS Anywhere has no option code of its own yet, so it is listed under ECS on EC2.
# NAT gateways stay in the AmazonEC2 offer (product family "NAT Gateway"); the offer's `RegionalNatGateway-*`
# and `NatGateway-Prvd-*` products are other things.
NAT_GATEWAY_HOURS = PriceKey(
    "AmazonEC2", "NatGateway-Hours", "Hrs", "NAT gateway hour", LOAD_BALANCED, reference_only=True
)
NAT_GATEWAY_BYTES = PriceKey(
    "AmazonEC2", "NatGateway-Bytes", "GB", "NAT gateway data processed", LOAD_BALANCED, reference_only=True
)
# An interface endpoint bills each hour in each Availability Zone it is in (AWS PrivateLink pricing); the data
# it processes is tiered by the month's total over every interface endpoint in the region.
VPC_ENDPOINT_HOURS = PriceKey(
    "AmazonVPC",
    "VpcEndpoint-Hours",
    "Hrs",
    "Interface VPC endpoint (PrivateLink), per endpoint per Availability Zone hour",
    LOAD_BALANCED,
    reference_only=True,
)
VPC_ENDPOINT_BYTES = PriceKey(
    "AmazonVPC",
    "VpcEndpoint-Bytes:<tier>",
    "GB",
    "Interface VPC endpoint data processed, per tier (0-1PB, 1-5PB, 5PB-plus a month)",
    LOAD_BALANCED,
    reference_only=True,
)
VPC_ENDPOINT_BYTES_TIERS = {
    ("0", "1048576"): "0-1PB",
    ("1048576", "5242880"): "1-5PB",
    ("5242880", "Inf"): "5PB-plus",
}
CLOUDWATCH_LOGS_INGESTION = PriceKey(
    "AmazonCloudWatch",
    "DataProcessing-Bytes",
    "GB",
    "CloudWatch Logs ingestion, Standard log class",
    (*LOAD_BALANCED, APP_RUNNER),
    reference_only=True,
)
CLOUDWATCH_LOGS_IA_INGESTION = PriceKey(
    "AmazonCloudWatch",
    "DataProcessingIA-Bytes",
    "GB",
    "CloudWatch Logs ingestion, Infrequent Access log class",
    LOAD_BALANCED,
    reference_only=True,
)
CLOUDWATCH_LOGS_STORAGE = PriceKey(
    "AmazonCloudWatch",
    "TimedStorage-ByteHrs",
    "GB-Mo",
    "CloudWatch Logs archived storage, Standard log class",
    (*LOAD_BALANCED, APP_RUNNER),
    reference_only=True,
)
ECR_STORAGE = PriceKey(
    "AmazonECR",
    "TimedStorage-ByteHrs",
    "GB-Mo",
    "ECR private repository storage",
    (*LOAD_BALANCED, APP_RUNNER),
    reference_only=True,
)
# AWSDataTransfer, transferType "IntraRegion": charged in each direction.
TRANSFER_INTER_AZ = PriceKey(
    "AWSDataTransfer",
    "DataTransfer-Regional-Bytes",
    "GB",
    "Data transfer between Availability Zones in the region, per GB in each direction",
    (ECS_EC2, FARGATE, BEANSTALK, ECS_EXPRESS),
    reference_only=True,
)
ECS_ANYWHERE_INSTANCE_HOURS = PriceKey(
    "AmazonECS",
    "ECS-Anywhere-Instance-hours",
    "Hrs",
    "ECS Anywhere registered external instance hour",
    (ECS_EC2,),
    reference_only=True,
)
# The same with the free tier: its first 2,200 instance-hours a month at $0, the rest at the rate above.
ECS_ANYWHERE_INSTANCE_HOURS_WITH_FREE = PriceKey(
    "AmazonECS",
    "ECS-Anywhere-Instance-hours-WithFree:<tier>",
    "Hrs",
    "ECS Anywhere instance hour with the free tier, per tier (free, 2200-plus)",
    (ECS_EC2,),
    reference_only=True,
)
ECS_ANYWHERE_WITH_FREE_TIERS = {("0", "2200"): "free", ("2200", "Inf"): "2200-plus"}
# Priced tiers of one Price List item, by the item's stored key family.
TIERED = {
    VPC_ENDPOINT_BYTES: VPC_ENDPOINT_BYTES_TIERS,
    ECS_ANYWHERE_INSTANCE_HOURS_WITH_FREE: ECS_ANYWHERE_WITH_FREE_TIERS,
}
AROUND_THE_COMPUTE = (
    NAT_GATEWAY_HOURS,
    NAT_GATEWAY_BYTES,
    VPC_ENDPOINT_HOURS,
    VPC_ENDPOINT_BYTES,
    CLOUDWATCH_LOGS_INGESTION,
    CLOUDWATCH_LOGS_IA_INGESTION,
    CLOUDWATCH_LOGS_STORAGE,
    ECR_STORAGE,
    TRANSFER_INTER_AZ,
    ECS_ANYWHERE_INSTANCE_HOURS,
    ECS_ANYWHERE_INSTANCE_HOURS_WITH_FREE,
)

_DECLARED = (
    EC2_INSTANCE,
    EC2_SPOT_INSTANCE,
    EC2_SPOT_SAVING,
    EC2_CPU_CREDITS,
    EBS_GP3,
    EBS_GP2,
    EBS_GP3_IOPS,
    EBS_GP3_THROUGHPUT,
    FARGATE_VCPU,
    FARGATE_MEMORY,
    FARGATE_ARM_VCPU,
    FARGATE_ARM_MEMORY,
    FARGATE_WINDOWS_VCPU,
    FARGATE_WINDOWS_MEMORY,
    FARGATE_WINDOWS_OS,
    FARGATE_EPHEMERAL_STORAGE,
    FARGATE_SPOT_VCPU,
    FARGATE_SPOT_MEMORY,
    FARGATE_SPOT_ARM_VCPU,
    FARGATE_SPOT_ARM_MEMORY,
    APP_RUNNER_VCPU,
    APP_RUNNER_MEMORY,
    APP_RUNNER_PROVISIONED_MEMORY,
    APP_RUNNER_AUTOMATIC_DEPLOYMENTS,
    APP_RUNNER_BUILD_MINUTES,
    LIGHTSAIL_BUNDLE,
    LIGHTSAIL_CONTAINER_POWER,
    LIGHTSAIL_TRANSFER_OVERAGE,
    LIGHTSAIL_LOAD_BALANCER,
    ALB_HOURS,
    ALB_CAPACITY_UNITS,
    NLB_HOURS,
    NLB_CAPACITY_UNITS,
    PUBLIC_IPV4_IN_USE,
    PUBLIC_IPV4_IDLE,
    TRANSFER_OUT,
    STEP_FUNCTIONS_TRANSITIONS,
    EVENTBRIDGE_SCHEDULER_INVOCATIONS,
    *AROUND_THE_COMPUTE,
)

# The options that Compute Savings Plans cover (the others refuse a Savings Plans scenario).
SAVINGS_PLAN_OPTIONS = (ECS_EC2, FARGATE, BEANSTALK, ECS_EXPRESS)


def savings_plan_rate(term: str, service_code: str, key: str) -> tuple[str, str]:
    """Where the Compute Savings Plans rate (No Upfront) that discounts `service_code` `key` lives."""
    return (SAVINGS_PLANS_SERVICE, f"{term}:{service_code}:{key}")


def _savings_plan_entry(discounted: PriceKey) -> PriceKey:
    return PriceKey(
        SAVINGS_PLANS_SERVICE,
        f"<term>:{discounted.service_code}:{discounted.key}",
        discounted.unit,
        f"Compute Savings Plan rate, No Upfront (1y or 3y): {discounted.description}",
        tuple(o for o in discounted.options if o in SAVINGS_PLAN_OPTIONS),
        on_service_page=False,
    )


# Every entry: the declared ones, then the Savings Plans rate of each price they discount.
PRICE_KEYS: tuple[PriceKey, ...] = _DECLARED + tuple(_savings_plan_entry(k) for k in _DECLARED if k.savings_plans)


def discounted_by_savings_plans(service_code: str, key: str) -> PriceKey | None:
    """The declared price a Savings Plans rate for `service_code` `key` would discount, if the engine uses one."""
    return next((k for k in _DECLARED if k.savings_plans and k.matches(service_code, key)), None)


def find(service_code: str, key: str) -> PriceKey | None:
    """The entry that declares `service_code` `key`, or None when the engine never asks for it."""
    return next((k for k in PRICE_KEYS if k.matches(service_code, key)), None)


def for_option(option: str) -> tuple[PriceKey, ...]:
    return tuple(k for k in PRICE_KEYS if option in k.options)


def required() -> tuple[tuple[str, str], ...]:
    return tuple(k.at() for k in PRICE_KEYS if k.required)
