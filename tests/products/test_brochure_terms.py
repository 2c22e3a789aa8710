"""Brochure terms checked where they bind, and each product's cover list against a hand table.

Expected values are worked out by hand from the brochures described in ``docs/products.md``
(JCCI 「情報漏えい賠償責任保険～サイバーリスク補償型」, AIG 「個人情報漏洩保険」 2017.10版);
万 = 1e4 yen, 億 = 1e8 yen.
"""
import pytest

import sim
from sim.components import COMPONENTS
from sim.scenario import load_scenario

from conftest import MAN, OKU, SCENARIOS

# ---------------------------------------------------------------- cover lists, by hand
JCCI_STANDARD = {
    "liability": ["damages", "litigation", "court_attendance", "card_fraud", "corporate_info",
                  "corporate_info_litigation", "business_interruption_others", "consolation_damages"],
    "costs": ["consulting", "legal_consultation", "investigation", "letters", "call_center",
              "newspaper_notice", "web_notice", "press_conference", "staff_overtime", "pr_activity",
              "consolation", "consolation_corporate", "consolation_shipping", "forensics"],
}
JCCI_PREMIUM_IT = {  # + サイバー攻撃に起因する身体障害・財物損壊, 5 extra costs, IT業務特約
    "liability": JCCI_STANDARD["liability"] + ["bodily_property", "it_work_interruption"],
    "costs": JCCI_STANDARD["costs"] + ["credit_monitoring", "public_inquiry", "system_recovery",
                                       "spread_prevention", "recurrence_prevention"],
}
AIG_BASE = {
    "liability": ["damages", "litigation", "court_attendance", "consolation_damages"],
    "consulting": ["consulting"],
    "execution": ["legal_consultation", "investigation", "staff_overtime", "call_center", "letters",
                  "consolation", "consolation_corporate", "consolation_shipping",
                  "newspaper_notice", "press_conference"],
}
AIG_ALL_RIDERS = {**AIG_BASE, "cyber_response": ["forensics"], "card_fraud": ["card_fraud"],
                  "corporate_info": ["corporate_info", "corporate_info_litigation"],
                  "ip": ["ip_infringement", "ip_litigation"]}

COVER_CASES = [
    ("jcci standard", sim.products.jcci("standard", "C"), JCCI_STANDARD),
    ("jcci premium +IT", sim.products.jcci("premium", "C", it_work=True), JCCI_PREMIUM_IT),
    ("aig base", sim.products.aig(limit=OKU), AIG_BASE),
    ("aig all riders", sim.products.aig(limit=OKU, cyber_response=True, card_fraud=True,
                                        corporate_info=1e7, ip=1e7), AIG_ALL_RIDERS),
]


@pytest.mark.parametrize("policy, table", [c[1:] for c in COVER_CASES], ids=[c[0] for c in COVER_CASES])
@pytest.mark.parametrize("component", COMPONENTS)
def test_cover_list(policy, table, component):
    """Each component alone, small (under every cap and limit), on a reported cyber-attack leak:
    exactly the section of the hand table pays something, or none if the product does not cover it."""
    out = policy.apply({component: 1_000}, victims=100, corporate_victims=10, reported=True,
                       cause="cyber_attack")
    paying = [name for name, x in out.by_section.items() if x > 0]
    expected = [name for name, comps in table.items() if component in comps]
    assert paying == expected


# ---------------------------------------------------------------- JCCI
def test_jcci_liability_covers_consolation_damages():
    # 「情報漏えいに起因する賠償損害」 has no restriction: a client's claim for the consolation money
    # it paid is liability, with no per-victim cap (that is on the 見舞金 cost). Standard C:
    # 500万 + 100万 damages = 600万 < 1億.
    out = sim.products.jcci("standard", "C").apply(
        {"consolation_damages": 500 * MAN, "damages": 100 * MAN}, victims=1_000)
    assert out.by_section == {"liability": 600 * MAN, "costs": 0}


def test_jcci_it_work_incident_needs_the_it_option():
    # ③ IT業務の遂行に起因する業務阻害等 (IT業務特約セットの場合): costs 100万 + liability 200万.
    event = dict(losses={"letters": 100 * MAN, "it_work_interruption": 200 * MAN}, victims=10,
                 incident="it_work")
    assert sim.products.jcci("standard", "B").apply(**event).paid == 0
    assert sim.products.jcci("standard", "B", it_work=True).apply(**event).by_section == {
        "liability": 200 * MAN, "costs": 100 * MAN}
    # The same costs of a leak are paid without the option.
    leak = dict(event, incident="leak", losses={"letters": 100 * MAN})
    assert sim.products.jcci("standard", "B").apply(**leak).paid == 100 * MAN


