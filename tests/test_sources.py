"""Sources a reader of the repository can open: no file points at the project's working notes
outside the repository, and every relative markdown link in the docs resolves to a file (and
heading) in it."""
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

OUTSIDE = ("shared/seeds", "shared/domain", "../shared", "/work/")
LINK = re.compile(r"\[[^\]]*\]\(\s*([^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
DOCS = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]


def repository_files() -> list[Path]:
    """Tracked files and untracked ones git does not ignore (so a new file is checked too)."""
    out = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT,
                         check=True, capture_output=True).stdout.decode()
    return [ROOT / name for name in out.split("\0") if name and (ROOT / name).is_file()]


def slug(heading: str) -> str:
    """GitHub's anchor for a markdown heading: lower case, punctuation dropped, spaces -> '-'."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def broken_links(md: Path, root: Path = ROOT) -> list[str]:
    """The relative links in ``md`` whose file, or heading, is not in the repository ``root``."""
    bad = []
    for target in LINK.findall(md.read_text(encoding="utf-8")):
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I):   # http:, https:, mailto: ...
            continue
        path, _, anchor = target.partition("#")
        file = (md.parent / path).resolve() if path else md.resolve()
        if not file.is_relative_to(root) or not file.exists():
            bad.append(target)
        elif anchor and file.suffix == ".md":
            headings = re.findall(r"^#+\s+(.+?)\s*#*$", file.read_text(encoding="utf-8"), re.M)
            if anchor not in {slug(h) for h in headings}:
                bad.append(target)
    return bad


def test_no_file_points_outside_the_repository():
    offenders = []
    for file in repository_files():
        rel = file.relative_to(ROOT)
        if rel.parts[0] == "tests":
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:   # binary files (images) cite nothing
            continue
        for n, line in enumerate(text.splitlines(), 1):
            offenders += [f"{rel}:{n}: {p}" for p in OUTSIDE if p in line]
    assert offenders == []


@pytest.mark.parametrize("md", DOCS, ids=lambda p: p.name)
def test_relative_links_resolve(md):
    assert broken_links(md) == []


def test_readme_links_the_product_sources():
    assert "docs/products.md" in LINK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert (ROOT / "docs" / "products.md").is_file()


def test_link_check_catches_a_broken_link(tmp_path):
    """The checker itself, on a small repository of its own: a missing file, a missing heading
    and a path out of the repository are reported; a web address, a good file and a good
    heading are not."""
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "README.md").write_text("# Readings of the brochures\n", encoding="utf-8")
    (root / "docs" / "model.md").write_text("text\n", encoding="utf-8")
    (tmp_path / "outside.md").write_text("# Out\n", encoding="utf-8")
    md = root / "docs" / "probe.md"
    md.write_text("# A heading\n[a](model.md) [b](nope.md) [c](#a-heading) [d](#nope)\n"
                  "[e](https://example.org/x.md) [f](../../outside.md) [g](../README.md#nope)\n"
                  "[h](../README.md#readings-of-the-brochures)\n", encoding="utf-8")
    assert broken_links(md, root) == ["nope.md", "#nope", "../../outside.md", "../README.md#nope"]
