"""What starts scheduled runs: an EventBridge Scheduler schedule, or a Step Functions state machine.

Step Functions Standard Workflows bill per state transition after 4,000 free a month
(https://aws.amazon.com/step-functions/pricing/). EventBridge Scheduler bills per invocation after
a monthly free allowance; its rate is priced only when the snapshot holds it.
"""

from __future__ import annotations

from decimal import Decimal

from compute_advisor.engine import price_keys as keys
from compute_advisor.engine.bill import Bill
from compute_advisor.engine.money import ZERO
from compute_advisor.engine.scenario import Scenario, Scheduled


def charge_trigger(bill: Bill, scenario: Scenario) -> None:
    usage = scenario.usage
    if not isinstance(usage, Scheduled) or usage.trigger is None:
        return
    runs = usage.runs_per_day * usage.days_per_month
    trigger = usage.trigger
    if trigger.kind == "step_functions":
        price = bill.price(
            *keys.STEP_FUNCTIONS_TRANSITIONS.at(), required=False, what="Step Functions state transitions"
        )
        if price is None:
            return
        transitions = runs * trigger.state_transitions_per_run
        free = Decimal(str(price.attributes.get("freePerMonth", "0")))
        billed = max(transitions - free, ZERO)
        bill.result.configuration["state_transitions_per_month"] = transitions
        bill.add(
            price,
            quantity=billed / 1000,
            description=(
                f"Step Functions state transitions ({trigger.state_transitions_per_run} a run, "
                f"after {free:,} free a month)"
            ),
            category="other",
        )
    else:
        price = bill.price(
            *keys.EVENTBRIDGE_SCHEDULER_INVOCATIONS.at(), required=False, what="EventBridge Scheduler invocations"
        )
        if price is not None:
            bill.add(
                price, quantity=runs / 1_000_000, description="EventBridge Scheduler invocations", category="other"
            )
