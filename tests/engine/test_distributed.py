"""Scale-out on Dask gives the same numbers as a local run with the same seed."""
from dataclasses import replace

import numpy as np
import pytest

import sim
from sim.engine._memory import BLOCK_YEARS

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


def test_dask_keeps_the_same_events_in_year_order(client):
    import pandas as pd

    scn = sim.load_scenario(SCENARIOS / "jcci_internet_3oku_B.toml")
    scn = replace(scn, frequency=sim.losses.Frequency.poisson(2.0))  # several events a year
    n = 5 * BLOCK_YEARS + 77
    local = sim.simulate(scn, n_years=n, seed=21, threads=1, keep_events=True).events()
    remote = sim.simulate(scn, n_years=n, seed=21, client=client, keep_events=True).events()
    assert remote["year"].is_monotonic_increasing and remote["year"].iloc[-1] >= n - 77
    pd.testing.assert_frame_equal(local, remote, check_exact=True)


def test_task_keeps_only_the_events_of_its_own_blocks():
    from sim.engine.distributed import _run_chunk

    scn = sim.load_scenario(SCENARIOS / "peer_compound.toml")
    n = 4 * BLOCK_YEARS + 5
    events = _run_chunk(scn, n, 3, False, [4, 1], True).events
    local = sim.simulate(scn, n_years=n, seed=3, threads=1, keep_events=True).events()
    mine = local[(local["year"] // BLOCK_YEARS).isin([1, 4])]
    np.testing.assert_array_equal(events.year, mine["year"])
    np.testing.assert_array_equal(events.gross, mine["gross"])


def test_dask_without_kept_years(client):
    scn = sim.load_scenario(SCENARIOS / "jcci_brochure_100k.toml")
    local = sim.simulate(scn, n_years=3 * BLOCK_YEARS, seed=2)
    remote = sim.simulate(scn, n_years=3 * BLOCK_YEARS, seed=2, client=client)
    assert local.summary().equals(remote.summary())


def test_task_keeps_only_its_own_years():
    """A task's run holds the years of its own blocks, not the whole run's (memory)."""
    from sim.engine.distributed import _run_chunk

    scn = sim.load_scenario(SCENARIOS / "peer_compound.toml")
    n = 4 * BLOCK_YEARS + 5
    out = _run_chunk(scn, n, 3, True, [4, 1])
    years = out.year_values
    local = sim.simulate(scn, n_years=n, seed=3, threads=1, keep_years=True).to_frame()
    assert out.blocks == [1, 4] and len(years) == BLOCK_YEARS + 5
    gross = local[("*", "gross", "aggregate")].to_numpy()  # slots 0 and 1: one / several events
    np.testing.assert_array_equal(years[-5:, 0] + years[-5:, 1], gross[-5:])
    np.testing.assert_array_equal(years[:-5, 0] + years[:-5, 1],
                                  gross[BLOCK_YEARS:2 * BLOCK_YEARS])


@pytest.mark.parametrize("not_a_client", ["tcp://127.0.0.1:8786", object(), 4])
def test_a_client_that_is_not_a_dask_client_is_refused_before_work(monkeypatch, not_a_client):
    import sim.engine.runner

    def no_work(*args, **kwargs):
        raise AssertionError("the run started")

    monkeypatch.setattr(sim.engine.runner, "compile_run", no_work)
    scn = sim.load_scenario(SCENARIOS / "peer_compound.toml")
    with pytest.raises(sim._errors.InputError, match=r"^client: expected a dask.distributed.Client"):
        sim.simulate(scn, n_years=1000, seed=1, client=not_a_client)


def test_a_cluster_passed_as_client_is_refused_with_a_hint():
    scn = sim.load_scenario(SCENARIOS / "peer_compound.toml")
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cluster:
        with pytest.raises(sim._errors.InputError, match=r"got LocalCluster .*pass Client\(cluster\)"):
            sim.simulate(scn, n_years=1000, seed=1, client=cluster)


def test_losing_every_worker_says_so():
    """Both workers go while the run is under way: a RuntimeError that says so, promptly."""
    import threading
    import time

    scn = sim.load_scenario(SCENARIOS / "peer_compound.toml")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as c:

        def close_workers_once_busy() -> None:
            deadline = time.monotonic() + 60
            while not any(c.processing().values()) and time.monotonic() < deadline:
                time.sleep(0.02)
            cluster.scale(0)

        killer = threading.Thread(target=close_workers_once_busy, daemon=True)
        killer.start()
        start = time.monotonic()
        with pytest.raises(RuntimeError, match="all Dask workers were lost") as err:
            sim.simulate(scn, n_years=3000 * BLOCK_YEARS, seed=1, client=c)  # a minute's work
        assert time.monotonic() - start < 15
        assert str(c.scheduler.address) in str(err.value)
        killer.join()


def test_a_cluster_without_workers_says_so(monkeypatch):
    import sim.engine.distributed

    monkeypatch.setattr(sim.engine.distributed, "WORKER_WAIT_S", 1.0)
    scn = sim.load_scenario(SCENARIOS / "peer_compound.toml")
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as c:
        with pytest.raises(RuntimeError, match=r"has no workers \(waited 1 s\)"):
            sim.simulate(scn, n_years=1000, seed=1, client=c)


def test_dask_gives_the_same_per_event_view_and_components(client):
    scn = sim.load_scenario(SCENARIOS / "calibrated_100k.toml")
    n = 3 * BLOCK_YEARS + 5
    local = sim.simulate_events(scn, n, seed=4, threads=1)
    remote = sim.simulate_events(scn, n, seed=4, client=client)
    assert remote.view == "per_event" and local.summary().equals(remote.summary())
    assert local.expected_by_component().equals(remote.expected_by_component())
