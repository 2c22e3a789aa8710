"""Wrong types in policy terms get an error naming the field (issue 13), and one name given
alone is read as a list of that name, never letter by letter."""
import pytest

import sim
from sim._errors import InputError
from sim.policy import Section


@pytest.mark.parametrize("kwargs, field", [
    (dict(covers=5), r"section\['s'\]\.covers: 5 is not allowed"),
    (dict(covers=[["damages"]]), r"section\['s'\]\.covers\[0\]: \['damages'\] is not a name"),
    (dict(covers=["damages"], caps=5), r"section\['s'\]\.caps: 5 is not a mapping"),
    (dict(covers=["damages"], parts=5), r"section\['s'\]\.parts: 5 is not a list"),
    (dict(covers=["damages"], causes=[["insider"]]), r"section\['s'\]\.causes\[0\]"),
])
def test_wrong_types_in_a_section_name_the_field(kwargs, field):
    with pytest.raises(InputError, match=field):
        Section("s", **kwargs)


def test_one_component_alone_is_a_list_of_it():
    """``basic(covers="damages")`` was read letter by letter ('d' is not a component)."""
    policy = sim.policy.basic(covers="damages", limit=10.0)
    out = policy.apply({"damages": 50.0, "litigation": 7.0})
    assert (out.gross, out.paid, out.retained) == (57.0, 10.0, 47.0)
    with pytest.raises(InputError, match=r"covers: 5 is not allowed"):
        sim.policy.basic(covers=5)
