"""Result files written safely: ``--out`` checked before any work, nothing overwritten without
``force``, every file written whole (a temporary file in the same folder, then renamed), and each
one stamped with what produced it (scenario and a hash of its file, seed, years, version)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
import hashlib
import os
from pathlib import Path
import secrets

from ._errors import InputError

META_KEYS = ("scenario", "scenario_path", "scenario_sha256", "seed", "n_years", "version")


def package_version() -> str:
    """The installed version of breach-sim (``sim.__version__`` when run from a source tree)."""
    from importlib import metadata

    try:
        return metadata.version("breach-sim")
    except metadata.PackageNotFoundError:
        from ._version import __version__

        return __version__


def file_sha256(source: str | Path) -> str:
    """sha256 of the file's bytes, or ``""`` when ``source`` is no readable file (a scenario
    built in code)."""
    try:
        return hashlib.sha256(Path(source).read_bytes()).hexdigest()
    except (OSError, ValueError):
        return ""


def run_metadata(name: str, source: str, sha256: str, seed: int, n_years: int) -> dict[str, object]:
    """What every result file records about the run that produced it (keys: ``META_KEYS``)."""
    return {"scenario": name, "scenario_path": source, "scenario_sha256": sha256,
            "seed": int(seed), "n_years": int(n_years), "version": package_version()}


def check_out_dir(out: str | Path, field: str = "--out") -> Path:
    """Return ``out`` as a Path after checking it is a writable folder or can be created as one.

    Raises
    ------
    InputError
        ``out`` (or a folder above it) is an existing file, or the nearest existing folder is
        not writable.
    """
    path = Path(out)
    probe = path
    while not probe.exists():  # the nearest existing folder decides whether out can be made
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        where = "is" if probe == path else f"is under {str(probe)!r}, which is"
        raise InputError(field, f"{str(path)!r} {where} an existing file; expected a folder "
                                "(existing or to be created)")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(field, f"{str(path)!r}: folder {str(probe)!r} is not writable")
    return path


def plan_outputs(files: Mapping[str, Iterable[Path]], force: bool, field: str = "--out",
                 force_hint: str = "--force") -> None:
    """Refuse, before any work, outputs that two inputs would both write or that already exist.

    Parameters
    ----------
    files : mapping
        Input (scenario file) -> the paths it will write.
    force : bool
        Allow replacing files that exist (never two inputs writing the same path).
    """
    owner: dict[Path, str] = {}
    for source, paths in files.items():
        for path in paths:
            key = Path(os.path.abspath(path))
            if key in owner:
                raise InputError(field, f"{owner[key]} and {source} would both write "
                                        f"{str(path)!r}; run them with different --out folders")
            owner[key] = source
    if not force:
        existing = [str(p) for p in owner if p.exists()]
        if existing:
            raise InputError(field, f"{existing[0]!r} exists; use {force_hint} to replace it"
                             + (f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""))


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file next to ``path``, then rename it to ``path``.

    An interrupted or failed write leaves ``path`` as it was (absent or the old file), never
    a part-written file; the temporary file is removed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _new_file(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _new_file(path: Path) -> Path:
    """An empty, hidden file next to ``path``, with the permissions a new file gets (the umask
    applies, unlike ``tempfile.mkstemp``'s 0600)."""
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue


def csv_header(meta: Mapping[str, object]) -> str:
    """``# key: value`` lines that precede a CSV's table (read it with
    ``pandas.read_csv(path, comment="#")``)."""
    return "".join(f"# {k}: {' '.join(str(v).split())}\n" for k, v in meta.items())
