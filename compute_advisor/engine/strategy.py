"""Capacity provider strategies, as ECS applies them: a base of tasks on one provider first, the rest split
by the providers' weights.

ECS runs the first `base` tasks on the provider that has a base (only one may), then places the rest so that
each provider's share follows its weight. For a count of tasks the engine gives each provider
floor(rest x weight / total weight) and hands the tasks left over one at a time to the providers with the
largest remainders (a tie to the one listed first), so every count splits the same way each time it occurs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from compute_advisor.engine.scenario import AlwaysOn, Hourly, ProviderShare, Scheduled


@dataclass(frozen=True)
class Share:
    provider: str
    base: int
    weight: int


def split(tasks: int, strategy: Sequence[Share]) -> dict[str, int]:
    """How many of `tasks` each provider runs."""
    counts = {share.provider: 0 for share in strategy}
    rest = tasks
    for share in strategy:
        placed = min(share.base, rest)
        counts[share.provider] += placed
        rest -= placed
    total = sum(share.weight for share in strategy)
    if rest <= 0 or total <= 0:
        return counts
    exact = [(rest * share.weight, share) for share in strategy]
    given = 0
    for numerator, share in exact:
        counts[share.provider] += numerator // total
        given += numerator // total
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i][0] % total), i))
    for index in by_remainder[: rest - given]:
        counts[strategy[index].provider] += 1
    return counts


def shares_of(declared: Sequence[ProviderShare]) -> list[Share]:
    """The engine's view of a declared strategy."""
    return [Share(share.provider, share.base, share.weight) for share in declared]


def usage_part(usage: object, strategy: Sequence[Share], provider: str) -> object | None:
    """The part of a service's usage that one provider runs: the same kind of usage with its share of the
    replicas each hour (or each run), None when it runs no task at all."""
    if isinstance(usage, Hourly):
        profile = [split(replicas, strategy)[provider] for replicas in usage.replicas_by_hour]
        return Hourly.model_construct(kind="hourly", replicas_by_hour=profile) if any(profile) else None
    if not isinstance(usage, AlwaysOn | Scheduled):
        raise TypeError(f"a strategy splits replicas, not a {type(usage).__name__} usage (simulate it first)")
    count = split(usage.replicas, strategy)[provider]
    return usage.model_copy(update={"replicas": count}) if count else None


def tasks_by_hour(replicas_by_hour: Sequence[int], strategy: Sequence[Share]) -> dict[str, list[int]]:
    """Each provider's tasks in each hour of a profile."""
    counts: dict[str, list[int]] = {share.provider: [] for share in strategy}
    for replicas in replicas_by_hour:
        for provider, tasks in split(replicas, strategy).items():
            counts[provider].append(tasks)
    return counts
