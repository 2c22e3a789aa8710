"""``[frequency] defaults = "calibrated"`` in scenario files (issue 16): the firm's rates build the
scenario's frequency and incident mix, no premium is read, and bad input names its field."""
from __future__ import annotations

import math
import re

import pytest

import sim
import sim.data
from sim.calibration import frequency
from sim.calibration.frequency import calibrated_frequency
from sim.scenario import ScenarioError, scenario_from_dict

from conftest import SCENARIOS

EXAMPLES = {"jcci_wholesale_20oku_D": ("wholesale_retail", 20e8),
            "jcci_manufacturing_10oku_C": ("manufacturing", 10e8),
            "jcci_internet_3oku_B": ("information_communications", 3e8),
            "jcci_restaurant_5000man_A": ("accommodation_food", 5e7)}


def firm_scenario(**frequency_keys) -> dict:
    table = {"defaults": "calibrated", "industry": "manufacturing", "revenue": 1e9, **frequency_keys}
    return {"name": "firm", "frequency": {k: v for k, v in table.items() if v is not None},
            "model": {"defaults": "calibrated", "records_held": 5_000},
            "policies": [{"product": "jcci", "coverage_set": "C"}]}


def test_calibrated_frequency_is_poisson_at_the_firms_total_with_its_incident_mix():
    scn = scenario_from_dict(firm_scenario(minor=True))
    firm = calibrated_frequency("manufacturing", revenue=1e9, minor=True)   # the module, not the wiring
    assert scn.frequency.kind == "poisson" and scn.frequency.mean == pytest.approx(firm.total, rel=1e-12)
    assert scn.firm_frequency.total == pytest.approx(firm.total, rel=1e-12)
    leak, no_leak, minor = firm.rates["leak"], firm.rates["cyber_no_leak"], firm.rates["cyber_minor"]
    total = leak + no_leak + minor
    assert scn.model.incident_mix == pytest.approx({"leak": leak / total, "cyber_no_leak": no_leak / total,
                                                    "cyber_minor": minor / total})


def test_negative_binomial_kind_uses_the_fitted_dispersion():
    scn = scenario_from_dict(firm_scenario(kind="negative_binomial"))
    m, n = scn.firm_frequency.total, scn.firm_frequency.dispersion
    assert scn.frequency.kind == "negative_binomial"
    assert scn.frequency.to_scipy().var() == pytest.approx(m + m * m / n, rel=1e-9)


def test_an_incident_mix_given_in_the_model_is_kept_and_records_zero_means_no_leak():
    data = firm_scenario()
    data["model"]["incident_mix"] = {"leak": 1.0}
    assert scenario_from_dict(data).model.incident_mix == {"leak": 1.0}
    scn = scenario_from_dict(firm_scenario(records_held=0, minor=False))
    assert scn.model.incident_mix == {"cyber_no_leak": 1.0}
    assert scn.frequency.mean == pytest.approx(scn.firm_frequency.rates["cyber_no_leak"], rel=1e-12)
    with_minor = scenario_from_dict(firm_scenario(records_held=0, minor=True))
    assert scenario_from_dict(firm_scenario(records_held=0)).model.incident_mix == {"cyber_no_leak": 1.0}
    assert set(with_minor.model.incident_mix) == {"cyber_no_leak", "cyber_minor"}


def test_a_frequency_given_outright_has_no_firm():
    data = firm_scenario()
    data["frequency"] = {"kind": "poisson", "rate": 0.1}
    scn = scenario_from_dict(data)
    assert scn.firm_frequency is None and scn.model.incident_mix == {"leak": 1.0}


@pytest.mark.parametrize("keys, field, words", [
    (dict(rate=0.1), "frequency.rate", "not allowed with defaults"),
    (dict(cv=2.0), "frequency.cv", "not allowed with defaults"),
    (dict(size=3), "frequency", "industry"),
    (dict(defaults="listed"), "frequency.defaults", "calibrated"),
    (dict(industry="bakery"), "frequency.industry", "accommodation_food"),
    (dict(industry=None), "frequency.industry", "missing"),
    (dict(revenue=None), "frequency.revenue", "employees"),
    (dict(revenue=-1e9), "frequency.revenue", "> 0"),
    (dict(kind="one"), "frequency.kind", "negative_binomial"),
    (dict(security=0.7), "frequency.security", "0.6"),
    (dict(records_held=-1), "frequency.records_held", ">= 0"),
])
def test_bad_calibrated_frequency_names_the_field_and_what_is_allowed(keys, field, words):
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(firm_scenario(**keys))
    assert err.value.field == field and words in str(err.value)


@pytest.mark.parametrize("stem", EXAMPLES)
def test_premium_examples_describe_the_firm_not_a_rate(stem):
    scn = sim.load_scenario(SCENARIOS / f"{stem}.toml")
    industry, revenue = EXAMPLES[stem]
    assert scn.firm_frequency.industry == industry and scn.firm_frequency.revenue == revenue
    assert scn.frequency.mean == pytest.approx(calibrated_frequency(industry, revenue=revenue).total)
    table = re.search(r"\[frequency\]\n(.*?)\n\n", (SCENARIOS / f"{stem}.toml").read_text("utf-8"), re.S)
    assert not re.search(r"(?m)^(rate|mean|cv) *=", table.group(1)) and 'defaults = "calibrated"' in table.group(1)


@pytest.mark.parametrize("stem", EXAMPLES)
def test_a_calibrated_scenario_reads_no_premium(stem, tables_read, tmp_path):
    """Issue 16, not circular: the premiums in the file change nothing in the frequency or the
    incident mix (set to 1 yen or to 1兆), and no table read on the way is a premium table."""
    text = (SCENARIOS / f"{stem}.toml").read_text("utf-8")
    read, original = tables_read
    built = []
    for premium in ("1", "1e12"):
        path = tmp_path / f"{stem}_{premium}.toml"
        path.write_text(re.sub(r"(?m)^premium = .*$", f"premium = {premium}", text), "utf-8")
        built.append(sim.load_scenario(path))
    low, high = built
    assert low.premiums != high.premiums
    assert low.frequency == high.frequency and low.model.incident_mix == high.model.incident_mix
    assert low.firm_frequency == high.firm_frequency
    assert frequency.COUNTS_TABLE in read
    for name in read:
        assert not any(word in name.lower() for word in ("premium", "jcci", "aig", "product"))
        assert not any("premium" in str(c).lower() for c in original(name).columns)
    assert math.isfinite(low.frequency.mean) and low.frequency.mean > 0
