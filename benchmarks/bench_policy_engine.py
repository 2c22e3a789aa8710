"""Policy-limit engine throughput: the Numba kernel against a plain-NumPy implementation of the
same terms, on the same 1,000,000 events, in the same run. Prints figures; asserts nothing
except that both implementations agree.

    python benchmarks/bench_policy_engine.py [--events 1000000] [--repeat 3]

The NumPy baseline is vectorised across policy years and loops over the event's rank within its
year (aggregates must erode in time order) and over the policy's nodes.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import sim
from sim.components import CAUSES, DEFAULT_INCIDENT, INCIDENT_INDEX, N_COMPONENTS
from sim.events import EventArrays
from sim.policy import PolicyArrays, run_terms, stack_policies


def make_events(n_events: int, seed: int = 1) -> tuple[EventArrays, np.ndarray]:
    """Random events, ~2 per year: lognormal component amounts around 100万, 100k victims."""
    rng = np.random.default_rng(seed)
    per_year = rng.poisson(2.0, size=n_events)
    per_year = per_year[np.cumsum(per_year) <= n_events]
    year_start = np.concatenate([[0], np.cumsum(per_year)])
    n = int(year_start[-1])
    losses = rng.lognormal(np.log(1e6), 1.5, size=(n, N_COMPONENTS)) * (rng.random((n, N_COMPONENTS)) < 0.6)
    events = EventArrays(losses, rng.integers(1, 200_000, n).astype(float),
                         rng.integers(0, 5, n).astype(float), rng.random(n) < 0.7,
                         rng.integers(0, len(CAUSES), n),
                         np.full(n, INCIDENT_INDEX[DEFAULT_INCIDENT]),  # every section passes a leak
                         np.zeros(n))
    return events, year_start


def numpy_apply(terms: PolicyArrays, events: EventArrays, year_start: np.ndarray) -> np.ndarray:
    """The same engine in plain NumPy: paid by section, shape (n_events, n_sections)."""
    n_years = len(year_start) - 1
    counts = np.diff(year_start)
    rank = np.arange(events.n_events) - np.repeat(year_start[:-1], counts)
    left = np.tile(terms.nodes["aggregate_limit"], (n_years, 1))
    paid_out = np.zeros((events.n_events, len(terms.section_node)))
    for r in range(int(counts.max()) if n_years else 0):
        ev = np.flatnonzero(rank == r)
        yr = np.repeat(np.arange(n_years), counts)[ev]
        node_paid = _numpy_event_step(terms, events, ev, left[yr])
        left[yr] = np.maximum(left[yr] - node_paid, 0.0)
        paid_out[ev] = node_paid[:, terms.section_node]
    return paid_out


def _numpy_event_step(terms: PolicyArrays, events: EventArrays, ev: np.ndarray,
                      left: np.ndarray) -> np.ndarray:
    n, nodes, inputs = len(ev), terms.nodes, terms.inputs
    x = events.losses[ev][:, inputs["component"]]
    capped = np.isfinite(inputs["cap_victim"])
    cap = (inputs["cap_victim"][capped] * events.victims[ev, None]
           + inputs["cap_corporate"][capped] * events.corporate_victims[ev, None])
    x[:, capped] = np.minimum(x[:, capped], cap)
    group_sum = np.add.reduceat(x, terms.group_start[:-1], axis=1)
    inflow = np.where(nodes["group"] >= 0, group_sum[:, nodes["group"]], 0.0)
    out = np.zeros((n, terms.n_nodes))
    ok_cause = (nodes["cause_mask"][None, :] >> events.cause[ev, None]) & 1 == 1
    ok_report = ~nodes["needs_report"][None, :] | events.reported[ev, None]
    for j, node in enumerate(nodes):
        y = np.where(ok_cause[:, j] & ok_report[:, j], inflow[:, j], 0.0)
        y = np.maximum(y - node["deductible"], 0.0) * (1.0 - node["coinsurance"])
        out[:, j] = np.minimum(np.minimum(y, node["event_limit"]), left[:, j])
        if node["parent"] >= 0:
            inflow[:, node["parent"]] += out[:, j]
    paid = np.zeros((n, terms.n_nodes))
    for j in range(terms.n_nodes - 1, -1, -1):
        p = nodes["parent"][j]
        if p < 0:
            paid[:, j] = out[:, j]
        else:
            cut = paid[:, p] < inflow[:, p]
            ratio = np.divide(paid[:, p], inflow[:, p], out=np.zeros(n), where=inflow[:, p] > 0)
            paid[:, j] = np.where(cut, out[:, j] * ratio, out[:, j])
    return paid


def best_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    events, year_start = make_events(args.events)
    cases = {
        "JCCI premium D (2 sections, 4 nodes)": [sim.products.jcci("premium", "D").compiled],
        "AIG 3億, every rider (7 sections, 11 nodes)": [sim.products.aig(
            limit=3e8, cyber_response=True, card_fraud=True, corporate_info="main", ip=3e7,
            deductible=1e6, coinsurance=0.1).compiled],
        "14 brochure policies stacked, one pass": [
            sim.products.jcci(plan, s).compiled for plan in ("standard", "premium") for s in "ABCD"]
            + [sim.products.aig(limit=m, execution=e).compiled
               for m in (5e7, 1e8, 3e8) for e in (False, True)],
    }
    print(f"{events.n_events:,} events in {len(year_start) - 1:,} policy years; best of {args.repeat}")
    print(f"{'case':46s} {'numba ev/s':>14s} {'numpy ev/s':>14s} {'ratio':>7s} {'max |diff|':>11s}")
    for label, compiled in cases.items():
        terms = stack_policies(compiled)
        run_terms(terms, EventArrays(*(a[:10] for a in events)), np.array([0, 10]))  # compile
        t_numba = best_time(lambda t=terms: run_terms(t, events, year_start), args.repeat)
        t_numpy = best_time(lambda t=terms: numpy_apply(t, events, year_start), args.repeat)
        diff = np.abs(run_terms(terms, events, year_start)[0] - numpy_apply(terms, events, year_start)).max()
        assert diff <= 1e-6, f"numpy and numba disagree by {diff}"
        n = events.n_events
        print(f"{label:46s} {n / t_numba:14,.0f} {n / t_numpy:14,.0f} {t_numpy / t_numba:6.1f}x {diff:11.2e}")


if __name__ == "__main__":
    main()
