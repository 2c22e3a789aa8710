"""Hostile input gets a clear error naming the field (never a traceback), and NumPy numbers are
numbers: one test per class of issue 13's findings."""
import numpy as np
import pytest

import sim
from sim._errors import InputError, check_amount, check_count, check_fraction, within
from sim.calibration.breach_size import fit_breach_size
from sim.calibration.damages import jo_mean_per_person
from sim.calibration.model import calibrated_model, default
from sim.scenario import model_from_dict
from sim.losses.frequency import frequency_from_dict
from sim.policy import basic
from sim.scenario import ScenarioError, load_scenario, scenario_from_dict

from conftest import SCENARIOS

PEER = SCENARIOS / "peer_compound.toml"
EVENT = {"losses": {"damages": 1e6}}


def test_numpy_scalars_are_numbers_and_numpy_bools_are_not():
    assert check_amount("a", np.float64(1e6)) == 1e6
    assert check_amount("a", np.int64(5)) == 5.0
    assert check_count("c", np.int64(5)) == 5 and check_count("c", np.float64(3.0)) == 3
    assert check_fraction("f", np.float32(0.5)) == 0.5
    for check in (check_amount, check_count, check_fraction):
        with pytest.raises(InputError, match=r"^x: np.True_ is not"):
            check("x", np.True_)
    # through the public API: terms, events, frequencies, simulate
    out = basic(limit=np.float64(1e6), deductible=np.int64(5)).apply(
        {"damages": np.float64(2e6)}, victims=np.int64(10))
    assert (out.gross, out.paid) == (2e6, 1e6)
    assert frequency_from_dict({"kind": "poisson", "rate": np.int64(2)}).mean == 2.0
    res = sim.simulate(load_scenario(PEER), n_years=np.int64(1000), seed=np.int64(1))
    assert res.n_years == 1000


def test_ints_too_large_for_a_float_are_refused_not_a_crash():
    with pytest.raises(InputError, match=r"^a: 1000000.* \.\.\. is not allowed; expected a finite"):
        check_amount("a", 10**400)
    with pytest.raises(InputError, match=r"^c: .* expected a whole number"):
        check_count("c", 10**400)


