import sim
import sim.policy
import sim.products


def test_public_names_are_pinned():
    assert sorted(sim.__all__) == sorted(["CAUSES", "COMPONENTS", "SimulationResult", "compare", "format_yen",
                                          "load_result", "load_scenario", "policy", "products", "sensitivity",
                                          "simulate", "simulate_events", "yen_frame", "yen_style"])
    assert sorted(sim.products.__all__) == ["PRODUCTS", "aig", "jcci"]


def test_design_section_9_calls():
    p = sim.products.jcci(plan="premium", coverage_set="E", liability_limit=2e8, cost_limit=5e7)
    p = sim.products.aig(limit=3e8, execution=True, consulting_double=False, execution_double=False,
                         coinsurance_waiver=False, cyber_response=False, card_fraud=False,
                         deductible=0, coinsurance=0.0)
    out = p.apply({"damages": 1e8, "litigation": 1.4e7}, victims=100_000, reported=True,
                  cause="cyber_attack")
    assert (out.gross, out.paid, out.retained) == (1.14e8, 1.14e8, 0.0)
    assert isinstance(out.by_section, dict)
    yr = p.apply_year([{"losses": {"damages": 2e8}, "victims": 5_000, "reported": True, "cause": "insider"},
                       {"losses": {"damages": 2e8}, "victims": 80_000, "reported": True,
                        "cause": "cyber_attack"}])
    assert (yr.gross, yr.paid, yr.retained) == (4e8, 3e8, 1e8)
    assert yr.by_section["liability"] == 3e8
    scn = sim.load_scenario("scenarios/jcci_brochure_100k.toml")
    res = sim.simulate(scn, n_years=2_000, seed=7)
    summary = res.summary()
    assert {"mean", "std", "sem", "var_90", "var_95", "var_99", "var_99_5", "var_99_9", "tvar_99",
            "tvar_99_5", "p_nonzero"} <= set(summary.columns)
    assert summary.index.names == ["policy", "measure"]
    assert ("JCCI standard C", "paid:costs") in summary.index
    assert not summary.isna().any().any()
