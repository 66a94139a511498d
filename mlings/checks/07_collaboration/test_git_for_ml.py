"""Checks for 07_collaboration/01_git_for_ml: a .gitignore judged by real git, and data pointers."""

import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
import tracemalloc
from pathlib import Path

import pytest

GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
GIT_TIMEOUT = 20  # seconds; git answers in milliseconds

# Each path: must it be ignored, what is it, and why it must be ignored or kept.
DATA = (True, "data", "data lives in DVC's store; git keeps only its pointer")
MODEL = (True, "a model file", "models are rebuilt by training and versioned by their pointer")
TRACKING = (True, "a local MLflow store", "runs and artifacts of YOUR machine, rebuilt there")
CHECKPOINT = (True, "a notebook autosave", "Jupyter rewrites it on every save")
SECRET = (True, "a secret", "anything committed stays in the history for good, a key included")
CACHE = (True, "a cache or environment", "rebuilt on every machine from pyproject.toml/uv.lock")
POINTER = (False, "a data or model pointer", "the pointer is how git versions data and models")
SOURCE = (False, "source code", "code is what git is for")
NOTEBOOK = (False, "a notebook", "notebooks are code; only their autosaves are ignored")
CONFIG = (False, "a config", "configs decide what is trained: they are reviewed and versioned")
FIXTURE = (False, "a test fixture", "the tests need it on every clone")
PROJECT = (False, "a project file", "a new teammate needs it to set up and build the project")
TEMPLATE = (False, "the secrets template", "it tells a teammate which variables to set, no values")

PATHS = {
    "data/raw/sales_2024.csv": DATA,
    "data/raw/2023/sales_2023.csv": DATA,
    "data/raw/psa_population.json": DATA,
    "data/processed/features.parquet": DATA,
    "data/processed/train.csv": DATA,
    "data/external/exchange_rates.xlsx": DATA,
    "models/price_model.joblib": MODEL,
    "models/price_model.onnx": MODEL,
    "models/price_model.pkl": MODEL,
    "models/lgbm_price.txt": MODEL,
    "models/archive/2024-05/price_model.joblib": MODEL,
    "models/archive/2024-05/lgbm_price.txt": MODEL,
    "mlruns/1/4f1c/meta.yaml": TRACKING,
    "mlruns/1/4f1c/metrics/mae": TRACKING,
    "mlruns/1/4f1c/artifacts/model/model.pkl": TRACKING,
    "mlartifacts/1/4f1c/artifacts/model.onnx": TRACKING,
    "notebooks/.ipynb_checkpoints/explore_prices-checkpoint.ipynb": CHECKPOINT,
    "notebooks/eda/.ipynb_checkpoints/rarity-checkpoint.ipynb": CHECKPOINT,
    ".ipynb_checkpoints/scratch-checkpoint.ipynb": CHECKPOINT,
    ".env": SECRET,
    ".env.local": SECRET,
    ".env.prod": SECRET,
    "deploy/.env.prod": SECRET,
    "services/pricer/.env": SECRET,
    "deploy/pokemarket-deploy.pem": SECRET,
    "deploy/keys/ebay_api.key": SECRET,
    ".venv/bin/python": CACHE,
    ".venv/lib/python3.12/site-packages/pandas/__init__.py": CACHE,
    ".pytest_cache/v/cache/lastfailed": CACHE,
    "src/pokemarket/__pycache__/features.cpython-312.pyc": CACHE,
    "src/pokemarket/data/__pycache__/loaders.cpython-312.pyc": CACHE,
    "tests/__pycache__/test_features.cpython-312-pytest-8.3.4.pyc": CACHE,
    "data/raw/sales_2024.csv.dvc": POINTER,
    "data/raw/2023/sales_2023.csv.dvc": POINTER,
    "data/processed/features.parquet.dvc": POINTER,
    "models/price_model.joblib.dvc": POINTER,
    "models/archive/2024-05/price_model.joblib.dvc": POINTER,
    "src/pokemarket/__init__.py": SOURCE,
    "src/pokemarket/features.py": SOURCE,
    "src/pokemarket/models.py": SOURCE,
    "src/pokemarket/train.py": SOURCE,
    "src/pokemarket/data/__init__.py": SOURCE,
    "src/pokemarket/data/loaders.py": SOURCE,
    "tests/test_features.py": SOURCE,
    "notebooks/explore_prices.ipynb": NOTEBOOK,
    "notebooks/eda/rarity.ipynb": NOTEBOOK,
    "configs/train.yaml": CONFIG,
    "configs/serve.yaml": CONFIG,
    "configs/features.txt": CONFIG,
    "tests/fixtures/sales_small.csv": FIXTURE,
    "tests/fixtures/cards_small.json": FIXTURE,
    "README.md": PROJECT,
    "pyproject.toml": PROJECT,
    "uv.lock": PROJECT,
    ".gitignore": PROJECT,
    ".env.example": TEMPLATE,
}


