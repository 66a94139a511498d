"""Wrong: ignores only src/pokemarket/__pycache__/, so the tests' (or any other) cache is committed.

What git holds, and what it points to

PokéMarket's ML code has a team now, and everyone clones the same repository. Last month a
teammate's first commit added 3 GB of scraped sales and the .env file holding the eBay API
key; the push took an hour, the key had to be revoked, and the sales stay in the history for
good. Your job: the repository's .gitignore, and the pointers that version data and models
without putting them in git.

git is made for text that people edit and review. Data and model files are big, binary, and
rebuilt rather than edited; a secret must never be committed at all; caches and local
experiment stores are rebuilt on every machine. What git keeps for them is a POINTER: a few
lines naming the file, its size and a hash of its content (DVC writes exactly such `.dvc`
files and keeps the bytes in a remote store). The pointer changes when the content changes, so
a commit still pins exactly which data and which model go with which code.

The repository (each folder's content as it is on your machine today):

    pokemarket-ml/
    ├── .env                        # your eBay and database keys
    ├── .env.example                # the same variable names, no values: copy it to .env
    ├── .venv/                      # your virtual environment
    ├── README.md
    ├── pyproject.toml
    ├── uv.lock                     # the exact version of every dependency
    ├── configs/
    │   ├── train.yaml
    │   └── features.txt            # the feature list the model is trained on
    ├── data/
    │   ├── raw/
    │   │   ├── sales_2024.csv          # 3 GB of scraped sales
    │   │   └── sales_2024.csv.dvc      # its pointer
    │   └── processed/
    │       ├── features.parquet
    │       └── features.parquet.dvc
    ├── deploy/
    │   └── pokemarket-deploy.pem       # the price server's SSH key
    ├── mlartifacts/                # MLflow's local artifact store
    ├── mlruns/                     # MLflow's local tracking store (runs, metrics, models)
    ├── models/
    │   ├── lgbm_price.txt              # LightGBM's text dump of the model
    │   ├── price_model.joblib
    │   ├── price_model.joblib.dvc
    │   └── price_model.onnx
    ├── notebooks/
    │   ├── .ipynb_checkpoints/
    │   │   └── explore_prices-checkpoint.ipynb
    │   └── explore_prices.ipynb
    ├── src/pokemarket/
    │   ├── __init__.py
    │   ├── __pycache__/
    │   ├── data/                       # the code that loads sales
    │   │   ├── __init__.py
    │   │   └── loaders.py
    │   ├── features.py
    │   └── models.py
    └── tests/
        ├── fixtures/
        │   └── sales_small.csv         # 20 sales the tests read
        └── test_features.py

Write:

- GITIGNORE: the repository's .gitignore (the text of the file). Ignored: every file under
  the top-level data/ and models/ folders, at any depth and of any type, except the `.dvc`
  pointers there; MLflow's mlruns/ and mlartifacts/; Jupyter's .ipynb_checkpoints/ folders
  wherever they are; secrets: .env and its variants (.env.local, .env.prod, ...) and private
  keys (*.pem, *.key) anywhere; caches and environments: .venv/, .pytest_cache/ and every
  __pycache__/. Kept: everything else: the source code (note src/pokemarket/data/ and
  src/pokemarket/models.py), notebooks, configs, tests and their fixtures, README.md,
  pyproject.toml, uv.lock, .env.example, the .gitignore itself, and every .dvc pointer.
  git judges it for real: `check_ignore` (given) shows which line ignores a path.
- write_pointer(path): write the pointer `<name>.dvc` beside the file (sales.csv ->
  sales.csv.dvc) and return its path. Its text, as DVC writes it:

      outs:
      - md5: <the md5 hex digest of the file's bytes>
        size: <the file's size in bytes>
        hash: md5
        path: <the file's name>

  It depends on the content only: the same bytes give the same pointer, whenever and wherever
  they are written. Data files can be many GB: hash them in chunks (a few MB at most at a
  time), never by reading a whole file into memory.
- pointer_matches(pointer): whether the file the pointer names, beside it, still has the
  recorded size and md5: True when it does, False when its content changed or the file is
  missing. It only reads: the pointer is never rewritten.

Done when: real git ignores what must be ignored and keeps everything else, and the pointers
are small, follow the content (not the time it was written) and catch a one-byte change.

Stuck? Run `mlings hint`.
"""

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

GITIGNORE = """\
# data and models: everything under the top-level folders, at any depth, except DVC pointers
/data/**
!/data/**/
!/data/**/*.dvc
/models/**
!/models/**/
!/models/**/*.dvc
# MLflow's local tracking and artifact stores
/mlruns/
/mlartifacts/
# Jupyter's checkpoints, wherever a notebook is
.ipynb_checkpoints/
# secrets: never committed (the example holds names only)
.env
.env.*
!.env.example
*.pem
*.key
# caches and environments
.venv/
.pytest_cache/
/src/pokemarket/__pycache__/
"""