def test_a_file_that_is_not_utf8_names_the_file_and_line(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('name = "x"\ndescription = "café"\n'.encode("latin-1"))
    with pytest.raises(ScenarioError, match=rf"^{tmp_path}/latin1.toml: toml: not UTF-8 \(line 2"):
        load_scenario(path)


def test_a_file_nested_absurdly_deep_is_refused(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(ScenarioError, match=r"deep.toml: toml: arrays or tables nested too deeply"):
        load_scenario(path)


@pytest.mark.parametrize("model, match", [
    ({"costs": {"letters": {"per_record": 1, "causes": [["insider"]]}}},
     r"^model.costs.letters.causes\[0\]: \['insider'\] is not a name; allowed values: 'cyber_attack'"),
    ({"costs": {"letters": {"per_record": 1, "causes": "insider"}}},
     r"^model.costs.letters.causes: 'insider' is a single name; expected a list, e.g. \['insider'\]"),
    ({"defaults": "calibrated", "data": "basic_contact"},
     r"^model.data: 'basic_contact' is a single name"),
    ({"defaults": "calibrated", "data": [["basic_contact"]]}, r"^model.data\[0\]: \['basic_contact'\]"),
    ({"defaults": "calibrated", "view": ["courts"]}, r"^model.view: \['courts'\] is not allowed"),
])
def test_wrong_types_where_a_list_or_table_is_expected(model, match):
    with pytest.raises(InputError, match=match):
        model_from_dict({"size": {"value": 10}, **model})


@pytest.mark.parametrize("value", [5, "x", [1], True])
def test_the_error_names_the_bad_key_not_a_neighbour(value):
    # reporting = { probability = ... } was reported as reporting.p_min
    with pytest.raises(InputError, match=r"^model.reporting.probability: "):
        model_from_dict({"reporting": {"probability": value}})


def test_a_cost_that_would_cost_nothing_is_refused():
    with pytest.raises(InputError, match=r"^model.costs.letters: a cost needs fixed, per_record and/or per_corporate"):
        model_from_dict({"costs": {"letters": {"probability": 0.5}}})


@pytest.mark.parametrize("key, value", [
    ("name", ["x"]), ("description", {"a": 1}), ("reference", {"gross": 1, "source": [1]}),
])
def test_text_fields_must_be_strings(key, value):
    data = {"name": "x", "event": EVENT, "policies": [{"product": "basic"}], key: value}
    with pytest.raises(ScenarioError, match=rf"^t.toml: {key}(\.source)?: .* expected a string"):
        scenario_from_dict(data, source="t.toml")


def test_a_scenario_that_is_not_a_table():
    with pytest.raises(ScenarioError, match=r"^t.toml: \[1\] is not a scenario table"):
        scenario_from_dict([1], source="t.toml")
    with pytest.raises(InputError, match=r"^path: None is not a file name"):
        load_scenario(None)


@pytest.mark.parametrize("policies, match", [
    ([], r"policies: \[\] is not allowed; expected at least one Policy"),
    ([5], r"policies\[0\]: 5 is not a Policy"),
    (basic(), r"policies: a Policy is not a list"),
])
def test_with_policies_refuses_no_policies_and_non_policies(policies, match):
    with pytest.raises(ScenarioError, match=match):
        load_scenario(PEER).with_policies(policies)


def test_simulate_loads_a_path_and_refuses_other_types():
    a = sim.simulate(str(PEER), n_years=2000, seed=3).summary()
    b = sim.simulate(load_scenario(PEER), n_years=2000, seed=3).summary()
    assert a.equals(b)
    for bad in (None, 5, {"name": "x"}):
        with pytest.raises(InputError, match=rf"^scenario: a {type(bad).__name__} is not a Scenario"):
            sim.simulate(bad, n_years=1000, seed=1)


@pytest.mark.parametrize("kwargs, match", [
    (dict(client=5), r"^client: expected a dask.distributed.Client, got int"),
    (dict(keep_years="yes"), r"^keep_years: 'yes' is not allowed; allowed values: True, False"),
    (dict(progress=1), r"^progress: 1 is not allowed"),
    (dict(max_memory="8G"), r"^max_memory: '8G' is not allowed; expected a number of bytes"),
])
def test_simulate_keyword_arguments_are_checked(kwargs, match):
    with pytest.raises(InputError, match=match):
        sim.simulate(load_scenario(PEER), n_years=1000, seed=1, **kwargs)


@pytest.mark.parametrize("call, match", [
    (lambda: calibrated_model(["basic_contact"], sizee=1),
     r"^overrides: unknown name 'sizee'; allowed values: 'cause_mix', 'size'"),
    (lambda: calibrated_model("basic_contact"), r"^data: 'basic_contact' is a single name"),
    (lambda: jo_mean_per_person(handlin="appropriate"),
     r"^factors: unknown name 'handlin'; allowed values: 'identifiability'"),
    (lambda: default("nope"), r"^name: 'nope' is not allowed; allowed values: 'claimant_rate_cv'"),
    (lambda: fit_breach_size(mean=-1), r"^mean: -1 is not allowed; expected an amount > 0"),
])
def test_keyword_arguments_swallowed_by_kwargs_are_named(call, match):
    with pytest.raises(InputError, match=match):
        call()


def test_within_locates_an_input_error_under_a_prefix():
    with pytest.raises(InputError, match=r"^policies\[2\].limit: bad") as info:
        with within("policies[2]"):
            raise InputError("limit", "bad")
    assert info.value.field == "policies[2].limit" and info.value.__cause__ is None
    with pytest.raises(InputError, match=r"^model.size\[1\]: bad"):
        with within("model.size"):
            raise InputError("[1]", "bad")
    with pytest.raises(KeyError):  # other errors pass through untouched
        with within("x"):
            raise KeyError("k")



def test_event_rate_from_premium_refuses_what_is_not_a_scenario():
    from sim.pricing import event_rate_from_premium

    with pytest.raises(InputError, match=r"^scenario: a str is not a Scenario"):
        event_rate_from_premium(str(PEER), "basic XL", premium=1e6)


@pytest.mark.parametrize("model", [{"cause_mix": list(range(100_000))},
                                   {"litigation": {"method": "x" * 100_000}},
                                   {"size": {"value": 10**400}}])
def test_a_huge_bad_value_gives_a_one_line_message(model):
    with pytest.raises(InputError) as info:
        model_from_dict(model)
    assert len(str(info.value)) < 200 and " ... " in str(info.value)
