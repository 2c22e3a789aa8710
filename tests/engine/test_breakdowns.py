"""Gross by loss component on the result (checked against the kept events), and where an EP
curve stops being supported by the simulated years."""
import numpy as np
import pytest

import sim

from conftest import SCENARIOS

CALIBRATED = SCENARIOS / "calibrated_100k.toml"   # many components, Poisson events
JCCI = SCENARIOS / "jcci_brochure_100k.toml"      # exactly one event a year


@pytest.mark.parametrize("path, n_years", [(CALIBRATED, 30_000), (JCCI, 3_000)])
def test_expected_by_component_is_the_events_sum_over_years(path, n_years):
    res = sim.simulate(path, n_years, seed=9, keep_events=True, keep_years=True, threads=2)
    events = res.events()
    by = res.expected_by_component(ci=0.9)
    assert list(by.index) == list(res.scenario.model.components)
    for comp in by.index:
        per_year = np.bincount(events["year"], weights=events[comp], minlength=n_years)
        assert by.loc[comp, "mean"] == pytest.approx(per_year.sum() / n_years, rel=1e-12, abs=1e-9)
        sem = per_year.std(ddof=1) / np.sqrt(n_years)
        assert by.loc[comp, "sem"] == pytest.approx(sem, rel=1e-9, abs=1e-9)
        assert by.loc[comp, "mean_lo"] <= by.loc[comp, "mean"] <= by.loc[comp, "mean_hi"]
    gross_years = res.to_frame()[("*", "gross", "aggregate")].to_numpy()
    assert by["mean"].sum() == pytest.approx(gross_years.mean(), abs=0.5)  # years kept in whole yen
    assert by["share"].sum() == pytest.approx(1.0)


def test_components_are_the_same_on_any_threads_and_travel(tmp_path):
    one = sim.simulate(CALIBRATED, 40_000, seed=2, threads=1).expected_by_component()
    res = sim.simulate(CALIBRATED, 40_000, seed=2, threads=2)
    assert res.expected_by_component().equals(one)
    back = sim.load_result(res.save(tmp_path / "r.npz"))
    assert back.expected_by_component().equals(one)


def test_the_per_event_view_gives_the_breach_mean_by_component():
    per_event = sim.simulate_events(JCCI, 2_000, seed=4, keep_events=True)
    events = per_event.events()
    for comp, row in per_event.expected_by_component().iterrows():
        assert row["mean"] == pytest.approx(events[comp].mean(), rel=1e-12, abs=1e-9)


def test_ep_points_beyond_a_tenth_of_the_years_are_marked_unsupported():
    res = sim.simulate(SCENARIOS / "peer_compound.toml", 5_000, seed=1)
    curve = res.ep_curve("aep")
    assert list(curve.columns[:2]) == ["probability", "supported"]
    expected = {t: t * 10 <= 5_000 for t in curve.index}  # >= 10 years expected beyond t
    assert curve["supported"].to_dict() == expected
    assert curve.loc[500, "supported"] and not curve.loc[1_000, "supported"]
    assert curve.attrs["n_years"] == 5_000 and curve.attrs["seed"] == 1
