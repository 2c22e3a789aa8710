"""The two brochures' 100,000-record examples and every policy of the two scenario files.

Expected payouts are worked out by hand in the comments (万 = 1e4 yen, 億 = 1e8 yen).
"""
import pytest

import sim
from sim.scenario import load_scenario

from conftest import MAN, OKU, SCENARIOS

JCCI = load_scenario(SCENARIOS / "jcci_brochure_100k.toml")
AIG = load_scenario(SCENARIOS / "aig_brochure_100k.toml")


def test_brochure_totals_to_the_yen():
    # JCCI: liability 5,600万 + 300万 = 5,900万; costs 1,200+100+1,800+6,120+850+100+1,000+300
    # = 1億1,470万; total 1億7,370万.
    jcci = JCCI.policies[0].apply(**JCCI.event)
    assert jcci.gross == 173_700_000 == JCCI.reference.gross
    # AIG: costs 500+1,000+1,000+1,300+100+100 = 4,000万; liability 1億 + 1,400万; total 1億5,400万.
    aig = AIG.policies[0].apply(**AIG.event)
    assert aig.gross == 154_000_000 == AIG.reference.gross


# JCCI: liability 5,900万 covered, costs 1億1,170万 (Standard: data recovery is Premium-only)
# or 1億1,470万 (Premium). No deductible; each section is capped by its set's limit.
JCCI_EXPECTED = {
    # name: (liability paid, costs paid)
    "JCCI standard A": (1_000 * MAN, 100 * MAN),    # min(5,900万, 1,000万), min(1億1,170万, 100万)
    "JCCI standard B": (5_000 * MAN, 500 * MAN),    # min(5,900万, 5,000万), 500万
    "JCCI standard C": (5_900 * MAN, 1_000 * MAN),  # 5,900万 < 1億; costs 1,000万
    "JCCI standard D": (5_900 * MAN, 3_000 * MAN),  # 5,900万 < 3億; costs 3,000万
    "JCCI premium A": (1_000 * MAN, 100 * MAN),
    "JCCI premium B": (5_000 * MAN, 500 * MAN),
    "JCCI premium C": (5_900 * MAN, 1_000 * MAN),
    "JCCI premium D": (5_900 * MAN, 3_000 * MAN),
}


@pytest.mark.parametrize("policy", JCCI.policies, ids=lambda p: p.name)
def test_jcci_scenario_payouts(policy):
    out = policy.apply(**JCCI.event)
    liability, costs = JCCI_EXPECTED[policy.name]
    assert out.by_section == {"liability": liability, "costs": costs}
    assert out.paid == liability + costs
    assert out.retained == 173_700_000 - liability - costs


def test_jcci_standard_and_premium_differ_by_data_recovery():
    # Free set E with limits above the loss: Standard pays costs of 1億1,170万 (no 情報システム等
    # 復旧費用), Premium 1億1,470万: the 300万 of data recovery.
    std = sim.products.jcci("standard", "E", liability_limit=2 * OKU, cost_limit=2 * OKU)
    pre = sim.products.jcci("premium", "E", liability_limit=2 * OKU, cost_limit=2 * OKU)
    assert std.apply(**JCCI.event).by_section["costs"] == 11_170 * MAN
    assert pre.apply(**JCCI.event).by_section["costs"] == 11_470 * MAN
    assert std.apply(**JCCI.event).uncovered == {"system_recovery": 300 * MAN}


def test_jcci_premium_bodily_property_only_for_cyber_attacks():
    # Premium adds liability for bodily injury/property damage caused by a cyber attack.
    pre = sim.products.jcci("premium", "C")
    std = sim.products.jcci("standard", "C")
    loss = {"bodily_property": 2_000 * MAN}
    assert pre.apply(loss, cause="cyber_attack").paid == 2_000 * MAN
    assert pre.apply(loss, cause="insider").paid == 0
    assert std.apply(loss, cause="cyber_attack").paid == 0


