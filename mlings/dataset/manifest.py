"""The data/MANIFEST of sha256 checksums: write it, and find files that no longer match it."""

from __future__ import annotations

from pathlib import Path

MANIFEST = "MANIFEST"
RESTORE = "git checkout -- data/"
REGENERATE = "python -m mlings.dataset"
UPDATE = "mlings init --update"  # in a folder made by `mlings init`


def sha256_of(path: Path) -> str:
    """The sha256 hex digest of a file's bytes."""
    import hashlib  # here, not at the top: commands that find the data unchanged never hash

    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(folder: Path, names: list[str]) -> Path:
    """Write ``folder/MANIFEST``: ``<sha256>  <name>`` per file, sorted (as ``sha256sum``)."""
    lines = [f"{sha256_of(folder / name)}  {name}\n" for name in sorted(names)]
    path = folder / MANIFEST
    path.write_text("".join(lines), encoding="utf-8", newline="\n")
    return path


def read_manifest(folder: Path) -> dict[str, str]:
    """File name -> expected sha256, from ``folder/MANIFEST``."""
    expected = {}
    for line in (folder / MANIFEST).read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            expected[name.strip()] = digest
    return expected


def data_folder(root: Path) -> Path:
    """The folder holding MANIFEST: ``root`` itself or ``root/data`` (a course root)."""
    root = Path(root)
    return root if (root / MANIFEST).is_file() or not (root / "data").is_dir() else root / "data"


def changed_files(root: Path) -> list[str]:
    """Data files (names relative to the data folder) that are missing or differ from MANIFEST.

    ``root`` is the data folder or the course root holding ``data/``. A missing MANIFEST is
    itself reported, as ``["MANIFEST"]``.
    """
    folder = data_folder(root)
    if not (folder / MANIFEST).is_file():
        return [MANIFEST]
    return [
        name
        for name, digest in read_manifest(folder).items()
        if not (folder / name).is_file() or sha256_of(folder / name) != digest
    ]


def restore_message(changed: list[str], workspace: bool = False) -> str:
    """One sentence for a learner whose data files changed, with how to get them back.

    ``workspace``: the course folder was made by ``mlings init`` (no git history to restore
    from), so ``mlings init --update`` puts the data back.
    """
    names = ", ".join(f"data/{name}" for name in changed)
    how = (
        f"Restore with `{UPDATE}` (it leaves your exercises as they are)"
        if workspace
        else f"Restore with `{RESTORE}` or regenerate with `{REGENERATE}`"
    )
    return (
        f"{names} no longer match{'es' if len(changed) == 1 else ''} the course's data "
        f"(data/MANIFEST). {how}; work on a copy if you want to change the data."
    )
