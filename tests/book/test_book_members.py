"""The book's members table: row-by-row checks that name the row and the field, the TOML
loader, the synthetic book and its labels."""
from __future__ import annotations

import pandas as pd
import pytest

from sim._errors import InputError
from sim.book import Book, load_book, synthetic_book
from sim.calibration.frequency import INDUSTRIES

ROW = dict(member_id="m1", industry="manufacturing", revenue=3e8, records_held=2000, data="basic_contact",
           product="jcci", plan="standard", coverage_set="C", premium=60_000)


def frame(n=3, changes=None):
    rows = [dict(ROW, member_id=f"m{i + 1}") for i in range(n)]
    for (i, col), value in (changes or {}).items():
        rows[i][col] = value
    return pd.DataFrame(rows)


@pytest.mark.parametrize("cell, value, message", [
    ((2, "revenue"), -5.0, "members row 3, revenue: -5.0 is not allowed"),
    ((0, "industry"), "mining", "members row 1, industry: 'mining' is not allowed; allowed values: manufacturing"),
    ((1, "data"), "basic_contact;dna", "members row 2, data: 'dna' is not allowed"),
    ((1, "coverage_set"), "F", "members row 2, coverage_set: 'F' is not allowed"),
    ((2, "coverage_set"), "E", "members row 3, liability_limit: missing; coverage set E"),
    ((0, "records_held"), 2.5, "members row 1, records_held: 2.5 is not allowed"),
    ((0, "premium"), "abc", "members row 1, premium: 'abc' is not allowed"),
    ((1, "member_id"), "m1", "members row 2, member_id: 'm1' is already used"),
    ((0, "product"), "tokio", "members row 1, product: 'tokio' is not allowed; allowed values: jcci, aig"),
])
def test_a_bad_cell_is_named_by_row_and_column(cell, value, message):
    with pytest.raises(InputError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        Book.from_frame(frame(3, {cell: value}))


def test_a_csv_error_names_the_file_and_its_row(tmp_path):
    bad = frame(20, {(16, "revenue"): "lots"})
    (tmp_path / "members.csv").write_text(bad.to_csv(index=False))
    with pytest.raises(InputError, match=r"^members.csv row 17, revenue: 'lots' is not allowed"):
        Book.from_csv(tmp_path / "members.csv")


def test_missing_and_unknown_columns_are_refused():
    with pytest.raises(InputError, match="missing columns premium"):
        Book.from_frame(frame().drop(columns="premium"))
    with pytest.raises(InputError, match="unknown columns colour"):
        Book.from_frame(frame().assign(colour="red"))


def test_members_with_the_same_model_and_terms_share_a_template():
    f = frame(4, {(3, "coverage_set"): "D", (2, "revenue"): 5e8})
    book = Book.from_frame(f)
    # revenue changes only the member's rate, not its template; the set changes the terms
    assert list(book.template_of) == [0, 0, 0, 1]


def test_toml_book_loads_members_and_settings(tmp_path):
    frame(5).to_csv(tmp_path / "members.csv", index=False)
    (tmp_path / "book.toml").write_text('[portfolio]\nmembers = "members.csv"\ndependence = "comonotone"\n'
                                        'catalogue = "none"\n[reinsurance]\nquota_share = 0.5\n')
    run = load_book(tmp_path / "book.toml")
    assert len(run.book) == 5 and run.dependence == "comonotone" and len(run.catalogue) == 0
    assert run.reinsurance.quota_share == 0.5


@pytest.mark.parametrize("text, message", [
    ('[portfolio]\nmembers = "members.csv"\ndependence = "strong"\n', r"book.toml: portfolio.dependence: 'strong'"),
    ('[portfolio]\nmembers = "members.csv"\ncolour = 1\n', r"book.toml: portfolio.colour: unknown key"),
    ('[portfolio]\nmembers = "members.csv"\n[reinsurance]\nquota_share = 2\n', r"book.toml: reinsurance.quota_share: 2"),
    ('[portfolio]\n', r"book.toml: portfolio.members: missing"),
])
def test_toml_errors_name_the_key(tmp_path, text, message):
    frame(2).to_csv(tmp_path / "members.csv", index=False)
    (tmp_path / "book.toml").write_text(text)
    with pytest.raises(InputError, match="^" + message):
        load_book(tmp_path / "book.toml")


def test_toml_member_error_names_the_csv_row(tmp_path):
    frame(3, {(1, "industry"): "fishing"}).to_csv(tmp_path / "members.csv", index=False)
    (tmp_path / "book.toml").write_text('[portfolio]\nmembers = "members.csv"\n')
    with pytest.raises(InputError, match="^members.csv row 2, industry: 'fishing'"):
        load_book(tmp_path / "book.toml")


def test_synthetic_book_follows_the_census_mix():
    book = synthetic_book(20_000, seed=3)
    m = book.members
    share = m["industry"].value_counts(normalize=True)
    # census sales shares (frequency_industry.csv): 387.0606 / 480.1679 / 173.3369 of 1693.3126 兆円
    for industry, expected in (("manufacturing", 387.0606 / 1693.3126), ("wholesale_retail", 480.1679 / 1693.3126),
                               ("medical_welfare", 173.3369 / 1693.3126)):
        assert share[industry] == pytest.approx(expected, abs=4 * (expected / 20_000) ** 0.5)
    assert set(m["industry"]) == set(INDUSTRIES)
    # mean revenue: sales_sme / enterprises_sme = 703.0e12 / 3,365,000 (log-sd 1.2: a loose bound)
    assert m["revenue"].mean() == pytest.approx(703.0e12 / 3_365_000, rel=0.1)
    assert len(book.template_keys) < len(book) / 20   # few templates: members share models


def test_synthetic_data_tables_are_labelled():
    from importlib import resources

    mix = resources.files("sim.data").joinpath("synthetic_book_mix.csv").read_text()
    assert "SYNTHETIC" in mix and "MODELLING CHOICE" in mix
    cat = resources.files("sim.data").joinpath("accumulation_catalogue.csv").read_text()
    assert "MODELLING CHOICE" in cat and "2,459" in cat


def test_aig_members_need_a_limit_and_run_through_aig_terms():
    aig_row = dict(ROW, member_id="a1", product="aig", plan="", coverage_set="", limit=1e8)
    with pytest.raises(InputError, match=r"^members row 1, limit: missing"):
        Book.from_frame(pd.DataFrame([dict(aig_row, limit=None)]))
    from sim.book import simulate_book

    book = Book.from_frame(pd.DataFrame([aig_row, dict(aig_row, member_id="a2", limit=3e8), ROW]).assign(rate=0.5))
    res = simulate_book(book, 2_000, seed=1, threads=1)
    tiers = res.tiers()
    assert set(tiers.index.get_level_values("plan")) == {"aig", "standard"}
    assert (res.members()["expected_loss"] > 0).all()