def test_jcci_consolation_cap_per_individual_and_corporate_victim():
    # 1,500円 to each of 10,000 people (1,500万) and 80,000円 to each of 2 companies (16万).
    # Cap: 1,000円 x 10,000 = 1,000万 and 50,000円 x 2 = 10万: 1,010万 (set D costs 3,000万).
    p = sim.products.jcci("standard", "D")
    out = p.apply({"consolation": 1_500 * MAN, "consolation_corporate": 16 * MAN},
                  victims=10_000, corporate_victims=2)
    assert out.paid == 1_010 * MAN


def test_jcci_consolation_caps_apply_to_each_kind_of_victim_separately():
    # 特長3: 「被害者が法人の場合には1法人につき5万円、被害者が個人の場合には1名につき1,000円を限度」.
    # 10,000 people at 1,500円 (1,500万) and 10 companies at 1万 (10万): individuals are capped at
    # 1,000万, companies keep their 10万 (under 50万): 1,010万. Pooling the two allowances
    # (1,000万 + 50万 = 1,050万) would let the companies' unused allowance pay individuals' excess.
    p = sim.products.jcci("standard", "D")
    out = p.apply({"consolation": 1_500 * MAN, "consolation_corporate": 10 * MAN},
                  victims=10_000, corporate_victims=10)
    assert out.paid == 1_010 * MAN
    # Companies over their allowance: 10 at 8万 = 80万 -> 50万; individuals 500円 each = 500万.
    out = p.apply({"consolation": 500 * MAN, "consolation_corporate": 80 * MAN},
                  victims=10_000, corporate_victims=10)
    assert out.paid == 550 * MAN
    # AIG execution: 500円 per victim of either kind, each kind on its own; 90% paid.
    # individuals 1,000 x 800円 = 80万 -> 50万; companies 10 x 100円 = 1,000円 (under 5,000円).
    q = sim.products.aig(limit=3 * OKU)
    out = q.apply({"consolation": 80 * MAN, "consolation_corporate": 1_000}, victims=1_000,
                  corporate_victims=10, reported=True)
    assert out.by_section["execution"] == pytest.approx((50 * MAN + 1_000) * 0.9, rel=1e-15)


def test_jcci_it_work_option():
    loss = {"it_work_interruption": 300 * MAN}
    assert sim.products.jcci("standard", "B").apply(loss).paid == 0
    assert sim.products.jcci("standard", "B", it_work=True).apply(loss).paid == 300 * MAN


# AIG: liability 1億1,400万; consulting 500万 (limit 500万); execution 3,500万 x 90% = 3,150万,
# limited to min(5,000万, 10% of main); the main limit caps the sum per claim.
AIG_EXPECTED = {
    # 5,000万: liability 5,000万 + consulting 500万 = 5,500万 -> main 5,000万, pro rata 10:1.
    "AIG 5,000万": {"liability": 5_000 * MAN * 10 / 11, "consulting": 5_000 * MAN / 11},
    # + execution min(3,150万, 500万) = 500万: 5,000 + 500 + 500 = 6,000万 -> 5,000万 (x 5/6).
    "AIG 5,000万 +exec": {"liability": 5_000 * MAN * 5 / 6, "consulting": 500 * MAN * 5 / 6,
                          "execution": 500 * MAN * 5 / 6},
    # 1億: liability 1億 + consulting 500万 = 1億500万 -> 1億 (x 20/21).
    "AIG 1億": {"liability": OKU * 20 / 21, "consulting": 500 * MAN * 20 / 21},
    # + execution min(3,150万, 1,000万) = 1,000万: 1億1,500万 -> 1億 (x 20/23).
    "AIG 1億 +exec": {"liability": OKU * 20 / 23, "consulting": 500 * MAN * 20 / 23,
                      "execution": 1_000 * MAN * 20 / 23},
    # 3億: 1億1,400万 + 500万 = 1億1,900万 < 3億.
    "AIG 3億": {"liability": 11_400 * MAN, "consulting": 500 * MAN},
    # + execution min(3,150万, 3,000万) = 3,000万: 1億4,900万 < 3億; retained 500万.
    "AIG 3億 +exec": {"liability": 11_400 * MAN, "consulting": 500 * MAN, "execution": 3_000 * MAN},
}


