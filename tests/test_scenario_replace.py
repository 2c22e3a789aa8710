"""Scenario.replace: a changed copy, checked as a loaded file is, the original left alone."""
import re

import pytest

import sim
from sim.losses import Frequency
from sim.scenario import ScenarioError

from conftest import SCENARIOS

PEER = SCENARIOS / "peer_compound.toml"
JCCI = SCENARIOS / "jcci_brochure_100k.toml"


def test_frequency_model_and_name_change_the_copy_only():
    scn = sim.load_scenario(PEER)
    busier = scn.replace(frequency={"kind": "poisson", "rate": 1.0}, name="busier")
    assert (busier.frequency.kind, busier.frequency.mean, busier.name) == ("poisson", 1.0, "busier")
    assert (scn.frequency.mean, scn.name.startswith("Peer")) == (0.5, True)
    assert scn.replace(frequency=Frequency.negative_binomial(0.5, 3.0)).frequency.cv == 3.0
    model = scn.replace(model={"direct": {"damages": {"dist": "fixed", "value": 2e6}}}).model
    assert model.direct["damages"].value == 2e6
    assert busier.policies == scn.policies


def test_a_changed_scenario_simulates_the_change():
    """Poisson(1) instead of Poisson(0.5): P(no event in a year) is exp(-1), not exp(-0.5)."""
    scn = sim.load_scenario(PEER).replace(frequency={"kind": "poisson", "rate": 1.0})
    res = sim.simulate(scn, 40_000, seed=3)
    p = 1 - res.statistic("basic XL", "gross", "p_nonzero")
    assert abs(p - 0.36787944) < 4 * (0.36787944 * 0.63212056 / 40_000) ** 0.5
    assert res.metadata()["scenario_sha256"] == ""  # changed in code: not the file's content


def test_policies_as_tables_and_premiums_follow_the_policies():
    scn = sim.load_scenario(JCCI)
    table = {"product": "basic", "name": "own XL", "deductible": 0, "limit": 5e7}
    mine = scn.replace(policies=[scn.policies[0], table], premiums={"own XL": 1.2e6})
    assert [p.name for p in mine.policies] == [scn.policies[0].name, "own XL"]
    assert mine.premiums == {"own XL": 1.2e6}
    kept = scn.replace(policies=scn.policies[:2])
    assert kept.premiums == {k: v for k, v in scn.premiums.items()
                             if k in {p.name for p in scn.policies[:2]}}


@pytest.mark.parametrize("changes, field", [
    ({"colour": "red"}, "replace"),
    ({"frequency": 3}, "frequency"),
    ({"frequency": {"kind": "poisson", "rate": -1}}, "frequency.rate"),
    ({"model": None}, "model"),
    ({"premiums": {"nobody": 1.0}}, "premiums"),
    ({"premiums": {"basic XL": 0}}, "premiums.basic XL"),
    ({"policies": []}, "policies"),
    ({"policies": [{"product": "basic", "name": "a"}, {"product": "basic", "name": "a"}]},
     "policies[1].name"),
    ({"name": 3}, "name"),
])
def test_bad_changes_name_the_field(changes, field):
    with pytest.raises(ScenarioError, match=f"peer_compound.toml: {re.escape(field)}: "):
        sim.load_scenario(PEER).replace(**changes)


def test_policy_tables_with_their_premium_replace_policies_and_premiums():
    """A scenario file's own [[policies]] tables, premium included, as a loaded file reads them."""
    import tomllib

    path = SCENARIOS / "jcci_wholesale_20oku_D.toml"
    tables = tomllib.loads(path.read_text("utf-8"))["policies"]
    new = sim.load_scenario(path).replace(policies=tables[:1])
    assert [p.name for p in new.policies] == ["JCCI standard D"]
    assert new.premiums == {"JCCI standard D": tables[0]["premium"]}
