"""Bad values of the loss model's new fields are refused before any work with an InputError
naming the field (and the allowed values); draws the engine cannot hold are refused up front
or stop the run naming the field that drew them (sim.losses.limits)."""
from __future__ import annotations

import math

import numpy as np
import pytest

import sim
from sim._errors import InputError
from sim.losses import Claimants, Cost, Fixed, Frequency, LogNormal, LossModel, Pareto, Reporting
from sim.losses import limits, model as model_module
from sim.losses.distributions import Discrete
from sim.losses.parts import Suits
from sim.scenario import Scenario

SIZE = LogNormal.from_median_sigma(100, 1.0)
AWARD = Fixed(1e4)
DISCRETE = Discrete((1.0, 2.0), (0.5, 0.5))


def suits(**kw):
    return Suits(**{"p_max": 0.5, "n50": 1000, "share": Fixed(0.01), "award": AWARD, **kw})


@pytest.mark.parametrize("build, field, words", [
    (lambda: LossModel(incident_mix={"leak": 0.5, "ransom": 0.5}), "incident_mix",
     "'leak', 'corporate_leak', 'cyber_no_leak', 'it_work'"),
    (lambda: LossModel(incident_mix={"leak": 0.5, "it_work": 0.4}), "incident_mix", "sum to 0.9"),
    (lambda: LossModel(incident_mix={"leak": 1.5, "it_work": -0.5}), "incident_mix.leak", "between 0 and 1"),
    (lambda: LossModel(incident_mix={}), "incident_mix", "sum to 0"),
    (lambda: LossModel(size=SIZE, whole_records={"cyber_attack": 0.1}), "whole_records", "records_held"),
    (lambda: LossModel(size=SIZE, records_held=1e4, whole_records={"theft": 0.1}), "whole_records",
     "'cyber_attack'"),
    (lambda: LossModel(size=SIZE, records_held=1e4, whole_records={"insider": 1.2}),
     "whole_records.insider", "between 0 and 1"),
    (lambda: LossModel(records_held=1e4, whole_records={"insider": 0.2}), "whole_records.insider",
     "size"),
    (lambda: LossModel(corporate_share=1.5), "corporate_share", "between 0 and 1"),
    (lambda: LossModel(corporate_share=0.5), "corporate_share", "size"),
    (lambda: LossModel(size=SIZE, claimants=suits(), litigation="jfba", litigation_basis="claim"),
     "litigation_basis", "'awarded', 'claimed'"),
    (lambda: LossModel(size=SIZE, claimants=suits(), litigation="ratio", litigation_basis="claimed"),
     "litigation_basis", "jfba"),
    (lambda: Cost(min_victims=100, max_victims=100), "max_victims", "min_victims"),
    (lambda: Cost(min_victims=100, max_victims=50), "max_victims", "min_victims"),
    (lambda: Cost(max_victims=0), "max_victims", "> 0"),
    (lambda: Cost(incidents=("leak", "ransomware")), "incidents", "'cyber_no_leak'"),
    (lambda: Cost(incidents="leak"), "incidents", "a single name"),
    (lambda: Cost(if_reported=1), "if_reported", "True, False"),
    (lambda: Cost(alt_probability=1.2), "alt_probability", "between 0 and 1"),
    (lambda: Cost(per_corporate=-1.0), "per_corporate", ">= 0"),
    (lambda: Cost(alt_fixed=math.nan), "alt_fixed", "finite"),
    (lambda: Reporting(rule="2023"), "rule", "'2022', 'probability'"),
    (lambda: Reporting(rule="2022", theft_share=2.0), "theft_share", "between 0 and 1"),
    (lambda: Reporting(rule="2022", malicious_causes=("hackers",)), "malicious_causes", "'insider'"),
    (lambda: Reporting(rule="2022", sensitive="yes"), "sensitive", "True, False"),
    (lambda: Reporting(rule="2022", threshold=-1), "threshold", ">= 0"),
    (lambda: suits(p_max=0.8, cause_factor={"insider": 1.5}), "cause_factor.insider", "at most 1"),
    (lambda: suits(cause_factor={"burglary": 0.5}), "cause_factor", "'misdelivery'"),
    (lambda: suits(cause_factor={"insider": -0.5}), "cause_factor.insider", ">= 0"),
    (lambda: suits(p_max=1.5), "p_max", "between 0 and 1"),
    (lambda: suits(n50=0), "n50", "> 0"),
    (lambda: suits(share=Fixed(1.5)), "share", "above 1"),
])
def test_bad_new_fields_are_refused_naming_the_field(build, field, words):
    with pytest.raises(InputError) as err:
        build()
    assert err.value.field == field
    assert words in str(err.value)