@pytest.mark.parametrize("policy", AIG.policies, ids=lambda p: p.name)
def test_aig_scenario_payouts(policy):
    out = policy.apply(**AIG.event)
    expected = AIG_EXPECTED[policy.name]
    assert out.by_section == pytest.approx(expected, rel=1e-12)
    assert out.paid == pytest.approx(sum(expected.values()), rel=1e-12)
    assert out.paid + out.retained == 154_000_000


def test_aig_main_limit_caps_the_riders():
    # The 5,000万 policy pays exactly its main limit although sections add to 6,000万.
    out = AIG.policy("AIG 5,000万 +exec").apply(**AIG.event)
    assert out.paid == pytest.approx(5_000 * MAN, rel=1e-15)
    assert out.detail.loc["main", "event_limit"] == 1_000 * MAN


def test_aig_execution_coinsurance_brochure_example():
    # 支払例: 損害の額 500万円, 自己負担割合 10% -> 500万 x (100% - 10%) = 450万.
    p = sim.products.aig(limit=3 * OKU)
    assert p.apply({"letters": 500 * MAN}, victims=1, reported=True).paid == 450 * MAN
    waived = sim.products.aig(limit=3 * OKU, coinsurance_waiver=True)
    assert waived.apply({"letters": 500 * MAN}, victims=1, reported=True).paid == 500 * MAN


def test_aig_execution_trigger_requires_report():
    p = sim.products.aig(limit=3 * OKU)
    out = p.apply({"letters": 500 * MAN, "consulting": 100 * MAN}, victims=1, reported=False)
    assert out.by_section == {"liability": 0, "consulting": 100 * MAN, "execution": 0}


def test_aig_execution_limit_options():
    # 3億 main: execution limit min(5,000万, 3,000万) = 3,000万; doubled min(1億, 6,000万) = 6,000万.
    event = dict(losses={"letters": 5_000 * MAN}, victims=100_000, reported=True)
    assert sim.products.aig(limit=3 * OKU).apply(**event).paid == 3_000 * MAN  # 4,500万 -> 3,000万
    assert sim.products.aig(limit=3 * OKU, execution_double=True).apply(**event).paid == 4_500 * MAN
    both = sim.products.aig(limit=3 * OKU, execution_double=True, coinsurance_waiver=True)
    assert both.apply(**event).paid == 5_000 * MAN
    # 10億 main: the 5,000万 ceiling binds instead of 10% (1億).
    assert sim.products.aig(limit=10 * OKU).apply(**event).paid == 4_500 * MAN


def test_aig_consolation_caps():
    # Execution: 1,000円 x 10,000 victims asked, capped at 500円 x 10,000 = 500万, x 90% = 450万.
    p = sim.products.aig(limit=3 * OKU)
    assert p.apply({"consolation": 1_000 * MAN}, victims=10_000, reported=True).paid == 450 * MAN
    # Liability, damages arising from consolation: 500円/victim and min(20% of main, 1億).
    # Main 1億: sublimit 2,000万; 100,000 victims allow 5,000万; 3,000万 claimed -> 2,000万.
    q = sim.products.aig(limit=OKU, execution=False)
    assert q.apply({"consolation_damages": 3_000 * MAN}, victims=100_000).paid == 2_000 * MAN
    # 1,000 victims: 500円 x 1,000 = 50万.
    assert q.apply({"consolation_damages": 3_000 * MAN}, victims=1_000).paid == 50 * MAN


def test_aig_court_attendance_free_of_deductible():
    # Deductible 100万 on damages and litigation only: 50万 damages pays 0, court days 30万 pay 30万.
    p = sim.products.aig(limit=OKU, deductible=100 * MAN)
    out = p.apply({"damages": 50 * MAN, "court_attendance": 30 * MAN})
    assert out.paid == 30 * MAN