def _gitignore(exercise) -> str:
    text = exercise.GITIGNORE
    assert isinstance(text, str), (
        f"GITIGNORE is a {type(text).__name__}; it must be the text of the .gitignore file, "
        "one pattern per line, as a str."
    )
    return text


@functools.cache
def _verdicts(gitignore: str) -> dict[str, str | None]:
    """Real git's verdict for every path and every folder above one: the line that ignores it,
    or None when it is kept."""
    folders = {str(parent) for path in PATHS for parent in Path(path).parents} - {"."}
    asked = [*PATHS, *sorted(folders)]
    with tempfile.TemporaryDirectory() as scratch:
        repo = Path(scratch)
        subprocess.run(
            ["git", "init", "-q", "--template=", str(repo)],
            check=True,
            env=GIT_ENV,
            timeout=GIT_TIMEOUT,
        )
        (repo / ".gitignore").write_text(gitignore, encoding="utf-8")
        for path in PATHS:
            if path != ".gitignore":
                (repo / path).parent.mkdir(parents=True, exist_ok=True)
                (repo / path).write_text("x\n", encoding="utf-8")
        result = subprocess.run(
            ["git", "check-ignore", "--no-index", "--stdin", "--verbose", "--non-matching"],
            input="\n".join(asked) + "\n",
            capture_output=True,
            text=True,
            cwd=repo,
            env=GIT_ENV,
            timeout=GIT_TIMEOUT,
        )
    assert result.returncode in (0, 1), f"git check-ignore failed: {result.stderr.strip()}"
    verdicts: dict[str, str | None] = {}
    for line in result.stdout.splitlines():
        source, _, path = line.partition("\t")
        _, number, pattern = source.split(":", 2)
        ignored = bool(number) and not pattern.startswith("!")
        verdicts[path] = f"line {number} `{pattern}`" if ignored else None
    assert set(verdicts) == set(asked), "git check-ignore did not answer for every path."
    return verdicts


def _advice(
    path: str, rule: str, gitignore: str, verdicts: dict[str, str | None]
) -> tuple[str, str]:
    """(the mistake, advice): what usually makes git ignore this path that must be kept."""
    pattern = rule.split("`")[1]
    excluded = [str(p) for p in Path(path).parents if verdicts.get(str(p))]
    negations = [line.strip() for line in gitignore.splitlines() if line.strip().startswith("!")]
    if path.endswith(".dvc") and excluded and negations:
        folder = excluded[-1]
        return "folder", (
            f"Your negations cannot bring back a file inside {folder}/: {verdicts[folder]} "
            "excludes that folder itself, and git cannot re-include a file if a parent "
            "directory of that file is excluded (it never looks inside). Ignore the folder's "
            "files, not the folder (`/data/**`), re-include its sub-folders (`!/data/**/`), "
            "then the pointers: a `!` line only undoes what comes BEFORE it."
        )
    if path.startswith("src/") and "/" not in pattern.rstrip("/"):
        return "anchor", (
            f"A pattern without a slash at its start or middle, like `{pattern}`, matches at "
            "any depth, inside src/ too: anchor it to the top of the repository with a leading "
            "slash (`/{pattern.lstrip('/')}`)."
        )
    if path.startswith(("tests/", "configs/")) and pattern.startswith("*"):
        return "type", (
            "Data is ignored by WHERE it lives (data/, models/), not by its file type: a small "
            "CSV or text file elsewhere belongs to the code."
        )
    if path == ".env.example":
        return "template", "Re-include it after the rule that hides it: `!.env.example`."
    return "", ""


def _inline_comment(gitignore: str) -> str | None:
    """Advice when a pattern carries a trailing comment, which git does not strip."""
    for line in gitignore.splitlines():
        if " #" in line and not line.lstrip().startswith("#"):
            return (
                f"git reads `#` as a comment only at the start of a line: `{line.strip()}` is "
                "one pattern, spaces and all, and matches nothing; put comments on their own lines."
            )
    return None


