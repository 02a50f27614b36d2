"""Packing several services' tasks onto one cluster's instances: the fast fills make exactly the choices of the
heuristics stated plainly, task by task and instance by instance (the rules below, as engine.cluster's
docstrings say them)."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compute_advisor.engine.cluster import (
    Machine,
    TaskGroup,
    lower_bound,
    needs_of,
    pack,
    pack_balanced,
    pack_decreasing,
)


def room(cpu, memory, tasks, baseline, group):
    count = min(cpu // group.cpu_units, memory // group.memory_mib if memory > 0 else 0, tasks)
    if baseline is not None and group.use_vcpu > 0:
        count = min(count, int(baseline / group.use_vcpu))
    return max(count, 0)


def plain_decreasing(counts, groups, machine):
    """First fit decreasing: largest task first, each into the first instance with room on every count."""
    order = sorted(
        range(len(groups)),
        key=lambda i: (
            -max(groups[i].cpu_units / machine.cpu_units, groups[i].memory_mib / max(machine.memory_mib, 1)),
            groups[i].name,
        ),
    )
    boxes = []  # [cpu, memory, tasks, baseline, held]
    for index in order:
        group = groups[index]
        for _ in range(counts[index]):
            for box in boxes:
                if room(box[0], box[1], box[2], box[3], group):
                    break
            else:
                if not room(machine.cpu_units, machine.memory_mib, machine.tasks, machine.baseline_vcpu, group):
                    return None
                box = [machine.cpu_units, machine.memory_mib, machine.tasks, machine.baseline_vcpu, [0] * len(groups)]
                boxes.append(box)
            box[0] -= group.cpu_units
            box[1] -= group.memory_mib
            box[2] -= 1
            if box[3] is not None:
                box[3] -= group.use_vcpu
            box[4][index] += 1
    return [box[4] for box in boxes]


def plain_balanced(counts, groups, machine):
    """The balanced fill: instance by instance, each next task the one that fits whose shares of an empty
    instance have the largest dot product with what the instance has left (the first group of equal ones)."""
    left = list(counts)
    if any(
        c and not room(machine.cpu_units, machine.memory_mib, machine.tasks, machine.baseline_vcpu, g)
        for c, g in zip(left, groups, strict=True)
    ):
        return None
    cpu_scale, memory_scale = machine.cpu_units, max(machine.memory_mib, 1)
    boxes = []
    while any(left):
        cpu, memory, tasks, baseline = machine.cpu_units, machine.memory_mib, machine.tasks, machine.baseline_vcpu
        held = [0] * len(groups)
        while True:
            best, best_score = -1, -1.0
            for index, group in enumerate(groups):
                if left[index] and room(cpu, memory, tasks, baseline, group):
                    score = (group.cpu_units / cpu_scale) * (cpu / cpu_scale) + (group.memory_mib / memory_scale) * (
                        memory / memory_scale
                    )
                    if score > best_score:
                        best, best_score = index, score
            if best < 0:
                break
            group = groups[best]
            cpu, memory, tasks = cpu - group.cpu_units, memory - group.memory_mib, tasks - 1
            if baseline is not None:
                baseline -= group.use_vcpu
            held[best] += 1
            left[best] -= 1
        boxes.append(held)
    return boxes


# Task sizes drawn from a few, so that services often share one (the fills then tell them apart by order).
# (1024, 3072) and (3072, 1024) score alike on an instance of as much CPU as memory: ties between sizes.
sizes = st.sampled_from(
    [
        (256, 512),
        (512, 1024),
        (1024, 2048),
        (2048, 4096),
        (1024, 8192),
        (4096, 1024),
        (3000, 700),
        (1024, 3072),
        (3072, 1024),
    ]
)
task_group_lists = st.lists(
    st.tuples(sizes, st.sampled_from(["0", "0.1", "0.25", "0.5", "1.2"]), st.sampled_from(["a", "b", "c"])),
    min_size=1,
    max_size=7,
).map(
    lambda rows: [
        TaskGroup(f"{name}{i}", cpu, memory, Decimal(use)) for i, ((cpu, memory), use, name) in enumerate(rows)
    ]
)
machines = st.builds(
    Machine,
    cpu_units=st.sampled_from([1024, 2048, 4096, 8192, 16384, 3500]),
    memory_mib=st.sampled_from([0, 900, 3500, 4096, 7526, 8192, 15000, 30000, 61000]),
    tasks=st.sampled_from([1, 2, 3, 9, 29, 1 << 30]),
    baseline_vcpu=st.sampled_from([None, None, None, Decimal("0.4"), Decimal("1.6"), Decimal("3")]),
)
examples = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@examples
@given(task_group_lists, machines, st.data())
def test_it_packs_as_the_heuristics_stated_task_by_task(task_groups, machine, data):
    counts = data.draw(st.lists(st.integers(0, 40), min_size=len(task_groups), max_size=len(task_groups)))
    assert pack_decreasing(counts, task_groups, machine) == plain_decreasing(counts, task_groups, machine)
    assert pack_balanced(counts, task_groups, machine) == plain_balanced(counts, task_groups, machine)
    decreasing, balanced = plain_decreasing(counts, task_groups, machine), plain_balanced(counts, task_groups, machine)
    if decreasing is None or len(task_groups) == 1:
        expected = decreasing
    else:
        expected = balanced if balanced is not None and len(balanced) < len(decreasing) else decreasing
    assert pack(counts, task_groups, machine) == expected


@examples
@given(task_group_lists, machines, st.data())
def test_no_packing_runs_fewer_instances_than_the_lower_bound(task_groups, machine, data):
    counts = data.draw(st.lists(st.integers(0, 40), min_size=len(task_groups), max_size=len(task_groups)))
    for packing in (pack_decreasing(counts, task_groups, machine), pack_balanced(counts, task_groups, machine)):
        if packing is not None:
            assert len(packing) >= lower_bound(needs_of(counts, task_groups), machine)
            assert [sum(box[i] for box in packing) for i in range(len(task_groups))] == counts


def test_it_takes_the_first_service_of_a_size_before_the_next():
    # Three services of one size and one twice their size, on instances of at most 4 tasks: the big task fits
    # an empty instance best, then the web tasks (listed first) fill it before the api and worker tasks do.
    web, api, worker = (TaskGroup(name, 512, 1024, Decimal("0.2")) for name in ("web", "api", "worker"))
    big = TaskGroup("big", 2048, 2048, Decimal("0.5"))
    machine = Machine(cpu_units=4096, memory_mib=7526, tasks=4, baseline_vcpu=None)
    task_groups = [web, api, worker, big]
    assert pack_balanced([3, 2, 2, 1], task_groups, machine) == [[3, 0, 0, 1], [0, 2, 2, 0]]
    assert plain_balanced([3, 2, 2, 1], task_groups, machine) == [[3, 0, 0, 1], [0, 2, 2, 0]]
