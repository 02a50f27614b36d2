"""From answers to a recommendation: rules for fit, the engine for cost, reasons for both."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from compute_advisor.engine import Result, Scenario, parse_scenario
from compute_advisor.engine.breakeven import Crossing
from compute_advisor.engine.money import cents
from compute_advisor.wizard.answers import Answers, scenario_for
from compute_advisor.wizard.rules import ALL, BAD, EXCLUDE, GOOD, RULES


class Pricer(Protocol):
    """How the wizard learns what things cost: the comparison service prices, the wizard only weighs."""

    def price(self, scenario: Scenario) -> Result: ...

    def crossings(self, scenario: Scenario) -> list[Crossing]: ...


BASE_SCORE = 50
COST_WEIGHT = 40  # points for the cheapest; the rest get less the more they cost


@dataclass
class Assessment:
    option: str
    label: str
    score: int = BASE_SCORE
    excluded: list[str] = field(default_factory=list)
    reasons_for: list[str] = field(default_factory=list)
    reasons_against: list[str] = field(default_factory=list)
    monthly_cost: Decimal | None = None

    @property
    def eligible(self) -> bool:
        return not self.excluded and self.monthly_cost is not None


@dataclass
class Recommendation:
    scenario: dict[str, Any]
    result: Result
    assessments: list[Assessment]
    winner: Assessment | None
    runner_up: Assessment | None
    changes: list[str]

    def to_json(self) -> dict[str, Any]:
        """What the API and `manage.py recommend` print."""
        return {
            "winner": self.winner.option if self.winner else None,
            "runner_up": self.runner_up.option if self.runner_up else None,
            "assessments": [
                {
                    "option": a.option,
                    "label": a.label,
                    "eligible": a.eligible,
                    "score": a.score,
                    "monthly_cost": None if a.monthly_cost is None else str(a.monthly_cost),
                    "reasons_for": a.reasons_for,
                    "reasons_against": a.reasons_against,
                    "excluded": a.excluded,
                }
                for a in self.assessments
            ],
            "changes": self.changes,
            "scenario": self.scenario,
            "result": self.result.to_json(),
        }


def _apply_rules(answers: Answers, assessments: dict[str, Assessment]) -> None:
    """Each rule that applies excludes options or moves their fit score, with its reason."""
    for rule in RULES:
        if not rule.applies(answers):
            continue
        for code, effect in rule.effects.items():
            item = assessments.get(code)
            if item is None:
                continue
            if effect is EXCLUDE:
                item.excluded.append(rule.reason.format(option=item.label))
            elif effect > 0:
                item.score += effect
                item.reasons_for.append(GOOD.get(rule.name, rule.reason.format(option=item.label)))
            elif effect < 0:
                item.score += effect
                item.reasons_against.append(BAD.get(rule.name, rule.reason.format(option=item.label)))


def assess(answers: Answers, result: Result) -> list[Assessment]:
    by_code = {o.option: o for o in result.options}
    assessments = {code: Assessment(option=code, label=by_code[code].label) for code in ALL if code in by_code}
    _apply_rules(answers, assessments)
    for code, item in assessments.items():
        option = by_code[code]
        if not option.available:
            item.excluded.append(option.reason.rstrip("."))
            continue
        item.monthly_cost = cents(option.total)
        if answers.budget_usd is not None and item.monthly_cost > answers.budget_usd:
            item.excluded.append(
                f"it costs ${item.monthly_cost:,.2f} a month, above your ${answers.budget_usd:,.2f} ceiling"
            )
    priced = [a for a in assessments.values() if a.eligible]
    if priced:
        cheapest = min(a.monthly_cost for a in priced if a.monthly_cost is not None)
        for item in priced:
            assert item.monthly_cost is not None
            # Full points for the cheapest, none at twice its cost or more.
            ratio = item.monthly_cost / cheapest if cheapest else Decimal(1)
            item.score += int(COST_WEIGHT * max(Decimal(0), 2 - ratio))
    return sorted(assessments.values(), key=lambda a: (not a.eligible, -a.score, a.monthly_cost or 0))


def _percent_less(cheaper: Decimal, dearer: Decimal) -> int:
    return int(((dearer - cheaper) / dearer * 100).to_integral_value()) if dearer else 0


def _part_usage(part: Any) -> str:
    if part.workload == "batch":
        return f"{part.replicas} task{'s' if part.replicas > 1 else ''} for {part.minutes_per_run} minutes"
    if part.workload == "server":
        return "one server"
    steady = "steady " if part.pattern == "steady" else "peak "
    return f"{part.replicas} {steady}replica{'s' if part.replicas > 1 else ''}"


def describe_usage(answers: Answers, *, sizes: bool = False) -> str:
    """ "3 steady replicas", or for several services each one's: "web (3 peak replicas) and worker (1 ...)";
    with `sizes`, each one's vCPU and memory too."""
    if not answers.several:
        return _part_usage(answers)

    def size(part: Any) -> str:
        return f"{part.vcpu.normalize():f} vCPU, {part.memory_gib.normalize():f} GiB, " if sizes else ""

    each = [f"{part.name} ({size(part)}{_part_usage(part)})" for part in answers.parts]
    return each[0] if len(each) == 1 else f"{', '.join(each[:-1])} and {each[-1]}"


