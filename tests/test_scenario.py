"""Scenario files: loading, custom policies from TOML, and errors that name the field."""
import tomllib

import pytest

from sim.scenario import ScenarioError, load_scenario, scenario_from_dict

from conftest import SCENARIOS

BASE = """
name = "t"
[event]
victims = 1000
reported = true
cause = "insider"
[event.losses]
damages = 50_000_000
letters = 2_000_000
"""


def scenario(policies: str, base: str = BASE):
    return scenario_from_dict(tomllib.loads(base + policies), source="t.toml")


def test_bundled_scenarios_load():
    jcci = load_scenario(SCENARIOS / "jcci_brochure_100k.toml")
    aig = load_scenario(SCENARIOS / "aig_brochure_100k.toml")
    assert [p.name for p in jcci.policies][:2] == ["JCCI standard A", "JCCI standard B"]
    assert len(jcci.policies) == 8 and len(aig.policies) == 6
    assert aig.policy("AIG 3億 +exec").options["execution"] is True


def test_basic_policy_is_one_short_declaration():
    scn = scenario("""
[[policies]]
product = "basic"
deductible = 1_000_000
limit = 40_000_000
aggregate = 100_000_000
""")
    out = scn.policies[0].apply(**scn.event)
    assert out.paid == 40_000_000  # 5,200万 - 100万 -> limited to 4,000万


def test_custom_policy_with_parts_caps_derived_and_shared_limits():
    scn = scenario("""
[[policies]]
product = "custom"
name = "mine"

[[policies.sections]]
name = "liability"
covers = ["damages"]
deductible = 1e6
limit = 3e7
aggregate = 3e7

[[policies.sections]]
name = "costs"
covers = ["letters"]
coinsurance = 0.1
trigger = "reported"
limit = { of = "overall", share = 0.05 }
parts = [{ name = "gifts", covers = ["consolation"], caps = { consolation = { per_victim = 500 } } }]

[[policies.shared]]
name = "overall"
sections = ["liability", "costs"]
limit = 1e8
aggregate = 1e8
""")
    out = scn.policies[0].apply(**scn.event)
    # liability min(5,000万 - 100万, 3,000万) = 3,000万; costs 200万 x 0.9 = 180万 (limit 500万)
    assert out.by_section == {"liability": 30_000_000, "costs": 1_800_000}


@pytest.mark.parametrize("policies, field, allowed", [
    ('[[policies]]\nproduct = "jcci"\ncoverage_set = "F"', "policies[0].coverage_set", "'A', 'B', 'C', 'D', 'E'"),
    ('[[policies]]\nproduct = "axa"', "policies[0].product", "'jcci', 'aig', 'basic', 'custom'"),
    ('[[policies]]\nproduct = "aig"\nlimit = 0', "policies[0].limit", "> 0"),
    ('[[policies]]\nproduct = "aig"', "policies[0].limit", "missing"),
    ('[[policies]]\nproduct = "aig"\nlimit = 1e8\nexecutoin = true', "policies[0]", "'execution'"),
    ('[[policies]]\nproduct = "basic"\nlimit = -5', "policies[0].limit", "> 0"),
    ('[[policies]]\nproduct = "custom"\nname = "x"\nsections = [{ name = "a", covers = ["dmg"] }]',
     "policies[0].sections[0].section['a'].covers", "'damages'"),
    ('[[policies]]\nproduct = "custom"\nname = "x"\nsections = [{ name = "a", covers = ["damages"], '
     'limit = { of = "a" } }]', "policies[0].sections[0].limit", "'of' (a section name) and 'share'"),
    ('[[policies]]\nproduct = "basic"\n[[policies]]\nproduct = "basic"', "policies[1].name", "unique"),
])
def test_policy_errors_name_the_field(policies, field, allowed):
    with pytest.raises(ScenarioError) as info:
        scenario(policies)
    message = str(info.value)
    assert message.startswith(f"t.toml: {field}"), message
    assert allowed in message


