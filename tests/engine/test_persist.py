"""Results that travel: res.save / sim.load_result give back the same figures to the last bit;
the metadata (scenario, its hashes, seed, years, version) is on the result and its frames; the
expected paid by section matches the kept years."""
import hashlib
import importlib.metadata
import shutil
import zipfile

import numpy as np
import pytest

import sim
from sim._errors import InputError

from conftest import SCENARIOS

PEER = SCENARIOS / "peer_compound.toml"
JCCI = SCENARIOS / "jcci_brochure_100k.toml"


@pytest.fixture(scope="module")
def jcci():
    return sim.simulate(sim.load_scenario(JCCI), 20_000, seed=11, keep_years=True)


def same_figures(a, b) -> None:
    """Every reading of ``a`` and ``b`` identical (``equals``: bit for bit, NaN nowhere)."""
    assert a.summary().equals(b.summary())
    assert a.summary(ci=0.9).equals(b.summary(ci=0.9))
    assert a.limits().equals(b.limits())
    for kind in ("aep", "oep"):
        assert a.ep_curve(kind).equals(b.ep_curve(kind))
    for p in a.scenario.policies:
        for measure in ("gross", "paid", "retained"):
            for kind in ("aggregate", "occurrence"):
                for q in (0.0, 0.3, 0.9, 0.99, 0.9995, 1.0):
                    assert a.quantile(p.name, measure, q, kind) == b.quantile(p.name, measure, q, kind)
            assert a.cdf(p.name, measure, 3e7) == b.cdf(p.name, measure, 3e7)


def test_round_trip_gives_identical_figures(jcci, tmp_path):
    path = jcci.save(tmp_path / "jcci.npz")
    back = sim.load_result(path)
    same_figures(jcci, back)
    assert back.to_frame().equals(jcci.to_frame())
    assert (back.n_years, back.seed, back.scenario.name) == (20_000, 11, jcci.scenario.name)
    assert back.metadata() == jcci.metadata()
    assert back.expected_by_section().equals(jcci.expected_by_section())


def test_round_trip_of_a_run_without_kept_years_across_blocks(tmp_path):
    res = sim.simulate(PEER, 40_000, seed=3)
    back = sim.load_result(res.save(tmp_path / "peer.npz"))
    same_figures(res, back)
    with pytest.raises(ValueError, match="keep_years"):
        back.to_frame()


def test_the_file_holds_no_pickle(jcci, tmp_path):
    """Every member loads with allow_pickle=False (no object arrays); the metadata is JSON."""
    path = jcci.save(tmp_path / "jcci.npz")
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    assert all(a.dtype != object for a in arrays.values())
    assert zipfile.is_zipfile(path)


def test_loading_with_its_scenario_attaches_it_and_a_different_one_is_refused(jcci, tmp_path):
    path = jcci.save(tmp_path / "jcci.npz")
    back = sim.load_result(path, scenario=JCCI)
    assert isinstance(back.scenario, sim.scenario.Scenario)
    same_figures(jcci, back)
    with pytest.raises(InputError, match="^scenario: .*not the scenario"):
        sim.load_result(path, scenario=PEER)
    with pytest.raises(InputError, match="^scenario: "):
        sim.load_result(path, scenario=jcci.scenario.with_policies(jcci.scenario.policies[:1]))


def test_bad_paths_are_refused(jcci, tmp_path):
    with pytest.raises(InputError, match="^path: .*npz"):
        jcci.save(tmp_path / "jcci.parquet")
    (tmp_path / "other.npz").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="^path: .*not a saved breach-sim result"):
        sim.load_result(tmp_path / "other.npz")
    np.savez(tmp_path / "arrays.npz", x=np.arange(3))
    with pytest.raises(InputError, match="^path: .*not a saved breach-sim result"):
        sim.load_result(tmp_path / "arrays.npz")
    with pytest.raises(FileNotFoundError):
        sim.load_result(tmp_path / "missing.npz")


def test_metadata_names_the_run(jcci):
    meta = jcci.metadata()
    assert meta["seed"] == 11 and meta["n_years"] == 20_000
    assert meta["version"] in (importlib.metadata.version("breach-sim"), sim.__version__)
    assert meta["scenario_sha256"] == hashlib.sha256(JCCI.read_bytes()).hexdigest()
    assert meta["scenario_path"] == str(JCCI)
    assert len(meta["scenario_content_sha256"]) == 64
    for frame in (jcci.summary(), jcci.summary(ci=0.9), jcci.to_frame()):
        assert {k: frame.attrs[k] for k in meta} == meta


def test_content_hash_follows_the_content_not_the_file(tmp_path, jcci):
    """The same file elsewhere: the same content hash; the scenario changed in Python: another
    one, and no file hash (the file no longer describes it)."""
    copy = tmp_path / "copy.toml"
    shutil.copy(JCCI, copy)
    moved = sim.simulate(sim.load_scenario(copy), 100, seed=11).metadata()
    assert moved["scenario_content_sha256"] == jcci.metadata()["scenario_content_sha256"]
    changed = jcci.scenario.with_policies(jcci.scenario.policies[1:])
    meta = sim.simulate(changed, 100, seed=11).metadata()
    assert meta["scenario_content_sha256"] != jcci.metadata()["scenario_content_sha256"]
    assert meta["scenario_sha256"] == ""


def test_expected_paid_by_section_from_the_kept_years(jcci):
    """Each section's mean paid and its share of the policy's, against the kept years."""
    frame, years = jcci.expected_by_section(ci=0.95), jcci.to_frame()
    assert len(frame) == sum(len(p.section_names) for p in jcci.scenario.policies)
    for p in jcci.scenario.policies:
        paid = years[(p.name, "paid", "aggregate")].mean()
        for section in p.section_names:
            want = years[(p.name, f"paid:{section}", "aggregate")].mean()
            row = frame.loc[(p.name, section)]
            assert row["mean"] == pytest.approx(want, rel=1e-12)
            assert row["share"] == pytest.approx(want / paid, rel=1e-12)
            assert row["mean_lo"] <= row["mean"] <= row["mean_hi"]
