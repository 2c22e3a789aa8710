"""The per-breach view: sim.simulate_events runs exactly one event a trial, drawn from the
scenario's loss model; checked against the lognormal's closed forms and the kept events."""
import math

import numpy as np
import pytest
from scipy import stats

import sim
from sim._errors import InputError

from conftest import SCENARIOS

PEER = SCENARIOS / "peer_compound.toml"  # lognormal(ln 1e7, 1.5) per event, XL 1e8 xs 1e6
MU, SIGMA, DED, LIMIT = math.log(1e7), 1.5, 1e6, 1e8
N = 40_000


@pytest.fixture(scope="module")
def per_event():
    return sim.simulate_events(sim.load_scenario(PEER), N, seed=5, keep_events=True)


def _limited_mean(x: float) -> float:
    """E[min(X, x)] of the lognormal (Klugman, Panjer & Willmot, Loss Models, A.4.1.1)."""
    z = (math.log(x) - MU - SIGMA ** 2) / SIGMA
    return (math.exp(MU + SIGMA ** 2 / 2) * stats.norm.cdf(z)
            + x * stats.norm.sf((math.log(x) - MU) / SIGMA))


def test_every_trial_is_one_event(per_event):
    events = per_event.events()
    assert len(events) == N and (events["year"].to_numpy() == np.arange(N)).all()
    assert per_event.view == "per_event" and per_event.unit == "event" and per_event.n_trials == N
    assert per_event.statistic("basic XL", "gross", "p_nonzero") == 1.0
    attrs = per_event.summary().attrs
    assert (attrs["view"], attrs["unit"], attrs["n_years"]) == ("per_event", "event", N)
    assert "n_events=40,000" in repr(per_event)


def test_means_match_the_lognormal_closed_forms(per_event):
    gross = math.exp(MU + SIGMA ** 2 / 2)
    paid = _limited_mean(DED + LIMIT) - _limited_mean(DED)  # the layer 1e8 xs 1e6 of one event
    s = per_event.summary()
    for measure, exact in (("gross", gross), ("paid", paid)):
        row = s.loc[("basic XL", measure)]
        assert abs(row["mean"] - exact) < 4 * row["sem"], (measure, row["mean"], exact)
    q99 = math.exp(MU + SIGMA * stats.norm.ppf(0.99))
    lo, hi = per_event.quantile_interval("basic XL", "gross", 0.99, ci=0.999)
    assert lo <= q99 <= hi


def test_same_events_as_a_one_event_frequency_and_any_threads(per_event):
    scn = sim.load_scenario(PEER)
    one = sim.simulate(scn.replace(frequency={"kind": "one"}), N, seed=5)
    assert one.summary().equals(per_event.summary())
    again = sim.simulate_events(scn, N, seed=5, threads=1)
    assert again.summary().equals(per_event.summary())
    assert per_event.scenario is not None and per_event.scenario.frequency.kind == "poisson"


def test_the_annual_view_is_unchanged_and_saved_views_travel(per_event, tmp_path):
    annual = sim.simulate(PEER, 2_000, seed=5)
    assert annual.view == "annual" and annual.summary().attrs["unit"] == "year"
    back = sim.load_result(per_event.save(tmp_path / "per_event.npz"))
    assert back.view == "per_event" and back.summary().equals(per_event.summary())


def test_bad_counts_are_refused_naming_n_events():
    for bad in (0, -1, 2.5, "10"):
        with pytest.raises(InputError, match="^n_events: "):
            sim.simulate_events(PEER, bad, seed=1)
