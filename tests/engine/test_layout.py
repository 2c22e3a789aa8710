"""The slot layout: written once (engine/layout.py), indexed by the block kernel, read by name."""
import numpy as np
import pytest

import sim
from sim.engine.blocks import compile_run, run_blocks
from sim.engine.layout import SlotLayout, build_layout

from conftest import SCENARIOS

AIG = sim.load_scenario(SCENARIOS / "aig_brochure_100k.toml")


def test_layout_numbers_slots_as_the_hand_table():
    # Written out by hand: gross 0-2; policy A (sections x, y): paid 3-5, retained 6-8, x 9,
    # y 10; policy B (one section): paid 11-13, retained 14-16, its section reads paid.
    lay = build_layout(["A", "B"], [["x", "y"], ["z"]])
    assert lay.slots.one.tolist() == [0, 3, 6, 11, 14]
    assert lay.slots.total.tolist() == [1, 4, 7, 12, 15]
    assert lay.slots.largest.tolist() == [2, 5, 8, 13, 16]
    assert lay.slots.section.tolist() == [9, 10, -1] and lay.n_slots == 17
    rows = {(m.policy, m.name, m.kind): m.slots for m in lay.measures}
    assert rows[("A", "retained", "occurrence")] == (6, 8)
    assert rows[("A", "paid:y", "aggregate")] == (10,)
    assert rows[("B", "paid:z", "aggregate")] == (11, 12)


def test_the_kernel_writes_each_value_at_the_slot_the_layout_names():
    """Renumber the slots (reversed): every kept year's column moves with them, so the kernel
    takes its slot numbers from the layout arrays, not from a numbering of its own."""
    run = compile_run(AIG, 3000, 9)
    n = run.layout.n_slots
    s = run.layout.slots
    flip = SlotLayout(*(np.where(a >= 0, n - 1 - a, a) for a in s))
    flipped = run._replace(layout=run.layout._replace(slots=flip))
    plain = run_blocks(run, [0], keep_years=True).year_values
    moved = run_blocks(flipped, [0], keep_years=True).year_values
    assert plain.any(axis=0).sum() > 3  # several slots reached
    np.testing.assert_array_equal(moved, plain[:, ::-1])


def test_analysis_reads_rows_by_name():
    res = sim.simulate(AIG, n_years=5000, seed=3, keep_years=True)
    policy = AIG.policies[0].name
    kept = res.to_frame()[(policy, "paid", "aggregate")].to_numpy()
    assert res.mean(policy, "paid") == pytest.approx(kept.mean(), rel=1e-12)
    i = res.measure_index(policy, "retained", "occurrence")
    largest = res.to_frame()[(policy, "retained", "occurrence")].to_numpy()
    assert res.tally.nonzero[i] == np.count_nonzero(largest)
    rows = list(res.rows())
    assert rows[0] == (policy, "gross", res.measure_index(policy, "gross"))
    assert [(p, m) for p, m, _ in rows] == list(res.summary().index)
    with pytest.raises(KeyError, match="no measure"):
        res.measure_index(policy, "paid:nothing")