def test_jcci_forensics_after_a_cyber_attack_leak_and_without_one():
    # After a cyber-attack leak, forensics is 事故原因・被害範囲調査費用: both plans (400万 < 1,000万).
    # An attack that leaks nothing: only Premium's サイバー攻撃調査費用 (「①～④を除き」).
    std, pre = sim.products.jcci("standard", "C"), sim.products.jcci("premium", "C")
    loss = {"forensics": 400 * MAN}
    assert std.apply(loss, cause="cyber_attack").paid == 400 * MAN
    assert pre.apply(loss, cause="cyber_attack").paid == 400 * MAN
    assert std.apply(loss, incident="cyber_no_leak").paid == 0
    assert pre.apply(loss, incident="cyber_no_leak").paid == 400 * MAN
    assert std.apply(loss, cause="insider").paid == 0  # no attack to investigate
    assert pre.apply(loss, cause="misdelivery").paid == 0


def test_jcci_corporate_information_claim_with_defence_costs():
    # Standard A: corporate info 700万 + its defence 500万 = 1,200万 -> liability limit 1,000万.
    out = sim.products.jcci("standard", "A").apply(
        {"corporate_info": 700 * MAN, "corporate_info_litigation": 500 * MAN},
        incident="corporate_leak")
    assert out.by_section == {"liability": 1_000 * MAN, "costs": 0}


# ---------------------------------------------------------------- AIG
def test_aig_corporate_info_rider_covers_its_defence_costs_free_of_deductible():
    # 企業情報漏洩特約: 争訟費用 inside the rider's limit; 「自己負担額(免責金額)および自己負担割合を
    # 適用しません」. Deductible 100万 and 20% coinsurance on the main section do not touch it.
    p = sim.products.aig(limit=OKU, corporate_info=1e7, deductible=100 * MAN, coinsurance=0.2)
    event = dict(losses={"corporate_info": 600 * MAN, "corporate_info_litigation": 300 * MAN},
                 incident="corporate_leak")
    assert p.apply(**event).by_section["corporate_info"] == 900 * MAN
    assert p.apply(**event).by_section["liability"] == 0
    more = dict(event, losses={"corporate_info": 800 * MAN, "corporate_info_litigation": 400 * MAN})
    assert p.apply(**more).paid == 1_000 * MAN  # the rider's 1,000万 binds on both together
    without = sim.products.aig(limit=OKU, deductible=100 * MAN)
    assert without.apply(**event).paid == 0  # main exclusion ⑥: non-personal information


def test_aig_ip_rider_covers_its_defence_costs():
    # 特許等知的財産権特約: 2,000万 damages + 500万 defence = 2,500万; rider 3,000万 or 1,000万.
    event = dict(losses={"ip_infringement": 2_000 * MAN, "ip_litigation": 500 * MAN})
    assert sim.products.aig(limit=OKU, ip=3e7, deductible=100 * MAN).apply(**event).paid == 2_500 * MAN
    assert sim.products.aig(limit=OKU, ip=1e7, coinsurance=0.5).apply(**event).paid == 1_000 * MAN


def test_aig_corporate_leak_pays_no_consulting_or_execution():
    # 「この特約では、危機管理コンサルティング費用特約および危機管理実行費用特約の適用はありません」.
    p = sim.products.aig(limit=3 * OKU, corporate_info=3e7)
    losses = {"consulting": 300 * MAN, "letters": 500 * MAN, "corporate_info": 1_000 * MAN}
    out = p.apply(losses, victims=1, reported=True, incident="corporate_leak")
    assert out.by_section == {"liability": 0, "consulting": 0, "execution": 0,
                              "corporate_info": 1_000 * MAN}
    # A personal-information leak with the same costs: consulting 300万, execution 500万 x 90%.
    out = p.apply(losses, victims=1, reported=True, incident="leak")
    assert out.by_section == {"liability": 0, "consulting": 300 * MAN, "execution": 450 * MAN,
                              "corporate_info": 1_000 * MAN}


def test_aig_execution_ceiling_binds_above_it():
    # Main 10億: execution limit min(5,000万, 1億) = 5,000万; letters 8,000万 x 90% = 7,200万
    # -> 5,000万. Doubled: min(1億, 2億) = 1億; 1億5,000万 x 90% = 1億3,500万 -> 1億.
    event = dict(victims=100_000, reported=True)
    p = sim.products.aig(limit=10 * OKU)
    assert p.apply({"letters": 8_000 * MAN}, **event).paid == 5_000 * MAN
    q = sim.products.aig(limit=10 * OKU, execution_double=True)
    assert q.apply({"letters": 15_000 * MAN}, **event).paid == OKU


def test_aig_card_fraud_rider_with_deductible_and_coinsurance():
    # 「個人情報漏洩特約と同じです」: (500万 - 100万) x (1 - 10%) = 360万.
    p = sim.products.aig(limit=OKU, card_fraud=True, deductible=100 * MAN, coinsurance=0.1)
    assert p.apply({"card_fraud": 500 * MAN}).by_section["card_fraud"] == 360 * MAN
    assert p.apply({"card_fraud": 80 * MAN}).paid == 0  # under the deductible