def cheaper_than(answers: Answers, cheaper: Assessment, dearer: Assessment) -> str:
    """ "at 12 steady replicas it costs 41 % less than ..." with both monthly figures."""
    low, high = cheaper.monthly_cost, dearer.monthly_cost
    assert low is not None and high is not None
    at = "for" if answers.several else "at"
    return (
        f"{at} {describe_usage(answers)} it costs {_percent_less(low, high)} % less than {dearer.label} "
        f"(${low:,.2f} against ${high:,.2f} a month)"
    )


def recommend(answers: Answers, pricer: Pricer) -> Recommendation:
    data = scenario_for(answers)
    scenario: Scenario = parse_scenario(data)
    result = pricer.price(scenario)
    assessments = assess(answers, result)
    eligible = [a for a in assessments if a.eligible]
    winner = eligible[0] if eligible else None
    runner_up = eligible[1] if len(eligible) > 1 else None
    changes: list[str] = []
    if winner is not None and all(
        winner.monthly_cost is not None and a.monthly_cost is not None and winner.monthly_cost <= a.monthly_cost
        for a in eligible
    ):
        winner.reasons_for.append(f"it is the cheapest option that fits, at ${winner.monthly_cost:,.2f} a month")
    if winner and runner_up:
        assert winner.monthly_cost is not None and runner_up.monthly_cost is not None
        if winner.monthly_cost < runner_up.monthly_cost:
            winner.reasons_for.append(cheaper_than(answers, winner, runner_up))
        elif winner.monthly_cost > runner_up.monthly_cost:
            winner.reasons_against.append(
                f"it costs {_percent_less(runner_up.monthly_cost, winner.monthly_cost)} % more than {runner_up.label}, "
                "which fits your situation less well"
            )
            dearer = [a for a in eligible if a.monthly_cost is not None and a.monthly_cost > winner.monthly_cost]
            if dearer:
                closest = min(dearer, key=lambda a: a.monthly_cost or 0)
                winner.reasons_for.append(cheaper_than(answers, winner, closest))
        changes = what_would_change(answers, scenario, pricer, winner, runner_up)
    return Recommendation(
        scenario=data, result=result, assessments=assessments, winner=winner, runner_up=runner_up, changes=changes
    )


def what_would_change(
    answers: Answers, scenario: Scenario, pricer: Pricer, winner: Assessment, runner_up: Assessment
) -> list[str]:
    """Crossing points between the two leaders, and what next year's growth would do to their costs."""
    if scenario.is_application:
        return []  # the break-even sweep and the growth question vary one service's replicas
    pair = scenario.model_copy(update={"options": [winner.option, runner_up.option]})
    changes = [c.sentence for c in pricer.crossings(pair)]
    if answers.replicas_next_year and answers.replicas_next_year != answers.replicas and answers.workload != "server":
        grown = answers.model_copy(update={"replicas": answers.replicas_next_year})
        later = pricer.price(parse_scenario(scenario_for(grown)).model_copy(update={"options": list(ALL)}))
        leaders = [a for a in assess(grown, later) if a.eligible]
        if leaders and leaders[0].option != winner.option:
            changes.append(
                f"At the {answers.replicas_next_year} replicas you expect next year, {leaders[0].label} would become "
                f"the better choice (${leaders[0].monthly_cost:,.2f} a month): worth asking again then."
            )
        elif leaders:
            changes.append(
                f"At the {answers.replicas_next_year} replicas you expect next year, {winner.label} stays the best "
                f"choice, at ${leaders[0].monthly_cost:,.2f} a month."
            )
    return changes
