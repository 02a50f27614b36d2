"""Several services' tasks packed together onto one cluster's instances: heterogeneous bin packing by CPU,
memory, network interfaces and (on burstable types) the CPU the instance sustains.

Two heuristics, and the fewer instances of the two (`pack`): first fit decreasing places the services' tasks
largest first (by the larger of their shares of an instance's CPU and memory), each into the first instance
with room on every count; the balanced fill fills one instance at a time with the task that best matches
what it has left, so CPU-heavy and memory-heavy services share instances. Neither is always optimal (the
problem is NP-hard); ECS's binpack placement fills instances in the same spirit. A service of two or more tasks is
also spread over min(zones, its tasks) instances (capacity.zones_for), so a cluster runs at least as many
instances as its most spread service needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from compute_advisor.engine.money import ZERO


@dataclass(frozen=True)
class TaskGroup:
    """One service's tasks as the packing sees them."""

    name: str
    cpu_units: int
    memory_mib: int
    use_vcpu: Decimal  # the CPU a task keeps busy on average (against a burstable type's baseline)


@dataclass(frozen=True)
class Machine:
    """What one instance of a type offers tasks."""

    cpu_units: int
    memory_mib: int
    tasks: int  # task limit by network interfaces (awsvpc), or a large number
    baseline_vcpu: Decimal | None  # the CPU a burstable type sustains (None: all of it)

    def holds(self, group: TaskGroup) -> int:
        """Tasks of `group` an empty instance holds."""
        return _room(self.cpu_units, self.memory_mib, self.tasks, self.baseline_vcpu, group)


def _room(cpu: int, memory: int, tasks: int, baseline: Decimal | None, group: TaskGroup) -> int:
    count = min(cpu // group.cpu_units, memory // group.memory_mib if memory > 0 else 0, tasks)
    if baseline is not None and group.use_vcpu > 0:
        count = min(count, int(baseline / group.use_vcpu))
    return max(count, 0)


def order(groups: Sequence[TaskGroup], machine: Machine) -> list[int]:
    """The groups' indexes, largest task first."""
    return sorted(
        range(len(groups)),
        key=lambda i: (
            -max(groups[i].cpu_units / machine.cpu_units, groups[i].memory_mib / max(machine.memory_mib, 1)),
            groups[i].name,
        ),
    )


@dataclass
class _Open:
    """An instance being filled: what it has left, and how many tasks of each group it holds."""

    cpu: int
    memory: int
    tasks: int
    baseline: Decimal | None
    held: list[int]

    def room(self, group: TaskGroup) -> int:
        return _room(self.cpu, self.memory, self.tasks, self.baseline, group)

    def place(self, index: int, group: TaskGroup, count: int) -> None:
        self.cpu -= count * group.cpu_units
        self.memory -= count * group.memory_mib
        self.tasks -= count
        if self.baseline is not None:
            self.baseline -= count * group.use_vcpu
        self.held[index] += count


def pack(counts: Sequence[int], groups: Sequence[TaskGroup], machine: Machine) -> list[list[int]] | None:
    """The fewer instances of two heuristics (first fit decreasing, and filling each instance with the tasks
    that balance it): for each instance, the tasks of each group it holds. None when a task fits no instance."""
    decreasing = pack_decreasing(counts, groups, machine)
    if decreasing is None or len(groups) == 1:
        return decreasing
    # The balanced fill places one task at a time: kept to clusters of a size it handles in a blink.
    if sum(counts) > BALANCED_TASKS:
        return decreasing
    balanced = pack_balanced(counts, groups, machine)
    return balanced if balanced is not None and len(balanced) < len(decreasing) else decreasing


BALANCED_TASKS = 2000


def pack_decreasing(counts: Sequence[int], groups: Sequence[TaskGroup], machine: Machine) -> list[list[int]] | None:
    """The instances first fit decreasing opens for `counts[i]` tasks of each group: for each, the tasks of
    each group it holds. None when a task fits no instance of the type."""
    boxes: list[_Open] = []
    for index in order(groups, machine):
        left, group = counts[index], groups[index]
        for box in boxes:
            if not left:
                break
            placed = min(box.room(group), left)
            if placed:
                box.place(index, group, placed)
                left -= placed
        per = machine.holds(group)
        if left and per < 1:
            return None
        while left > 0:
            box = _Open(machine.cpu_units, machine.memory_mib, machine.tasks, machine.baseline_vcpu, [0] * len(groups))
            placed = min(per, left)
            box.place(index, group, placed)
            boxes.append(box)
            left -= placed
    return [box.held for box in boxes]


def pack_balanced(counts: Sequence[int], groups: Sequence[TaskGroup], machine: Machine) -> list[list[int]] | None:
    """Instance by instance: each next task is the one, of those that still fit, whose CPU and memory line up
    best with what the instance has left (the dot product of the two, as shares of an empty instance), so a
    CPU-heavy and a memory-heavy service fill each other's gaps. None when a task fits no instance."""
    left = list(counts)
    if any(c and machine.holds(g) < 1 for c, g in zip(left, groups, strict=True)):
        return None
    cpu_scale, memory_scale = machine.cpu_units, max(machine.memory_mib, 1)
    boxes: list[list[int]] = []
    while any(left):
        box = _Open(machine.cpu_units, machine.memory_mib, machine.tasks, machine.baseline_vcpu, [0] * len(groups))
        while True:
            best, best_score = -1, -1.0
            for index, group in enumerate(groups):
                if left[index] and box.room(group):
                    score = (group.cpu_units / cpu_scale) * (box.cpu / cpu_scale) + (
                        group.memory_mib / memory_scale
                    ) * (box.memory / memory_scale)
                    if score > best_score:
                        best, best_score = index, score
            if best < 0:
                break
            box.place(best, groups[best], 1)
            left[best] -= 1
        boxes.append(box.held)
    return boxes


@dataclass(frozen=True)
class Needs:
    """What an hour's tasks need in all: CPU units, MiB, tasks and the CPU they keep busy."""

    cpu_units: int
    memory_mib: int
    tasks: int
    use_vcpu: Decimal


def needs_of(counts: Sequence[int], groups: Sequence[TaskGroup]) -> Needs:
    return Needs(
        cpu_units=sum(c * g.cpu_units for c, g in zip(counts, groups, strict=True)),
        memory_mib=sum(c * g.memory_mib for c, g in zip(counts, groups, strict=True)),
        tasks=sum(counts),
        use_vcpu=sum((c * g.use_vcpu for c, g in zip(counts, groups, strict=True)), ZERO),
    )


def lower_bound(needs: Needs, machine: Machine) -> int:
    """The fewest instances any packing needs, by each count alone."""
    bound = max(
        -(-needs.cpu_units // machine.cpu_units),
        -(-needs.memory_mib // max(machine.memory_mib, 1)),
        -(-needs.tasks // machine.tasks),
    )
    if machine.baseline_vcpu:
        bound = max(bound, int(-(-needs.use_vcpu // machine.baseline_vcpu)))
    return bound
