import math

import pytest

from sim.yen import format_yen


@pytest.mark.parametrize("amount, ja, plain", [
    (0, "0円", "0"),
    (500, "500円", "500"),
    (5_000_000, "500万円", "5,000,000"),
    (114_700_000, "1億1,470万円", "114,700,000"),
    (173_700_000, "1億7,370万円", "173,700,000"),
    (100_000_000, "1億円", "100,000,000"),
    (123_456_789, "1億2,345万6,789円", "123,456,789"),
    (2_600_000_000_000, "2兆6,000億円", "2,600,000,000,000"),
    (-4_545_454.6, "-454万5,455円", "-4,545,455"),
])
def test_format_yen(amount, ja, plain):
    assert format_yen(amount) == ja
    assert format_yen(amount, style="plain") == plain


def test_format_yen_unlimited_and_bad_input():
    assert format_yen(math.inf) == "無制限"
    assert format_yen(math.inf, "plain") == "unlimited"
    with pytest.raises(ValueError, match="style"):
        format_yen(1, style="kanji")
    with pytest.raises(ValueError, match="NaN"):
        format_yen(math.nan)