def _judge(exercise, kinds: tuple[tuple[bool, str, str], ...]) -> None:
    gitignore = _gitignore(exercise)
    verdicts = _verdicts(gitignore)
    wrong: list[str] = []
    advice: dict[str, str] = {}  # one piece of advice per kind of mistake
    for path, kind in PATHS.items():
        if kind not in kinds:
            continue
        must_ignore, what, why = kind
        rule = verdicts[path]
        if must_ignore and rule is None:
            wrong.append(f"{path} ({what}) is not ignored: {why}.")
            commented = _inline_comment(gitignore)
            if commented:
                advice.setdefault("comment", commented)
        elif not must_ignore and rule is not None:
            wrong.append(f"{path} ({what}) is ignored by {rule} of your .gitignore; {why}.")
            mistake, text = _advice(path, rule, gitignore, verdicts)
            advice.setdefault(mistake, text)
    more = f" (and {len(wrong) - 3} more paths like these)" if len(wrong) > 3 else ""
    message = " ".join(["Real git disagrees:", *wrong[:3]]) + more
    assert not wrong, " ".join([message, *filter(None, advice.values())])


def test_data_ignored_pointers_kept(exercise):
    """data/ files are ignored at any depth, their .dvc pointers kept (rejects `data/` + `!…dvc`)"""
    _judge(exercise, (DATA, POINTER))


def test_model_files_ignored(exercise):
    """model files of any type under models/ are ignored (rejects rules by extension only)"""
    _judge(exercise, (MODEL,))


def test_tracking_stores_and_checkpoints_ignored(exercise):
    """mlruns/, mlartifacts/ and every .ipynb_checkpoints/ folder are ignored"""
    _judge(exercise, (TRACKING, CHECKPOINT))


def test_secrets_ignored_template_kept(exercise):
    """.env files and keys are ignored, .env.example kept (rejects `.env*` alone)"""
    _judge(exercise, (SECRET, TEMPLATE))


def test_caches_and_environments_ignored(exercise):
    """.venv/, .pytest_cache/ and every __pycache__/ are ignored"""
    _judge(exercise, (CACHE,))


def test_code_configs_and_fixtures_kept(exercise):
    """source, notebooks, configs, fixtures and project files are kept (rejects `*.csv`, `data/`)"""
    _judge(exercise, (SOURCE, NOTEBOOK, CONFIG, FIXTURE, PROJECT))


# ---------------------------------------------------------------------------------- pointers


def _fields(pointer: Path) -> dict[str, str]:
    fields = {}
    for line in pointer.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().removeprefix("-").strip().partition(":")
        if sep:
            fields[key.strip()] = value.strip().strip("'\"")
    return fields


def _write_pointer(exercise, path: Path) -> Path:
    pointer = exercise.write_pointer(path)
    assert isinstance(pointer, Path | str), (
        f"write_pointer returned {pointer!r}; it must return the pointer's path."
    )
    pointer = Path(pointer)
    expected = path.with_name(path.name + ".dvc")
    assert pointer.resolve() == expected.resolve(), (
        f"write_pointer({path.name!r}) returned {pointer}; the pointer is the file "
        f"{expected.name} in the same folder as the data file."
    )
    assert expected.is_file(), f"write_pointer did not write {expected.name} beside the file."
    return expected


def _matches(exercise, pointer: Path) -> bool:
    before = pointer.read_bytes()
    got = exercise.pointer_matches(pointer)
    assert isinstance(got, bool), f"pointer_matches returned {got!r}; it must be True or False."
    assert pointer.read_bytes() == before, (
        "pointer_matches rewrote the pointer: it must only read it, or it would accept any "
        "change by recording it."
    )
    return got


def test_pointer_records_md5_size_and_name(exercise, tmp_path):
    """write_pointer writes <name>.dvc beside the file with its md5, size and name"""
    files = {
        "sales_small.csv": b"listing_id,price_usd\n1000001,4185.99\n1000015,112.99\n",
        "empty.csv": b"",
        "price_model.joblib": bytes(range(256)) * 40,
    }
    for name, content in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        fields = _fields(_write_pointer(exercise, path))
        want = {"md5": hashlib.md5(content).hexdigest(), "size": str(len(content)), "path": name}
        got = {key: fields.get(key) for key in want}
        assert got == want, (
            f"The pointer of {name} ({len(content)} bytes) records {got}; expected {want} "
            "(lines `md5: <hex digest of the bytes>`, `size: <bytes>`, `path: <file name>` "
            "under `outs:`, as in the docstring)."
        )


