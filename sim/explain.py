"""``sim explain``: one fixed event through every policy of a scenario, for a reader.

For each policy: what the event claimed, then every cut once, at the term that made it (a
section's limit, a deductible, a shared limit over several sections), as an amount removed, never
as a negative limit; the cuts add up to what the policy covers minus what it pays. What a shared
limit leaves each section is an allocation (a pro-rata split, not a contractual figure): shown
rounded to 1万円 and marked as such. Section names come from the policy itself.
"""
from __future__ import annotations

from ._text import check_lang, component_label, label, table, yen_text
from .policy import EventResult
from .scenario import Scenario

PRODUCTS = {"jcci": "JCCI 情報漏えい賠償責任保険", "aig": "AIG 個人情報漏洩保険"}
INCIDENT = {"ja": {"leak": "個人情報の漏えい", "corporate_leak": "企業情報の漏えい",
                   "cyber_no_leak": "漏えいのないサイバー攻撃", "it_work": "IT業務の事故"},
            "en": {"leak": "personal-data leak", "corporate_leak": "corporate-data leak",
                   "cyber_no_leak": "cyber attack without a leak", "it_work": "IT-work incident"}}
CAUSE = {"ja": {"cyber_attack": "サイバー攻撃", "insider": "内部不正", "misdelivery": "誤送付",
                "loss_theft": "紛失・盗難", "mismanagement": "管理ミス", None: "特定なし"},
         "en": {"cyber_attack": "cyber attack", "insider": "insider", "misdelivery": "misdelivery",
                "loss_theft": "loss or theft", "mismanagement": "mismanagement",
                None: "unspecified"}}
WORDS = {
    "ja": {"assumed": "前提 (シナリオが想定する事故)", "victims": "被害者 {n:,}人",
           "companies": "被害企業 {n:,}社", "incident": "事故の種類: {x}", "cause": "原因: {x}",
           "reported": "公表・報告あり", "unreported": "公表・報告なし", "total": "合計",
           "reference": "公表例 {amount} ({source}): {verdict}", "match": "再現できています",
           "differs": "{amount} の差があります", "per_victim_caps": "1名あたり限度額",
           "trigger_or_cause": "支払条件に該当しない (公表・原因・事故の種類)",
           "deductible": "免責金額 {x}", "coinsurance": "自己負担割合 {x}",
           "event_limit": "1事故あたり支払限度額 {x}", "aggregate": "保険期間中の支払限度額 {x}",
           "shared_event_limit": "合算の支払限度額 {x}", "no_cut": "削減なし: 対象の損害は全額支払われます",
           "sum_cuts": "削減額の合計", "uncovered": "補償の対象外: {x}",
           "balance": "損害総額 {gross} − 対象外 {uncovered} − 削減額 {cuts} = 保険金支払額 {paid};"
                      " 保有損失 {retained}",
           "allocation": "補償項目別の支払額 (按分)", "allocated": "支払額 (按分)",
           "allocation_note": "※ {limit}で削った後の支払額を補償項目に比例配分した参考値です "
                              "(契約上の金額ではありません。1万円単位に丸め)",
           "comparison": "プランの比較", "paid_share": "支払割合", "term_col": "削減した条件",
           "section_col": "補償項目"},
    "en": {"assumed": "Assumed (the scenario's event)", "victims": "{n:,} victims",
           "companies": "{n:,} corporate victims", "incident": "incident: {x}", "cause": "cause: {x}",
           "reported": "reported", "unreported": "not reported", "total": "Total",
           "reference": "Published example {amount} ({source}): {verdict}",
           "match": "reproduced", "differs": "differs by {amount}",
           "per_victim_caps": "per-victim cap",
           "trigger_or_cause": "condition not met (reporting, cause or incident kind)",
           "deductible": "deductible {x}", "coinsurance": "coinsurance {x}",
           "event_limit": "limit per event {x}", "aggregate": "limit per policy period {x}",
           "shared_event_limit": "combined limit {x}",
           "no_cut": "nothing cut: the covered loss is paid in full",
           "sum_cuts": "Total cut", "uncovered": "not covered: {x}",
           "balance": "total loss {gross} - not covered {uncovered} - cut {cuts} = paid {paid};"
                      " retained {retained}",
           "allocation": "Paid by section (allocation)", "allocated": "paid (allocated)",
           "allocation_note": "* what is left under the {limit} split over the sections in "
                              "proportion: an allocation, not a contractual amount; rounded "
                              "to ¥10k",
           "comparison": "Options compared", "paid_share": "share paid", "term_col": "term that cut",
           "section_col": "section"},
}
CUT_STEPS = ("per_victim_caps", "trigger_or_cause", "deductible", "coinsurance", "event_limit",
             "aggregate")  # the node's own terms; ``limits_above`` is an allocation of others'


