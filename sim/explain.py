"""``sim explain``: one fixed event through every policy of a scenario, section by section."""
from __future__ import annotations

from ._text import table
from .components import COMPONENT_INFO
from .policy import STEPS, EventResult
from .scenario import Scenario
from .yen import YenStyle, format_yen

STEP_HEADERS = {
    "per_victim_caps": "per-victim cap", "trigger_or_cause": "trigger/cause/incident",
    "deductible": "deductible", "coinsurance": "coinsurance", "event_limit": "event limit",
    "aggregate": "aggregate", "limits_above": "limits above",
}


def explain(scenario: Scenario, style: YenStyle = "ja") -> str:
    """Text report: the event, then for each policy what each section covered, what each term
    removed, what was paid and retained; then a comparison of the policies.

    Parameters
    ----------
    scenario : Scenario
    style : {"ja", "plain"}
        Amounts as ``1億1,470万円`` or as plain digits.
    """
    def yen(x: float) -> str:
        return format_yen(x, style)

    results = [p.apply(**scenario.event) for p in scenario.policies]
    blocks = [_header(scenario, results[0], yen)]
    blocks += [_policy_block(r, yen) for r in results]
    blocks.append(_comparison(results, yen))
    return "\n\n".join(blocks) + "\n"


def _header(scenario: Scenario, result: EventResult, yen) -> str:
    event = scenario.event
    lines = [f"# {scenario.name}", f"  ({scenario.source})"]
    companies = event.get("corporate_victims")
    lines.append(f"Event: {event.get('victims', 0):,} victims"
                 + (f", {companies:,} corporate victims" if companies else "")
                 + f", incident {result.incident}, cause {result.cause or 'unspecified'}, "
                 + ("reported" if event.get("reported") else "not reported"))
    rows = [(name, COMPONENT_INFO[name].label_ja, yen(x)) for name, x in result.losses.items()]
    rows.append(("gross", "合計", yen(result.gross)))
    lines.append(table(("component", "", "amount"), rows, "<<>"))
    ref = scenario.reference
    if ref is not None:
        verdict = "reproduced" if round(ref.gross) == round(result.gross) else \
            f"DIFFERS by {yen(result.gross - ref.gross)}"
        lines.append(f"Reference: {yen(ref.gross)} ({ref.source}): {verdict}")
    return "\n".join(lines)


def _policy_block(result: EventResult, yen) -> str:
    detail = result.detail
    steps = [s for s in STEPS if (detail[s] > 0.5).any()]  # only the terms that bit
    rows = []
    for (node, row), info in zip(detail.iterrows(), result.policy.compiled.nodes):
        if info.kind == "part" and row["covered"] == 0:
            continue  # a part the event does not touch
        name = "  " * row["depth"] + (node if info.label == node else f"{node} {info.label}")
        rows.append([name, yen(row["covered"]), *[_cut(row[s], yen) for s in steps], yen(row["paid"])])
    headers = ("section", "covered", *[STEP_HEADERS[s] for s in steps], "paid")
    lines = [f"## {result.policy.name}", table(headers, rows)]
    if result.uncovered:
        lines.append("not covered: " + ", ".join(f"{k} {yen(v)}" for k, v in result.uncovered.items()))
    lines.append(f"paid {yen(result.paid)} | retained {yen(result.retained)} "
                 f"| gross {yen(result.gross)}")
    return "\n".join(lines)


def _cut(amount: float, yen) -> str:
    return "" if amount <= 0.5 else "-" + yen(amount)


def _comparison(results: list[EventResult], yen) -> str:
    rows = [(r.policy.name, yen(r.paid), yen(r.retained), f"{r.paid / r.gross:.1%}" if r.gross else "-")
            for r in results]
    return "## Comparison\n" + table(("policy", "paid", "retained", "paid/gross"), rows)
