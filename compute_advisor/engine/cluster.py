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
        memory = self.memory_mib
        count = min(self.cpu_units // group.cpu_units, memory // group.memory_mib if memory > 0 else 0, self.tasks)
        if self.baseline_vcpu is not None and group.use_vcpu > 0:
            count = min(count, int(self.baseline_vcpu / group.use_vcpu))
        return count if count > 0 else 0


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
    # Nor is it tried when first fit decreasing already runs the fewest instances any packing can: it could
    # only tie, and a tie keeps first fit decreasing.
    if len(decreasing) <= lower_bound(needs_of(counts, groups), machine):
        return decreasing
    balanced = pack_balanced(counts, groups, machine)
    return balanced if balanced is not None and len(balanced) < len(decreasing) else decreasing


BALANCED_TASKS = 2000


def pack_decreasing(counts: Sequence[int], groups: Sequence[TaskGroup], machine: Machine) -> list[list[int]] | None:
    """The instances first fit decreasing opens for `counts[i]` tasks of each group: for each, the tasks of
    each group it holds. None when a task fits no instance of the type."""
    boxes: list[_Open] = []
    open_boxes: list[_Open] = []  # in the same order, those that may still take a task
    for index in order(groups, machine):
        left, group = counts[index], groups[index]
        full = False
        for box in open_boxes:
            if not left:
                break
            if box.tasks < 1:
                full = True
                continue
            if box.baseline is None and (box.cpu < group.cpu_units or box.memory < group.memory_mib):
                continue  # no room (said without the division)
            placed = min(box.room(group), left)
            if placed:
                box.place(index, group, placed)
                left -= placed
                full = full or box.tasks < 1
        per = machine.holds(group)
        if left and per < 1:
            return None
        while left > 0:
            box = _Open(machine.cpu_units, machine.memory_mib, machine.tasks, machine.baseline_vcpu, [0] * len(groups))
            placed = min(per, left)
            box.place(index, group, placed)
            boxes.append(box)
            open_boxes.append(box)
            full = full or box.tasks < 1
            left -= placed
        if full:  # an instance at its task limit takes no other task: first fit need not look at it again
            open_boxes = [box for box in open_boxes if box.tasks > 0]
    return [box.held for box in boxes]


def pack_balanced(counts: Sequence[int], groups: Sequence[TaskGroup], machine: Machine) -> list[list[int]] | None:
    """Instance by instance: each next task is the one, of those that still fit, whose CPU and memory line up
    best with what the instance has left (the dot product of the two, as shares of an empty instance), so a
    CPU-heavy and a memory-heavy service fill each other's gaps. None when a task fits no instance."""
    left = list(counts)
    if any(c and machine.holds(g) < 1 for c, g in zip(left, groups, strict=True)):
        return None
    if machine.baseline_vcpu is None:
        return _balanced_by_size(left, groups, machine)
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


@dataclass
class _Size:
    """The groups of one task size, which a machine without a CPU baseline cannot tell apart (the same room,
    the same score): the first of them with tasks left is the one the balanced fill takes."""

    cpu_units: int
    memory_mib: int
    cpu_share: float  # of an empty instance, as pack_balanced scores it
    memory_share: float
    members: list[int]  # group indexes, in order, of those with tasks left
    current: int  # the first of them (-1: none left)

    def took(self, left: list[int]) -> None:
        """After tasks of `current` were placed: move on past the groups with none left."""
        while self.current >= 0 and not left[self.current]:
            self.members.pop(0)
            self.current = self.members[0] if self.members else -1


def _balanced_by_size(left: list[int], groups: Sequence[TaskGroup], machine: Machine) -> list[list[int]]:
    """pack_balanced on a machine without a CPU baseline, where a task's room and score depend on its size
    alone: the same choices, task by task, made among the task sizes rather than the groups (the highest
    score, and of equal scores the group listed first), and a run of tasks placed at once when a single size
    still fits (it stays the only choice until the instance is full or its tasks are placed)."""
    cpu_scale, memory_scale = machine.cpu_units, max(machine.memory_mib, 1)
    by_size: dict[tuple[int, int], list[int]] = {}
    for index, group in enumerate(groups):
        if left[index]:
            by_size.setdefault((group.cpu_units, group.memory_mib), []).append(index)
    sizes = [
        _Size(cpu, memory, cpu / cpu_scale, memory / memory_scale, members, members[0])
        for (cpu, memory), members in by_size.items()
    ]
    boxes: list[list[int]] = []
    while sizes:
        cpu, memory, tasks = machine.cpu_units, machine.memory_mib, machine.tasks
        held = [0] * len(groups)
        # A size that stops fitting never fits again in this instance: what it has left only shrinks.
        fitting = sizes
        while tasks > 0:
            fitting = [z for z in fitting if z.current >= 0 and z.cpu_units <= cpu and z.memory_mib <= memory]
            if len(fitting) > 1:
                cpu_left, memory_left = cpu / cpu_scale, memory / memory_scale
                best, best_score = fitting[0], -1.0
                for size in fitting:
                    score = size.cpu_share * cpu_left + size.memory_share * memory_left
                    if score > best_score or (score == best_score and size.current < best.current):
                        best, best_score = size, score
                placed = 1
            elif fitting:
                best = fitting[0]
                placed = min(cpu // best.cpu_units, memory // best.memory_mib, tasks, left[best.current])
            else:
                break
            index = best.current
            held[index] += placed
            left[index] -= placed
            cpu -= placed * best.cpu_units
            memory -= placed * best.memory_mib
            tasks -= placed
            best.took(left)
        boxes.append(held)
        sizes = [z for z in sizes if z.current >= 0]
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
    memory = machine.memory_mib
    bound = max(
        -(-needs.cpu_units // machine.cpu_units),
        -(-needs.memory_mib // (memory if memory > 1 else 1)),
        -(-needs.tasks // machine.tasks),
    )
    if machine.baseline_vcpu:
        bound = max(bound, int(-(-needs.use_vcpu // machine.baseline_vcpu)))
    return bound
