"""Checks for 05_deployment/01_persist_pipeline: the whole pipeline, loaded in a fresh process."""

import contextlib
import functools
import json
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest

from mlings.dataset import make_cards, make_sales
from mlings.engine.procs import fresh_env

FEATURES = ["rarity", "variant", "condition", "psa_grade"]
# The fresh process needs 1-2 s of CPU (importing pandas, sklearn). Its bound is CPU time, which a
# busy machine does not stretch; the run's own timeout ends a process that only waits.
FRESH_CPU_SECONDS = 8
FRESH_WALL_SECONDS = 120  # only when the checks run outside mlings, which has its own timeout

# The fresh process: nothing of the check's process, only the learner's file, a model file and
# listing rows in a CSV. It writes what it saw to a JSON file (the learner may print).
FRESH = """
import importlib.util, json, pathlib, resource, sys

cpu_seconds, exercise_name, exercise_file, rows_file, out_file, *model_files = sys.argv[1:]
resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_seconds), int(cpu_seconds) + 2))
import pandas as pd

spec = importlib.util.spec_from_file_location(exercise_name, exercise_file)
module = importlib.util.module_from_spec(spec)
sys.modules[exercise_name] = module  # the name the model file was pickled under
spec.loader.exec_module(module)
rows = pd.read_csv(rows_file)
results = []
for path in model_files:
    try:
        model = module.load_model(path)
    except Exception as error:
        name = pathlib.Path(path).name
        results.append({"error": f"load_model({name!r}) raised {type(error).__name__}: {error}"})
        continue
    kind = type(model).__name__
    try:
        prices = [float(price) for price in model.predict(rows)]
    except Exception as error:
        results.append({"type": kind, "error": f"{type(error).__name__}: {error}"})
        continue
    results.append({"type": kind, "prices": prices})
with open(out_file, "w", encoding="utf-8") as out:
    json.dump(results, out)
"""


@functools.cache
def _sales() -> pd.DataFrame:
    cards = make_cards(n=300)
    return make_sales(cards, seed=3, n=1500, start="2017-01-01", end="2022-12-31")


def _years(first: int, last: int) -> pd.DataFrame:
    sales = _sales()
    return sales[sales["sale_date"].dt.year.between(first, last)]


@functools.cache
def _models(exercise):
    """Two price models fitted on different sales (neither is the course's data/ files)."""
    first = exercise.train_price_model(_years(2020, 2021))
    second = exercise.train_price_model(_years(2017, 2018))
    return first, second


@functools.cache
def _listings() -> pd.DataFrame:
    """Raw listing rows as the platform sends them: no price, extra columns, another order."""
    sales = _years(2022, 2022)
    graded = sales[sales["psa_grade"].notna()].head(10)
    raw = sales[sales["psa_grade"].isna()].head(30)
    rows = pd.concat([raw, graded]).sample(frac=1.0, random_state=0).drop(columns="price_usd")
    rows.index = np.random.default_rng(0).permutation(len(rows)) * 7 + 100
    return rows[list(reversed(rows.columns))]


def _expected(model) -> np.ndarray:
    return np.asarray(model.predict(_listings()[FEATURES]), dtype=float)


def _same_prices(model, saved) -> bool:
    """Whether model prices the listings as the saved model does (False when it cannot)."""
    try:
        prices = np.asarray(model.predict(_listings()), dtype=float)
    except Exception:
        return False
    return prices.shape == (len(_listings()),) and np.allclose(prices, _expected(saved))


def _save(exercise, model, path) -> Path:
    """save_model(model, path), checked for writing the file at path."""
    returned = exercise.save_model(model, path)
    target = Path(path)
    assert target.is_file() and target.stat().st_size > 0, (
        f"After save_model(model, path) there is no file at path ({target.name!r}; returned: "
        f"{returned!r}). Write the model to the path you are given, not to a name of your own."
    )
    return returned


@pytest.fixture
def folder():
    """A temporary folder, removed after the check."""
    with tempfile.TemporaryDirectory(prefix="mlings-models-") as name:
        yield Path(name)