def test_aig_deductible_and_coinsurance_on_liability():
    # (1億1,400万 - 1,000万) x (1 - 10%) = 9,360万; consulting 500万 free of both.
    p = sim.products.aig(limit=3 * OKU, execution=False, deductible=1_000 * MAN, coinsurance=0.1)
    out = p.apply(**AIG.event)
    assert out.by_section == {"liability": 9_360 * MAN, "consulting": 500 * MAN}


def test_aig_riders():
    p = sim.products.aig(limit=OKU, cyber_response=True, card_fraud=True, corporate_info=1e7,
                         ip=3e7, consulting_double=True)
    out = p.apply({"forensics": 500 * MAN, "card_fraud": 200 * MAN, "corporate_info": 2_000 * MAN,
                   "ip_infringement": 5_000 * MAN, "consulting": 800 * MAN}, cause="cyber_attack")
    # forensics 500万 x 90% = 450万 -> 300万 per period; card fraud 200万 on main terms;
    # corporate info 2,000万 -> 1,000万; IP 5,000万 -> 3,000万; consulting 800万 < 1,000万.
    assert out.by_section == {"liability": 0, "consulting": 800 * MAN, "execution": 0,
                              "cyber_response": 300 * MAN, "card_fraud": 200 * MAN,
                              "corporate_info": 1_000 * MAN, "ip": 3_000 * MAN}
    assert p.apply({"forensics": 500 * MAN}, cause="insider").paid == 0


def test_jcci_aggregate_erodes_over_events_in_a_year():
    # Set C: liability 1億 and costs 1,000万, per claim and per period.
    # Event 1: damages 7,000万 -> 7,000万 (3,000万 left); letters 800万 -> 800万 (200万 left).
    # Event 2: damages 5,000万 -> 3,000万; letters 800万 -> 200万.
    # Event 3: damages 1,000万 -> 0; letters 100万 -> 0.
    p = sim.products.jcci("standard", "C")
    year = p.apply_year([
        {"losses": {"damages": 7_000 * MAN, "letters": 800 * MAN}, "victims": 5_000, "cause": "insider"},
        {"losses": {"damages": 5_000 * MAN, "letters": 800 * MAN}, "victims": 80_000,
         "reported": True, "cause": "cyber_attack"},
        {"losses": {"damages": 1_000 * MAN, "letters": 100 * MAN}, "victims": 100},
    ])
    assert [e.paid for e in year.events] == [7_800 * MAN, 3_200 * MAN, 0]
    assert year.by_section == {"liability": OKU, "costs": 1_000 * MAN}
    assert year.paid == 11_000 * MAN
    assert year.gross == 14_700 * MAN  # 7,800万 + 5,800万 + 1,100万
    assert year.retained == year.gross - year.paid


def test_aig_aggregate_erodes_section_and_main_limits():
    # Main 1億. Event 1: damages 8,000万, consulting 300万 -> 8,300万 (main left 1,700万,
    # consulting left 200万, liability left 2,000万).
    # Event 2: damages 3,000万 -> 2,000万 (liability aggregate); consulting 500万 -> 200万;
    # 2,200万 > main left 1,700万 -> x 17/22.
    p = sim.products.aig(limit=OKU, execution=False)
    year = p.apply_year([
        {"losses": {"damages": 8_000 * MAN, "consulting": 300 * MAN}},
        {"losses": {"damages": 3_000 * MAN, "consulting": 500 * MAN}},
    ])
    second = year.events[1].by_section
    assert second == pytest.approx({"liability": 2_000 * MAN * 17 / 22,
                                    "consulting": 200 * MAN * 17 / 22}, rel=1e-12)
    assert year.paid == pytest.approx(OKU, rel=1e-15)


def test_aig_cyber_response_aggregate_erodes():
    # 90% of 400万 = 360万 -> 300万 per period; the second event finds nothing left.
    p = sim.products.aig(limit=OKU, cyber_response=True)
    year = p.apply_year([{"losses": {"forensics": 400 * MAN}, "cause": "cyber_attack"},
                         {"losses": {"forensics": 100 * MAN}, "cause": "cyber_attack"}])
    assert [e.paid for e in year.events] == [300 * MAN, 0]
