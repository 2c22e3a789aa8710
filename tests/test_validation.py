"""Bad input fails early with a message that names the field and the allowed values."""
import math

import pytest

import sim
from sim import losses
from sim.policy import Policy, Section, Share, SharedLimit, basic


@pytest.mark.parametrize("kwargs, match", [
    (dict(plan="gold"), r"plan: 'gold' is not allowed; allowed values: 'standard', 'premium'"),
    (dict(coverage_set="F"), r"coverage_set: 'F' .* 'A', 'B', 'C', 'D', 'E'"),
    (dict(coverage_set="E"), r"liability_limit: coverage_set='E' .* needs"),
    (dict(coverage_set="C", cost_limit=1e7), r"cost_limit: only coverage_set='E'"),
    (dict(coverage_set="E", liability_limit=0, cost_limit=1e7), r"liability_limit: 0 .* > 0"),
    (dict(it_work="yes"), r"it_work: 'yes' .* True, False"),
])
def test_jcci_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sim.products.jcci(**kwargs)


@pytest.mark.parametrize("kwargs, match", [
    (dict(limit=-1), r"limit: -1 .* > 0"),
    (dict(limit=1e8, execution=False, execution_double=True), r"execution_double: .* execution=True"),
    (dict(limit=1e8, corporate_info=2e7), r"corporate_info: 20000000.0 .* 10000000.0, 30000000.0, 'main'"),
    (dict(limit=1e8, coinsurance=1.5), r"coinsurance: 1.5 .* between 0 and 1"),
    (dict(limit=math.nan), r"limit: nan"),
])
def test_aig_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sim.products.aig(**kwargs)


@pytest.mark.parametrize("build, match", [
    (lambda: Section("a", covers=["damage"]), r"section\['a'\].covers: unknown name 'damage'; allowed values: 'damages'"),
    (lambda: Section("a", covers=["damages"], deductible=-5), r"section\['a'\].deductible: -5"),
    (lambda: Section("a", covers=["damages"], limit=0), r"section\['a'\].limit: 0"),
    (lambda: Section("a", covers=["damages"], causes=["hack"]), r"causes: unknown name 'hack'.*'cyber_attack'"),
    (lambda: Section("a", covers=["damages"], trigger="media"), r"trigger: 'media' .* 'reported'"),
    (lambda: Section("a"), r"section\['a'\].covers: a section must cover"),
    (lambda: Policy("p", [Section("a", covers=["damages"]), Section("b", covers=["damages"])]),
     r"covers: 'damages' appears more than once"),
    (lambda: Policy("p", [Section("a", covers=["damages"])], [SharedLimit("m", ["b"])]),
     r"shared\['m'\].sections: unknown section 'b'; allowed values: 'a'"),
    (lambda: Policy("p", [Section("a", covers=["damages"], limit=Share("zz", 0.1))]),
     r"a.limit.of: 'zz' is not a section .* allowed values: 'a'"),
    (lambda: Policy("p", [Section("a", covers=["damages"], limit=Share("b", 0.5)),
                          Section("b", covers=["letters"], limit=Share("a", 0.5))]),
     r"cycle"),
    (lambda: basic(limit=-1), r"limit: -1"),
    (lambda: basic(deductible="1e6"), r"deductible: '1e6' is not a number"),
])
def test_terms(build, match):
    with pytest.raises(ValueError, match=match):
        build()


@pytest.mark.parametrize("call, match", [
    (lambda p: p.apply({"damages": -1}), r"events\[0\].losses.damages: -1 .* >= 0"),
    (lambda p: p.apply({"damages": math.nan}), r"losses.damages: nan"),
    (lambda p: p.apply({"damges": 1}), r"losses: unknown name 'damges'; allowed values: 'damages'"),
    (lambda p: p.apply({"damages": 1}, cause="virus"), r"cause: 'virus' .* 'cyber_attack', 'insider'"),
    (lambda p: p.apply({"damages": 1}, victims=-3), r"victims: -3"),
    (lambda p: p.apply({"damages": 1}, reported="yes"), r"reported: 'yes' .* True, False"),
    (lambda p: p.apply_year([{"loss": {}}]), r"events\[0\]: unknown name 'loss'"),
])
def test_events(call, match):
    with pytest.raises(ValueError, match=match):
        call(basic())


@pytest.mark.parametrize("build, match", [
    (lambda: losses.Gamma(1e6, 0), r"cv: 0"),
    (lambda: losses.LogNormal.from_median_sigma(0, 1), r"median: 0"),
    (lambda: losses.LogNormal.from_interval90(1e8, 1e6), r"p95: 1000000.0 must exceed"),
    (lambda: losses.Pareto(1e6, -1), r"alpha: -1"),
    (lambda: losses.LossModel(claimants=losses.Claimants(0.1, 0, losses.Fixed(1e4))),
     r"claimants: need a breach size"),
    (lambda: losses.LossModel(litigation_factor=-2), r"litigation_factor: -2"),
])
def test_loss_model_terms(build, match):
    with pytest.raises(ValueError, match=match):
        build()