def test_pointer_follows_content_not_time_or_place(exercise, tmp_path):
    """the pointer depends on the content only (rejects a timestamp, a full path, size alone)"""
    content = b"card_id,price_usd\n" + b"base1-4,350.00\n" * 500
    first = tmp_path / "a" / "sales.csv"
    first.parent.mkdir()
    first.write_bytes(content)
    text = _write_pointer(exercise, first).read_text(encoding="utf-8")

    os.utime(first, (1_000_000_000, 1_000_000_000))  # same bytes, another modification time
    again = _write_pointer(exercise, first).read_text(encoding="utf-8")
    assert again == text, (
        "Writing the pointer again for the same bytes, with only the file's modification time "
        f"changed, gave another pointer:\n{text}\nthen\n{again}\nA pointer must depend on the "
        "content only, or every checkout would look like a change."
    )
    copy = tmp_path / "b" / "sales.csv"
    copy.parent.mkdir()
    copy.write_bytes(content)
    elsewhere = _write_pointer(exercise, copy).read_text(encoding="utf-8")
    assert elsewhere == text, (
        "The same file in another folder got another pointer: record the file's name, not its "
        "full path (a teammate's clone lives in another folder)."
    )
    edited = bytearray(content)
    edited[len(edited) // 2] ^= 0x01  # one byte, same size
    first.write_bytes(bytes(edited))
    changed = _write_pointer(exercise, first).read_text(encoding="utf-8")
    assert changed != text, (
        "Changing one byte of the file (same size) left its pointer as it was: record a hash "
        "of the whole content (md5), not only its size."
    )


BIG_MB = 24
MEMORY_LIMIT_MB = 12  # reading the whole file at once holds all of it


def _peak_mb(call) -> tuple[object, float]:
    tracemalloc.start()
    try:
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak / 2**20


def test_pointer_is_small_and_hashes_in_chunks(exercise, tmp_path):
    """a 24 MB file gets a pointer of a few lines, hashed in chunks (rejects reading it all)"""
    big = tmp_path / "sales_2024.csv"
    big.write_bytes(bytes(range(256)) * (BIG_MB * 4096))
    pointer, peak = _peak_mb(lambda: _write_pointer(exercise, big))
    size = pointer.stat().st_size
    assert size < 500, (
        f"The pointer of a {BIG_MB} MB file is {size} bytes: a pointer holds the hash, size and "
        "name, never the content."
    )
    assert peak < MEMORY_LIMIT_MB, (
        f"write_pointer held {peak:.0f} MB in memory to hash a {BIG_MB} MB file: it read the "
        "whole file at once, and a 3 GB file would not fit. Hash it in chunks: "
        "hashlib.file_digest(f, 'md5') on the open file, or update() with f.read(1 << 20) in a "
        "loop."
    )
    matches, peak = _peak_mb(lambda: _matches(exercise, pointer))
    assert matches is True, "pointer_matches says the big file changed, but nothing touched it."
    assert peak < MEMORY_LIMIT_MB, (
        f"pointer_matches held {peak:.0f} MB in memory to check a {BIG_MB} MB file: hash it in "
        "chunks, as write_pointer does."
    )


def test_pointer_matches(exercise, tmp_path):
    """pointer_matches is True for the same bytes, False after a 1-byte edit or with no file"""
    content = b"card_id,price_usd\n" + b"base1-4,350.00\n" * 200
    path = tmp_path / "repo" / "data" / "sales.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    pointer = _write_pointer(exercise, path)
    assert _matches(exercise, pointer) is True, (
        "pointer_matches says the file changed right after its pointer was written."
    )
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert _matches(exercise, pointer) is True, (
        "pointer_matches says the file changed when only its modification time did: compare "
        "the content (size and md5), not the time."
    )
    moved = tmp_path / "clone"
    shutil.move(tmp_path / "repo", moved)
    pointer = moved / "data" / pointer.name
    assert _matches(exercise, pointer) is True, (
        "After the repository moved to another folder, pointer_matches no longer finds the file: "
        "look for the file the pointer names in the pointer's own folder."
    )
    path = moved / "data" / "sales.csv"
    edited = bytearray(content)
    edited[len(edited) // 2] ^= 0x01  # one byte, same size
    path.write_bytes(bytes(edited))
    assert _matches(exercise, pointer) is False, (
        "One byte of the file changed (same size) and pointer_matches still says True: "
        "compare the md5 of the content with the recorded one."
    )
    path.write_bytes(content + b"base1-2,99.00\n")
    assert _matches(exercise, pointer) is False, (
        "A row was appended to the file and pointer_matches still says True."
    )
    path.unlink()
    try:
        got = _matches(exercise, pointer)
    except FileNotFoundError:
        pytest.fail(
            "pointer_matches raised FileNotFoundError when the file is missing; a missing file "
            "does not match its pointer: return False."
        )
    assert got is False, "The file is gone and pointer_matches still says True."
