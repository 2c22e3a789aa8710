"""Scale-out on Dask gives the same numbers as a local run with the same seed."""
import numpy as np
import pytest

import sim
from sim.runner import BLOCK_YEARS

from conftest import SCENARIOS

distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def client():
    with distributed.Client(n_workers=2, threads_per_worker=1, processes=False,
                            dashboard_address=None) as c:
        yield c


@pytest.mark.parametrize("name", ["peer_compound.toml", "aig_brochure_100k.toml"])
def test_dask_equals_local(client, name):
    scn = sim.load_scenario(SCENARIOS / name)
    n = 5 * BLOCK_YEARS + 77
    local = sim.simulate(scn, n_years=n, seed=21, threads=1, keep_years=True)
    remote = sim.simulate(scn, n_years=n, seed=21, client=client, keep_years=True)
    np.testing.assert_array_equal(local.to_frame().to_numpy(), remote.to_frame().to_numpy())
    assert local.summary().equals(remote.summary())
    assert local.limits().equals(remote.limits())


def test_dask_without_kept_years(client):
    scn = sim.load_scenario(SCENARIOS / "jcci_brochure_100k.toml")
    local = sim.simulate(scn, n_years=3 * BLOCK_YEARS, seed=2)
    remote = sim.simulate(scn, n_years=3 * BLOCK_YEARS, seed=2, client=client)
    assert local.summary().equals(remote.summary())