@pytest.mark.parametrize("base, field, allowed", [
    (BASE.replace("damages = 50_000_000", "damage = 1"), "event.losses", "'damages'"),
    (BASE.replace("damages = 50_000_000", "damages = -1"), "event.losses.damages", ">= 0"),
    (BASE.replace('cause = "insider"', 'cause = "hack"'), "event.cause", "'cyber_attack'"),
    (BASE.replace('name = "t"', 'name = "t"\nseverity = 1'), "", "'name', 'description', 'event'"),
    (BASE.replace("[event]", "[evnt]"), "", "'event'"),
])
def test_event_and_top_level_errors_name_the_field(base, field, allowed):
    with pytest.raises(ScenarioError) as info:
        scenario('[[policies]]\nproduct = "basic"', base)
    message = str(info.value)
    assert message.startswith(f"t.toml: {field}"), message
    assert allowed in message


def test_toml_syntax_error_names_the_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("name = ")
    with pytest.raises(ScenarioError, match="bad.toml: toml"):
        load_scenario(bad)


def test_documented_toml_example_builds():
    from sim.policy import declare

    doc = declare.__doc__
    block = doc.split("```toml\n")[1].split("```")[0]
    scn = scenario(block)
    assert [p.product for p in scn.policies] == ["jcci", "basic", "custom"]
    assert scn.policies[2].compiled.nodes[1].event_limit == 1e7  # 10% of the shared 1億


MODEL = """
[frequency]
kind = "poisson"
rate = 0.5

[model]
size = { dist = "lognormal", median = 44, sigma = 3.41 }
claimants = { rate_mean = 0.001, award = { dist = "lognormal", median = 5_000, sigma = 0.5 } }

[model.costs]
letters = { per_record = 130, sigma = 0.2 }
"""


def test_model_and_frequency_load():
    scn = scenario('[[policies]]\nproduct = "basic"', BASE + MODEL)
    assert scn.frequency.kind == "poisson" and scn.frequency.mean == 0.5
    assert scn.model.components == ("damages", "letters")


@pytest.mark.parametrize("old, new, field, allowed", [
    ("letters = {", "letter = {", "model.costs", "'letters'"),
    ("sigma = 0.2 }", "sigma = -0.2 }", "model.costs.letters.sigma", ">= 0"),
    ('dist = "lognormal", median = 44', 'dist = "weibull", median = 44', "model.size.dist",
     "'fixed', 'lognormal', 'gamma', 'pareto', 'lognormal_pareto'"),
    ("median = 44, sigma = 3.41", "median = 44", "model.size", "median, sigma | mean, cv | p05, p95"),
    ('kind = "poisson"\nrate = 0.5', 'kind = "negative_binomial"\nmean = 0.5\ncv = 1.0',
     "frequency.cv", "cv > 1.414"),
    ('kind = "poisson"', 'kind = "binomial"', "frequency.kind", "'one', 'poisson', 'negative_binomial'"),
    ("rate_mean = 0.001,", "rate_mean = 0.5, rate_cv = 2.0,", "model.claimants.rate_cv", "too large"),
    ("[model]\n", '[model]\ncause_mix = { cyber_attack = 0.5, insider = 0.4 }\n', "model.cause_mix",
     "sum to 1"),
    ("[model]\n", '[model]\nlitigation = { method = "hourly" }\n', "model.litigation.method",
     "'jfba', 'ratio', 'none'"),
    ("[frequency]\nkind = \"poisson\"\nrate = 0.5\n", "", "frequency", "go together"),
])
def test_model_errors_name_the_field(old, new, field, allowed):
    assert old in MODEL
    with pytest.raises(ScenarioError) as info:
        scenario('[[policies]]\nproduct = "basic"', BASE + MODEL.replace(old, new))
    message = str(info.value)
    assert message.startswith(f"t.toml: {field}"), message
    assert allowed in message


def test_caps_need_breach_sizes():
    no_size = MODEL.replace('size = { dist = "lognormal", median = 44, sigma = 3.41 }\n', "").replace(
        'claimants = { rate_mean = 0.001, award = { dist = "lognormal", median = 5_000, sigma = 0.5 } }\n', "")
    no_size = no_size.replace("letters = { per_record = 130, sigma = 0.2 }", "consolation = { fixed = 1e6 }")
    with pytest.raises(ScenarioError, match=r"t.toml: model.size: missing; policy 'JCCI standard C' caps consolation"):
        scenario('[[policies]]\nproduct = "jcci"', BASE + no_size)