@pytest.mark.parametrize("option, limit, expected", [
    (1e7, 4_000 * MAN, 1_000 * MAN),      # ①1,000万
    (3e7, 4_000 * MAN, 3_000 * MAN),      # ②3,000万
    ("main", 4_000 * MAN, 4_000 * MAN),   # ③ = main limit 4,000万
    ("main", OKU, 5_000 * MAN),           # ③ = main limit 1億: the whole 5,000万
])
def test_aig_corporate_info_limit_options(option, limit, expected):
    p = sim.products.aig(limit=limit, corporate_info=option)
    assert p.apply({"corporate_info": 5_000 * MAN}, incident="corporate_leak").paid == expected


def test_aig_coinsurance_applies_to_court_attendance_but_not_the_deductible():
    # 「自己負担額(免責金額)、自己負担割合が適用されます」 but 「裁判所出頭費用には自己負担額(免責金額)を
    # 適用しません」: damages (300万 - 100万) x 80% = 160万; court days 50万 x 80% = 40万.
    p = sim.products.aig(limit=OKU, execution=False, deductible=100 * MAN, coinsurance=0.2)
    out = p.apply({"damages": 300 * MAN, "court_attendance": 50 * MAN})
    assert out.by_section == {"liability": 200 * MAN, "consulting": 0}


def test_aig_consolation_damages_sublimit_after_deductible_and_coinsurance():
    # Main 1億: sublimit min(20% x 1億, 1億) = 2,000万; 100,000 victims allow 5,000万.
    # Deductible 100万, coinsurance 10%: 3,000万 -> (3,000万 - 100万) x 90% = 2,610万 -> 2,000万.
    # 1,500万 -> (1,500万 - 100万) x 90% = 1,260万 (under the sublimit).
    p = sim.products.aig(limit=OKU, execution=False, deductible=100 * MAN, coinsurance=0.1)
    assert p.apply({"consolation_damages": 3_000 * MAN}, victims=100_000).paid == 2_000 * MAN
    assert p.apply({"consolation_damages": 1_500 * MAN}, victims=100_000).paid == 1_260 * MAN


def test_scenario_event_takes_incident(tmp_path):
    text = (SCENARIOS / "aig_brochure_100k.toml").read_text(encoding="utf-8")
    path = tmp_path / "aig_corporate.toml"
    path.write_text(text.replace('cause = "cyber_attack"\n',
                                 'cause = "cyber_attack"\nincident = "corporate_leak"\n'), encoding="utf-8")
    scn = load_scenario(path)
    out = scn.policy("AIG 3億 +exec").apply(**scn.event)
    assert out.incident == "corporate_leak"
    assert out.paid == 0  # every cost and claim of the event is for personal information
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('cause = "cyber_attack"\n', 'cause = "cyber_attack"\nincident = "hack"\n'),
                   encoding="utf-8")
    with pytest.raises(ValueError, match=r"event.incident.*'hack'.*allowed values"):
        load_scenario(bad)


def test_simulated_events_are_leaks(tmp_path):
    """The Monte Carlo path carries the incident: the loss model's events are leaks, so a
    section for IT-work incidents only pays nothing and one for leaks pays every loss."""
    path = tmp_path / "incidents.toml"
    path.write_text('''name = "incidents"
[frequency]
kind = "poisson"
rate = 0.5
[model.direct]
damages = { dist = "lognormal", median = 1e7, sigma = 1.5 }
[[policies]]
product = "custom"
name = "leaks only"
[[policies.sections]]
name = "cover"
covers = ["damages"]
incidents = ["leak"]
[[policies]]
product = "custom"
name = "IT work only"
[[policies.sections]]
name = "cover"
covers = ["damages"]
incidents = ["it_work", "corporate_leak", "cyber_no_leak"]
''', encoding="utf-8")
    summary = sim.simulate(load_scenario(path), 2_000, 3).summary()
    means = summary["mean"]
    assert means[("leaks only", "paid")] == means[("leaks only", "gross")] > 0
    assert means[("IT work only", "paid")] == 0


def test_jcci_minor_cyber_incident_is_paid_like_an_attack_that_leaks_nothing():
    # A minor infection or intrusion (cyber_minor) leaks nothing confirmed: its investigation is
    # Premium's サイバー攻撃調査費用 only, as for an attack that leaks nothing.
    std, pre = sim.products.jcci("standard", "C"), sim.products.jcci("premium", "C")
    loss = {"forensics": 50 * MAN}
    assert std.apply(loss, incident="cyber_minor").paid == 0
    assert pre.apply(loss, incident="cyber_minor").paid == 50 * MAN
