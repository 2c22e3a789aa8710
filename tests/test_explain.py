"""``sim explain`` for a reader: each cut once, at the term that made it, as an amount removed;
allocations of a shared limit rounded and marked; one language."""
import re

import pytest

import sim
from sim.explain import cuts, explain
from sim.policy import Policy, Section, SharedLimit

from conftest import SCENARIOS

AIG = SCENARIOS / "aig_brochure_100k.toml"
JCCI = SCENARIOS / "jcci_brochure_100k.toml"


def _amount(text: str) -> float:
    """``1億400万円`` -> 104_000_000 (an independent reading of the printed figure)."""
    total, rest = 0.0, text.removesuffix("円")
    for unit, size in (("億", 1e8), ("万", 1e4)):
        if unit in rest:
            head, rest = rest.split(unit, 1)
            total += float(head.replace(",", "")) * size
    return total + (float(rest.replace(",", "")) if rest else 0.0)


def _printed_cuts(block: str) -> tuple[list[float], float]:
    """The cut column's rows and its total row, read back from a policy block."""
    rows, total = [], None
    for line in block.splitlines():
        if line.startswith("削減額の合計"):
            total = _amount(line.split()[-1])
        elif re.search(r"(限度額 \S+円|自己負担割合 \S+%|免責金額 \S+円)\s+\S+円$", line):
            rows.append(_amount(line.split()[-1]))
    return rows, total


def test_parent_limit_cutting_after_its_children_is_counted_once():
    """Hand case: A (limit 30) gets 50, B (limit 40) gets 30; their shared limit 50 then cuts
    the 60 left by 10. Cuts: A 20, B 0, shared 10 = 30 = covered 80 - paid 50, whereas
    summing every row's ``limits_above`` too would count the shared cut a second time."""
    policy = Policy("two under one", [Section("a", covers=["damages"], limit=30e6),
                                      Section("b", covers=["letters"], limit=40e6)],
                    shared=[SharedLimit("main", sections=("a", "b"), limit=50e6)])
    result = policy.apply({"damages": 50e6, "letters": 30e6})
    assert sorted((n, s, a) for n, s, a in cuts(result)) == [
        ("a", "event_limit", 20e6), ("main", "event_limit", 10e6)]
    assert result.paid == 50e6
    scn = sim.scenario.Scenario(name="hand", event={"losses": {"damages": 50e6, "letters": 30e6}},
                                policies=(policy,))
    text = explain(scn)
    rows, total = _printed_cuts(text.split("## two under one")[1])
    assert rows == [20e6, 10e6] and total == 30e6
    assert "按分" in text and "契約上の金額ではありません" in text


def test_aig_cuts_add_up_to_covered_minus_paid_without_double_counting():
    scn = sim.load_scenario(AIG)
    text = explain(scn)
    blocks = text.split("\n## ")[1:-1]
    assert len(blocks) == len(scn.policies)
    for policy, block in zip(scn.policies, blocks):
        r = policy.apply(**scn.event)
        covered = r.gross - sum(r.uncovered.values())
        rows, total = _printed_cuts(block)
        if covered - r.paid < 1:
            assert total is None and not rows
            continue
        assert total == pytest.approx(covered - r.paid, abs=1)
        assert sum(rows) == pytest.approx(total, abs=1)
    # AIG 5,000万 +exec by hand: liability 1億1,400万 over its 5,000万 (6,400万 cut), execution
    # 3,500万 less 10% coinsurance (350万) over its 500万 (2,650万), then the main 5,000万 over
    # 5,000万 + 500万 + 500万 (1,000万): 1億400万 in all
    block = text.split("## AIG 5,000万 +exec")[1].split("\n## ")[0]
    assert _printed_cuts(block) == ([64e6, 3.5e6, 26.5e6, 10e6], 104e6)


def test_no_negative_amounts_and_no_unrounded_allocations():
    for path in (AIG, JCCI):
        for lang in ("ja", "en"):
            text = explain(sim.load_scenario(path), lang=lang)
            assert not re.search(r"-[¥\d]", text.replace("- not covered", "")), text
    text = explain(sim.load_scenario(AIG))
    allocations = re.findall(r"^\S+\s+([\d,億万]+円)$",
                             text.split("補償項目別の支払額 (按分)")[2], re.M)
    assert allocations and all(a.endswith("万円") for a in allocations)  # to 1万円, no 円 digits
    assert "4,545万円" in text and "4,545万4,545円" not in text


def test_one_language_and_the_policy_s_own_section_names():
    aig = explain(sim.load_scenario(AIG))
    assert "賠償損害" not in aig and "費用損害" not in aig  # JCCI's section names
    assert "個人情報漏洩(賠償)" in aig
    assert not re.search(r"\b(event limit|covered|paid|retained|limits above)\b", aig)
    en = explain(sim.load_scenario(JCCI), lang="en")
    words = re.sub(r"\(JCCI [^)]*\)|JCCI brochure, [^)]*|\S*[賠費]償?損害\S*", "", en)
    words = re.sub(r"(賠償損害|費用損害)", "", words)
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", words), words
    with pytest.raises(sim._errors.InputError, match="^lang:"):
        explain(sim.load_scenario(JCCI), lang="fr")
