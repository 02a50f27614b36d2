"""How many ECS tasks fit on one EC2 instance, and the cheapest instance type for a fleet of tasks.

A task fits by CPU units (1,024 per vCPU), by the memory the ECS agent registers for the instance
(less than its nominal memory: the kernel and platform keep some) and, with awsvpc networking, by
network interfaces: each task takes one, the instance's primary interface is not available, and
ENI trunking raises the limit on the types AWS lists for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from functools import cache

from compute_advisor.engine.reference import InstanceType

# Memory a machine keeps from its containers, the same on every option that runs them on a machine (ECS on
# EC2, Elastic Beanstalk, Lightsail instances):
# - the kernel and platform: the ECS agent registers MemTotal as the operating system reports it, below the
#   nominal memory (AWS's own figures are 7,985 of 8,192 MiB for an m4.large, 2.5 % less, and 3,767 of
#   4,096 MiB for a 4 GiB instance, 8 % less). No table exists for every type, so 5 % is kept back, the
#   buffer AWS Batch's user guide recommends;
# - the operating system's own processes and the agents (Docker, the ECS agent, Beanstalk's): 256 MiB on
#   Linux, the reservation of AWS's ECS_RESERVED_MEMORY example ("Reserving Amazon ECS Linux container
#   instance memory"; ECS on EC2's reserved_memory_mib setting, 256 unless set), and 2 GiB on Windows
#   Server, Microsoft's minimum memory for Windows Server with Desktop Experience.
MEMORY_OVERHEAD = Decimal("0.05")
SYSTEM_RESERVED_MIB = {"linux": 256, "windows": 2048}


@dataclass(frozen=True)
class TaskShape:
    cpu_units: int
    memory_mib: int

    @classmethod
    def of(cls, vcpu: Decimal, memory_gib: Decimal) -> TaskShape:
        return cls(
            cpu_units=int((vcpu * 1024).to_integral_value(rounding=ROUND_CEILING)),
            memory_mib=int((memory_gib * 1024).to_integral_value(rounding=ROUND_CEILING)),
        )


@dataclass(frozen=True)
class Fit:
    instance_type: InstanceType
    tasks_per_instance: int
    limited_by: str
    registered_memory_mib: int


@cache
def usable_memory_mib(memory_mib: int | Decimal, *, reserved_mib: int) -> int:
    """What containers may use of a machine's nominal memory (see MEMORY_OVERHEAD); a function of two
    integers, worked out once for each (every type is measured for every packing)."""
    usable = (Decimal(memory_mib) * (1 - MEMORY_OVERHEAD)).to_integral_value(rounding=ROUND_FLOOR)
    return int(usable) - reserved_mib


def registered_memory_mib(instance: InstanceType, *, reserved_mib: int = 0) -> int:
    assert instance.memory_mib is not None
    return usable_memory_mib(instance.memory_mib, reserved_mib=reserved_mib)


def awsvpc_task_limit(
    instance: InstanceType, *, trunking: bool, trunking_table: dict[str, tuple[int, int]]
) -> int | None:
    published = trunking_table.get(instance.name)
    without = published[0] if published else (instance.max_enis - 1 if instance.max_enis else None)
    if without is None:
        return None
    if trunking and published and not instance.burstable:
        # Trunking never lowers the limit (AWS's table has a few rows where it would).
        return max(without, published[1])
    return without


def fit(
    instance: InstanceType,
    task: TaskShape,
    *,
    network_mode: str = "awsvpc",
    trunking: bool = False,
    trunking_table: dict[str, tuple[int, int]] | None = None,
    reserved_mib: int = 0,
) -> Fit | None:
    """Tasks of `task` shape per instance of this type, or None when not even one fits."""
    if instance.vcpu is None or instance.memory_mib is None:
        return None
    memory = registered_memory_mib(instance, reserved_mib=reserved_mib)
    limits = {
        "vCPU": instance.vcpu * 1024 // task.cpu_units,
        "memory": memory // task.memory_mib if memory > 0 else 0,
    }
    if network_mode == "awsvpc":
        eni = awsvpc_task_limit(instance, trunking=trunking, trunking_table=trunking_table or {})
        if eni is None:
            return None
        limits["network interfaces"] = eni
    limited_by = min(limits, key=lambda name: limits[name])
    count = limits[limited_by]
    if count < 1:
        return None
    return Fit(instance_type=instance, tasks_per_instance=count, limited_by=limited_by, registered_memory_mib=memory)


def instances_for(tasks: int, fit: Fit) -> int:
    return -(-tasks // fit.tasks_per_instance)