@pytest.mark.parametrize("build, field", [
    (lambda: LossModel(size=DISCRETE), "size"),
    (lambda: LossModel(size=SIZE, size_by_cause={"insider": DISCRETE}), "size_by_cause.insider"),
    (lambda: LossModel(incident_mix={"it_work": 1.0}, corporate_victims=DISCRETE), "corporate_victims"),
    (lambda: LossModel(direct={"forensics": DISCRETE}), "direct.forensics"),
    (lambda: LossModel(size=SIZE, claimants=suits(share=Discrete((0.1,), (1.0,)))), "claimants.share"),
    (lambda: LossModel(size=SIZE, claimants=suits(claimed=DISCRETE)), "claimants.claimed"),
    (lambda: LossModel(size=SIZE, claimants=Claimants(0.1, 0.0, AWARD, claimed=DISCRETE)),
     "claimants.claimed"),
])
def test_a_discrete_distribution_is_refused_except_as_an_award(build, field):
    with pytest.raises(InputError, match="only for claimants.award") as err:
        build()
    assert err.value.field == field
    LossModel(size=SIZE, claimants=suits(award=DISCRETE))  # allowed there
    LossModel(size=SIZE, claimants=Claimants(0.1, 0.0, DISCRETE))


@pytest.mark.parametrize("build, field, words", [
    (lambda: LossModel(incident_mix={"it_work": 1.0}, corporate_victims=Pareto(1.0, 0.9)),
     "corporate_victims", "no finite mean"),
    (lambda: LossModel(incident_mix={"it_work": 1.0}, corporate_victims=LogNormal.from_median_sigma(1e8, 2.0)),
     "corporate_victims", "1e+10 companies"),
    (lambda: LossModel(size=SIZE, claimants=suits(claimed=Pareto(1e6, 1.0))), "claimants.claimed",
     "no finite mean"),
    (lambda: LossModel(size=SIZE, claimants=suits(claimed=LogNormal.from_median_sigma(1e12, 2.0))),
     "claimants.claimed", "2**50 yen"),
    (lambda: LossModel(size=SIZE, claimants=suits(award=Discrete((1.0, 2e15), (0.5, 0.5)))),
     "claimants.award", "2**50 yen"),
])
def test_new_severities_past_the_engine_ceilings_are_refused(build, field, words):
    with pytest.raises(InputError) as err:
        build()
    assert err.value.field == field
    assert words in str(err.value)


def test_corporate_victims_within_the_ceiling_are_accepted():
    LossModel(incident_mix={"it_work": 1.0}, corporate_victims=LogNormal.from_median_sigma(1e6, 1.0))
    LossModel(size=SIZE, claimants=suits(claimed=LogNormal.from_median_sigma(1e6, 2.0)))


@pytest.fixture
def unchecked(monkeypatch):
    """Models built without the up-front ceiling checks, to reach the run-time ones."""
    monkeypatch.setattr(model_module, "check_model_limits", lambda model: None)


def test_corporate_victims_drawn_past_the_ceiling_name_their_field(unchecked):
    """The sampler stops on corporate victims past 1e10; the error once said ``size`` and told
    the user to give records_held, which does not cap them."""
    model = LossModel(incident_mix={"corporate_leak": 1.0}, corporate_victims=Fixed(2e10),
                      costs={"letters": Cost(fixed=1.0)})
    with pytest.raises(InputError) as err:
        model.sample(10, 1)
    assert err.value.field == "corporate_victims" and "give records_held" not in str(err.value)
    scn = Scenario(name="corporate", event=None, policies=(sim.policy.basic(name="p"),),
                       model=model, frequency=Frequency.one())
    with pytest.raises(InputError) as err:
        sim.simulate(scn, n_years=100, seed=1)
    assert err.value.field == "model.corporate_victims" and "give records_held" not in str(err.value)


def test_a_breach_size_drawn_past_the_ceiling_still_names_size(unchecked):
    model = LossModel(size=Fixed(2e10), costs={"letters": Cost(fixed=1.0)})
    with pytest.raises(InputError, match="records_held") as err:
        model.sample(10, 1)
    assert err.value.field == "size"


def test_a_fee_on_claims_past_the_ceiling_names_the_amount_claimed():
    """1e9 plaintiffs each claiming 1e8 yen: the retainer on 1e17 yen passes 2**50 yen."""
    model = LossModel(size=Fixed(1e9), records_held=1e9, litigation="jfba", litigation_basis="claimed",
                      claimants=Suits(1.0, 1e-12, share=Fixed(1.0), award=Fixed(1.0),
                                      claimed=Fixed(1e8)))
    scn = Scenario(name="claims", event=None, policies=(sim.policy.basic(name="p"),),
                       model=model, frequency=Frequency.one())
    with pytest.raises(InputError, match="litigation") as err:
        sim.simulate(scn, n_years=100, seed=1)
    assert err.value.field == "model.claimants.claimed"


def test_size_overflow_message_names_what_caps_it():
    assert "give records_held" in str(limits.size_overflow("model.size"))
    assert "give records_held" not in str(limits.size_overflow("model.corporate_victims"))