CHUNK_BYTES = 1024 * 1024  # hash 1 MB at a time: a data file may be many GB


def _md5(path: Path) -> str:
    """The md5 hex digest of the file's bytes, read CHUNK_BYTES at a time."""
    digest = hashlib.md5()
    with Path(path).open("rb") as f:
        while chunk := f.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def write_pointer(path: Path) -> Path:
    """Write `<name>.dvc` beside the file: its md5, size and name. Returns the pointer's path."""
    path = Path(path)
    pointer = path.with_name(path.name + ".dvc")
    pointer.write_text(
        f"outs:\n- md5: {_md5(path)}\n  size: {path.stat().st_size}\n  hash: md5\n"
        f"  path: {path.name}\n",
        encoding="utf-8",
    )
    return pointer


def pointer_matches(pointer: Path) -> bool:
    """Whether the file the pointer names, beside it, still has the recorded size and md5."""
    pointer = Path(pointer)
    record = {}
    for line in pointer.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().removeprefix("- ").partition(":")
        if sep and value.strip():
            record[key.strip()] = value.strip()
    target = pointer.parent / record["path"]
    if not target.is_file():
        return False
    if target.stat().st_size != int(record["size"]):
        return False
    return _md5(target) == record["md5"]


def check_ignore(gitignore: str, paths: Iterable[str]) -> dict[str, str | None]:
    """Ask real git, in a scratch repository, which paths the .gitignore ignores (no need to
    change this function). For each path: the line that ignores it, or None when it is kept."""
    paths = list(paths)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    with tempfile.TemporaryDirectory() as scratch:
        repo = Path(scratch)
        subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
        (repo / ".gitignore").write_text(gitignore, encoding="utf-8")
        for path in paths:
            (repo / path).parent.mkdir(parents=True, exist_ok=True)
            (repo / path).touch()
        result = subprocess.run(
            ["git", "check-ignore", "--stdin", "--verbose", "--non-matching"],
            input="\n".join(paths) + "\n",
            capture_output=True,
            text=True,
            cwd=repo,
            env=env,
        )
    verdicts: dict[str, str | None] = {}
    for line in result.stdout.splitlines():
        source, _, path = line.partition("\t")
        pattern = source.split(":", 2)[2]
        ignored = source != "::" and not pattern.startswith("!")
        verdicts[path] = f"line {source.split(':')[1]}: {pattern}" if ignored else None
    return verdicts


REPOSITORY = (  # the files of the tree above
    ".env",
    ".env.example",
    ".gitignore",
    ".venv/bin/python",
    "README.md",
    "pyproject.toml",
    "uv.lock",
    "configs/train.yaml",
    "configs/features.txt",
    "data/raw/sales_2024.csv",
    "data/raw/sales_2024.csv.dvc",
    "data/processed/features.parquet",
    "data/processed/features.parquet.dvc",
    "deploy/pokemarket-deploy.pem",
    "mlartifacts/1/4f1c/artifacts/model.pkl",
    "mlruns/1/4f1c/meta.yaml",
    "models/lgbm_price.txt",
    "models/price_model.joblib",
    "models/price_model.joblib.dvc",
    "models/price_model.onnx",
    "notebooks/.ipynb_checkpoints/explore_prices-checkpoint.ipynb",
    "notebooks/explore_prices.ipynb",
    "src/pokemarket/__init__.py",
    "src/pokemarket/__pycache__/features.cpython-312.pyc",
    "src/pokemarket/data/__init__.py",
    "src/pokemarket/data/loaders.py",
    "src/pokemarket/features.py",
    "src/pokemarket/models.py",
    "tests/fixtures/sales_small.csv",
    "tests/test_features.py",
)


if __name__ == "__main__":
    import shutil

    for path, line in check_ignore(GITIGNORE, REPOSITORY).items():
        print(f"{'ignored' if line else 'kept':8} {path:62} {line or ''}")

    data = Path(__file__).resolve().parents[2] / "data"
    with tempfile.TemporaryDirectory() as scratch:
        sales = Path(scratch) / "sales_clean.csv"
        shutil.copyfile(data / "sales_clean.csv", sales)
        pointer = write_pointer(sales)
        print(f"\n{pointer.name} ({pointer.stat().st_size} bytes for {sales.stat().st_size:,}):")
        print(pointer.read_text(encoding="utf-8"))
        print("matches:", pointer_matches(pointer))
        with sales.open("r+b") as f:  # one byte changes: a price, a typo, a new row...
            f.seek(sales.stat().st_size // 2)
            byte = f.read(1)
            f.seek(-1, os.SEEK_CUR)
            f.write(b"7" if byte != b"7" else b"8")
        print("after changing one byte, matches:", pointer_matches(pointer))