def explain(scenario: Scenario, style: str = "ja", lang: str = "ja") -> str:
    """Text report: the assumed event, then for each policy every cut at the term that made it,
    what was paid and kept; then the policies compared.

    Parameters
    ----------
    scenario : Scenario
        With an ``[event]``.
    style : {"ja", "plain"}
        Amounts in 万円/億円 (``¥m`` in English) or plain digits.
    lang : {"ja", "en"}
        The language of every word.
    """
    check_lang(lang)
    w = WORDS[lang]

    def yen(x: float, round_to: int = 1) -> str:
        return yen_text(x, style, lang, round_to)

    results = [p.apply(**scenario.event) for p in scenario.policies]
    blocks = [_header(scenario, results[0], yen, w, lang)]
    blocks += [_policy_block(r, yen, w, lang) for r in results]
    blocks.append(_comparison(results, yen, w, lang))
    return "\n\n".join(blocks) + "\n"


def cuts(result: EventResult) -> list[tuple[str, str, float]]:
    """``(node, step, amount)`` for every term that removed something, each cut once: at the
    node whose own term made it (a parent's cut is not repeated on its children)."""
    detail = result.detail
    return [(node, step, float(row[step])) for node, row in detail.iterrows()
            for step in CUT_STEPS if row[step] > 0.5]


def _header(scenario: Scenario, result: EventResult, yen, w: dict, lang: str) -> str:
    event = scenario.event
    facts = [w["victims"].format(n=event.get("victims", 0))]
    if event.get("corporate_victims"):
        facts.append(w["companies"].format(n=event["corporate_victims"]))
    facts += [w["incident"].format(x=INCIDENT[lang].get(result.incident, result.incident)),
              w["cause"].format(x=CAUSE[lang].get(result.cause, result.cause)),
              w["reported"] if event.get("reported") else w["unreported"]]
    lines = [f"# {scenario.name}", f"  ({scenario.source})", f"{w['assumed']}: " + ", ".join(facts)]
    rows = [(component_label(name, lang), yen(x)) for name, x in result.losses.items()]
    rows.append((w["total"], yen(result.gross)))
    lines.append(table((label("component", lang), label("amount", lang)), rows))
    ref = scenario.reference
    if ref is not None:
        verdict = w["match"] if round(ref.gross) == round(result.gross) else \
            w["differs"].format(amount=yen(result.gross - ref.gross))
        lines.append(w["reference"].format(amount=yen(ref.gross), source=ref.source,
                                           verdict=verdict))
    return "\n".join(lines)


def _term_text(result: EventResult, node: str, step: str, yen, w: dict) -> str:
    info = {n.name: n for n in result.policy.compiled.nodes}[node]
    section = next((s for top in result.policy.sections for s in top.walk() if s.name == node), None)
    if step == "coinsurance":
        return w["coinsurance"].format(x=f"{section.coinsurance:.0%}")
    if step == "deductible":
        return w["deductible"].format(x=yen(section.deductible))
    if step == "event_limit":
        key = "shared_event_limit" if info.kind == "shared" else "event_limit"
        return w[key].format(x=yen(info.event_limit))
    if step == "aggregate":
        return w["aggregate"].format(x=yen(info.aggregate_limit))
    return w[step]


def _policy_block(result: EventResult, yen, w: dict, lang: str) -> str:
    policy = result.policy
    labels = {n.name: n.label for n in policy.compiled.nodes}
    title = f"## {policy.name}" + (f" ({PRODUCTS[policy.product]})" if policy.product in PRODUCTS
                                   else "")
    made = cuts(result)
    lines = [title]
    if made:
        rows = [(labels[node], _term_text(result, node, step, yen, w), yen(amount))
                for node, step, amount in made]
        rows.append((w["sum_cuts"], "", yen(sum(a for *_, a in made))))
        lines.append(table((w["section_col"], w["term_col"], label("cut", lang)), rows, "<<>"))
    else:
        lines.append(w["no_cut"])
    uncovered = sum(result.uncovered.values())
    if result.uncovered:
        lines.append(w["uncovered"].format(x=", ".join(
            f"{component_label(k, lang)} {yen(v)}" for k, v in result.uncovered.items())))
    lines.append(w["balance"].format(gross=yen(result.gross), uncovered=yen(uncovered),
                                     cuts=yen(sum(a for *_, a in made)), paid=yen(result.paid),
                                     retained=yen(result.retained)))
    shared = [node for node, step, _ in made if _kind(policy, node) == "shared"]
    if shared and len(result.by_section) > 1:
        rows = [(labels.get(s, s), yen(round(x, -4), 10_000)) for s, x in result.by_section.items()]
        lines += [w["allocation"], table((w["section_col"], w["allocated"]), rows),
                  w["allocation_note"].format(limit=labels[shared[0]])]
    return "\n".join(lines)


def _kind(policy, node: str) -> str:
    return {n.name: n.kind for n in policy.compiled.nodes}[node]


def _comparison(results: list[EventResult], yen, w: dict, lang: str) -> str:
    rows = [(r.policy.name, yen(r.paid), yen(r.retained),
             f"{r.paid / r.gross:.1%}" if r.gross else "-") for r in results]
    heads = (label("option", lang), label("paid", lang), label("retained", lang), w["paid_share"])
    return f"## {w['comparison']}\n" + table(heads, rows)