def _fresh_command(exercise, rows_file: Path, out_file: Path, models: list[Path]) -> list[str]:
    learner = [exercise.__name__, str(Path(exercise.__file__).resolve())]
    files = [str(rows_file), str(out_file), *map(str, models)]
    return [sys.executable, "-c", FRESH, str(FRESH_CPU_SECONDS), *learner, *files]


@functools.cache
def _start_fresh(exercise):
    """Save both models with the learner's code and start the fresh process (not waiting).

    Started by the first check, it runs on another core while the other checks go on.
    """
    first, second = _models(exercise)
    folder = Path(tempfile.mkdtemp(prefix="mlings-fresh-"))
    (folder / "models").mkdir()
    (folder / "service").mkdir()
    paths = [folder / "models" / "price-2021.joblib", folder / "models" / "price-2018.joblib"]
    try:
        _save(exercise, first, paths[0])
        _save(exercise, second, paths[1])
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    rows_file = folder / "service" / "listings.csv"
    _listings().to_csv(rows_file, index=False)
    out_file = folder / "service" / "result.json"
    process = subprocess.Popen(
        _fresh_command(exercise, rows_file, out_file, paths),
        cwd=folder / "service",
        env=fresh_env(PYTHONDONTWRITEBYTECODE="1"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return folder, process, out_file


def _wait(process: subprocess.Popen) -> bytes | None:
    """The process's stderr once it ends; None when it ran out of wall clock (then killed)."""
    try:
        return process.communicate(timeout=FRESH_WALL_SECONDS)[1]
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None


@functools.cache
def _fresh(exercise):
    """Load and use both saved models in a fresh process: (results or None, what went wrong)."""
    folder, process, out_file = _start_fresh(exercise)
    try:
        stderr = _wait(process)
        if stderr is None:
            return None, (
                f"The fresh process did not finish in {FRESH_WALL_SECONDS} s. Loading a model "
                "should only read its file: no training, no waiting."
            )
        if process.returncode == -signal.SIGXCPU:
            return None, (
                f"The fresh process used over {FRESH_CPU_SECONDS} s of CPU time (importing "
                "pandas and scikit-learn takes 1-2 s). Loading a model should only read its "
                "file: no training, no loops."
            )
        if process.returncode != 0 or not out_file.is_file():
            tail = stderr.decode(errors="replace").strip()[-1200:]
            return None, (
                f"The fresh process that imports your file failed (exit code "
                f"{process.returncode}):\n{tail}"
            )
        return json.loads(out_file.read_text(encoding="utf-8")), ""
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _fresh_result(exercise, which: int) -> dict:
    results, problem = _fresh(exercise)
    assert results is not None, problem
    result = results[which]
    if "error" in result:
        kind = result.get("type")
        if kind is None:
            raise AssertionError(
                f"In a fresh Python process, {result['error'][:600]}. That process has only your "
                "file and the model file: load_model must read the model from the file at path."
            )
        part = _one_step(exercise, kind)
        if part is not None:
            raise AssertionError(
                f"In a fresh Python process, load_model gave {part}. Save the whole fitted "
                "pipeline, preprocessing included."
            )
        raise AssertionError(
            f"In a fresh Python process, load_model gave a {kind} that cannot price raw listing "
            f"rows ({result['error'][:300]})."
        )
    return result


def _one_step(exercise, kind: str) -> str | None:
    """What a model of type kind lacks when it is one step of the pipeline, else None."""
    first, _ = _models(exercise)
    whole = type(first).__name__
    steps = [type(step).__name__ for step in first.named_steps.values()]
    if kind == whole or kind not in {*steps, type(getattr(first[-1], "regressor_", None)).__name__}:
        return None
    if kind == steps[0]:
        return (
            f"a {kind}, only the first step of the {whole}: it turns listings into features, "
            "but the regressor that prices them stayed behind"
        )
    rarity = _listings()["rarity"].iloc[0]
    return (
        f"a {kind}, only the last step of the {whole}: it expects the one-hot columns the "
        f"encoders make, not a listing whose rarity says {rarity!r}, and the encoders that "
        "learned the categories stayed behind"
    )


def test_save_model_writes_the_given_path(exercise, folder):
    """save_model writes the file at the path it is given and returns it (rejects returning None)"""
    with contextlib.suppress(Exception):  # its own checks report what goes wrong
        _start_fresh(exercise)
    first, _ = _models(exercise)
    for path in (folder / "price_model.joblib", str(folder / "price model v2.pkl")):
        returned = _save(exercise, first, path)
        assert returned is not None, (
            "save_model returned None. Return the path it wrote (a Path), so that the caller "
            "can log it or upload the file."
        )
        assert isinstance(returned, Path), (
            f"save_model returned a {type(returned).__name__} ({returned!r}); return the path "
            "it wrote as a Path, also when path is given as a str: Path(path)."
        )
        assert returned.resolve() == Path(path).resolve(), (
            f"save_model(model, path) returned {str(returned)!r}, but the path it was given is "
            f"{str(path)!r}: return the path it wrote."
        )
    try:
        joblib.load(folder / "price_model.joblib")
    except Exception as error:
        raise AssertionError(
            f"joblib cannot read the file save_model wrote ({type(error).__name__}: "
            f"{str(error)[:200]}): write it with joblib.dump."
        ) from None


def test_loaded_model_is_the_whole_pipeline(exercise, folder):
    """load_model gives back the whole fitted pipeline (rejects saving only model[-1])"""
    first, second = _models(exercise)
    path = folder / "price_model.joblib"
    _save(exercise, first, path)
    _save(exercise, second, folder / "another_model.joblib")
    loaded = exercise.load_model(path)
    kind = type(loaded).__name__
    try:
        prices = np.asarray(loaded.predict(_listings()), dtype=float)
    except Exception as error:
        part = _one_step(exercise, kind)
        if part is not None:
            raise AssertionError(
                f"load_model gave back {part}. Save the whole fitted pipeline, preprocessing "
                "included."
            ) from None
        raise AssertionError(
            f"load_model gave back a {kind} that cannot price raw listing rows "
            f"({type(error).__name__}: {str(error)[:200]}). Save the whole fitted pipeline, "
            "preprocessing included."
        ) from None
    assert np.allclose(prices, _expected(first), rtol=1e-9, atol=0.0), (
        "load_model(path) gave back a model that prices the listings differently from the one "
        "saved at path: give back exactly the model saved there, read from that file (a model "
        "retrained, or the last one saved, is a different model)."
    )


def test_load_model_refuses_a_missing_file(exercise, folder, monkeypatch):
    """load_model raises when there is no file at path (rejects retraining a model instead)"""
    data = folder / "data"  # sales data at hand, as in the course folder: it must stay unused
    data.mkdir()
    _sales().head(300).to_csv(data / "sales_clean.csv", index=False)
    monkeypatch.chdir(folder)
    path = folder / "price_model.joblib"
    model, raised = None, False
    try:
        model = exercise.load_model(path)
    except NotImplementedError:
        raise
    except Exception:
        raised = True
    wrote = path.exists()
    if not raised and not wrote and any(_same_prices(model, saved) for saved in _models(exercise)):
        raise AssertionError(
            f"There is no file at path, yet load_model(path) gave back a {type(model).__name__} "
            "loaded earlier from another path, kept in memory. Read the model from the file at "
            "path each time, and let a missing file raise, so that the service fails loudly."
        )
    done = [] if raised else [f"gave back a {type(model).__name__} instead of raising"]
    done += ["wrote a new model file there"] if wrote else []
    assert not done, (
        f"There is no file at path, yet load_model(path) {', and '.join(done)}. A loader that "
        "retrains quietly serves a different model from the one that was reviewed and saved: "
        "read the model from the file at path alone, and let a missing file raise, so that the "
        "service fails loudly."
    )


def test_price_listings(exercise):
    """price_listings gives dollars per raw row, named price_usd, on the listings' index"""
    first, _ = _models(exercise)
    listings = _listings()
    try:
        got = exercise.price_listings(first, listings.copy())
    except NotImplementedError:
        raise
    except Exception as error:
        raise AssertionError(
            f"price_listings raised {type(error).__name__} ({str(error)[:200]}) on raw listing "
            "rows: a DataFrame with extra columns in another order, condition empty for graded "
            "cards. The fitted pipeline takes that DataFrame as it is (its ColumnTransformer "
            "picks its columns by name): hand it the rows unchanged."
        ) from None
    want = _expected(first)
    assert isinstance(got, pd.Series), (
        f"price_listings returned a {type(got).__name__}; expected a pandas Series, one price "
        "per listing."
    )
    assert got.index.equals(listings.index), (
        "price_listings' Series is not on the listings' index (here the index is listing "
        f"numbers like {listings.index[0]}, not 0, 1, 2...). Build it with "
        "index=listings.index, so that every price stays with its listing."
    )
    assert got.name == "price_usd", (
        f'price_listings\' Series is named {got.name!r}: name it "price_usd".'
    )
    values = got.to_numpy(dtype=float)
    differ = ~np.isclose(values, want, rtol=1e-9, atol=0.0)
    if not differ.any():
        return
    row = int(np.argmax(differ))
    message = (
        f"price_listings prices the listing at index {listings.index[row]} at "
        f"${values[row]:,.4f}; the model's price for it is ${want[row]:,.4f}."
    )
    graded = listings["psa_grade"].notna().to_numpy()
    with np.errstate(over="ignore"):
        twice = np.expm1(want)
    if np.allclose(values, twice):
        message += (
            " np.expm1 was applied to dollars: the pipeline's TransformedTargetRegressor "
            "already turns log prices back into dollars."
        )
    elif np.allclose(values, np.log1p(want)):
        message += " That is a log price: the model's predict already gives dollars."
    elif graded[differ].all():
        message += (
            f" The listings priced differently are graded ones ({differ.sum()} of the "
            f"{graded.sum()} graded; their condition is empty): the pipeline already fills the "
            "empty condition itself, as it did in training. Hand it the raw rows as they come."
        )
    elif not graded[differ].any():
        message += (
            f" The listings priced differently are raw ones ({differ.sum()} of the "
            f"{(~graded).sum()} raw; their psa_grade is empty): the pipeline already fills the "
            "missing grade itself, as it did in training. Hand it the raw rows as they come."
        )
    raise AssertionError(message)


def test_fresh_process_prices_raw_listings(exercise):
    """a fresh Python process loads the file and prices raw rows as the saved model did"""
    first, _ = _models(exercise)
    got = np.asarray(_fresh_result(exercise, 0)["prices"], dtype=float)
    want = _expected(first)
    assert got.shape == want.shape, (
        f"In a fresh Python process the loaded model gave {got.size} prices for {want.size} "
        "listings: load_model must give back the saved model itself, read from its file."
    )
    differ = ~np.isclose(got, want, rtol=1e-9, atol=0.0)
    row = int(np.argmax(differ))
    assert not differ.any(), (
        f"In a fresh Python process the loaded model prices listing {row + 1} at "
        f"${got[row]:,.4f}; the model that was saved prices it at ${want[row]:,.4f}. load_model "
        "must give back the saved model itself, read from its file: retraining or reading sales "
        "data makes a different model (the service has no training data)."
    )


def test_load_model_reads_the_path_it_is_given(exercise):
    """load_model loads the file at its path (rejects a fixed file name or a model in memory)"""
    first, second = _models(exercise)
    got = np.asarray(_fresh_result(exercise, 1)["prices"], dtype=float)
    if np.allclose(got, _expected(first), rtol=1e-9, atol=0.0):
        raise AssertionError(
            "Two models were saved to two paths; in a fresh process, loading the second path "
            "gave the first model. Save to and load from the path you are given."
        )
    assert np.allclose(got, _expected(second), rtol=1e-9, atol=0.0), (
        "In a fresh Python process, load_model(path) did not give back the model saved at that "
        "path (its prices differ). Read the model from the file at path, and nothing else."
    )
