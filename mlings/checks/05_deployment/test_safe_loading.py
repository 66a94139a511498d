"""Checks for 05_deployment/02_safe_loading: skops with trusted types, metadata checked first."""

import functools
import json
import os
import pickle
import platform
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import lightgbm
import numpy as np
import pandas as pd
import pytest
import sklearn
import skops.io as sio
import time_machine
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from skops.io.exceptions import UntrustedTypesFoundException

from mlings.dataset import make_cards, make_sales

FEATURES = ["rarity", "variant", "condition", "psa_grade"]
FINGERPRINT = "sha256:5d41402abc4b2a76b9719d911017c592"
VERSIONS = {
    "python": platform.python_version(),
    "scikit-learn": sklearn.__version__,
    "lightgbm": lightgbm.__version__,
    "numpy": np.__version__,
}
SAVED_AT = datetime(2031, 5, 1, 12, 0, 0, 250_000, tzinfo=UTC)  # the clock, moved
NAMES = {"scikit-learn": ("scikit-learn", "sklearn")}  # how a message may name a library


@functools.cache
def _sales() -> pd.DataFrame:
    return make_sales(make_cards(n=300), seed=5, n=600, start="2020-01-01", end="2021-12-31")


@functools.cache
def _model(exercise) -> Pipeline:
    return exercise.train_price_model(_sales())


def _prices(model) -> np.ndarray:
    return np.asarray(model.predict(_sales()[FEATURES].head(50)), dtype=float)


@functools.cache
def _needed(exercise) -> frozenset[str]:
    """The types of the learner's pipeline that skops does not trust by default."""
    return frozenset(sio.get_untrusted_types(data=sio.dumps(_model(exercise))))


@pytest.fixture
def folder():
    """A temporary folder, removed after the check."""
    with tempfile.TemporaryDirectory(prefix="mlings-models-") as name:
        yield Path(name)


def _call_save(exercise, target: Path | str, features=FEATURES):
    """save_model(model, target, features, FINGERPRINT), target a folder not made yet."""
    try:
        return exercise.save_model(_model(exercise), target, list(features), FINGERPRINT)
    except FileNotFoundError as error:
        raise AssertionError(
            f"save_model raised FileNotFoundError ({error}): the folder it is given may not "
            "exist yet. Create it, with its parents, before writing into it."
        ) from None
    except FileExistsError as error:
        raise AssertionError(
            f"save_model raised FileExistsError ({error}): the folder it is given may already "
            "exist (here an empty one, made by a deploy script). Create it only if needed: "
            "mkdir with exist_ok=True."
        ) from None


def _save(exercise, folder: Path, features=FEATURES) -> Path:
    """The learner's save_model into folder/price-model (a folder that does not exist yet)."""
    target = folder / "price-model"
    _call_save(exercise, target, features)
    for name in ("model.skops", "metadata.json"):
        assert (target / name).is_file(), (
            f"After save_model(model, folder, ...) there is no {name} in folder. Write the model "
            "to folder/model.skops and the metadata to folder/metadata.json."
        )
    return target


def _metadata(target: Path) -> dict:
    try:
        metadata = json.loads((target / "metadata.json").read_text(encoding="utf-8"))
    except ValueError as error:
        raise AssertionError(f"metadata.json is not valid JSON ({error}).") from None
    assert isinstance(metadata, dict), f"metadata.json holds {metadata!r}; expected an object."
    return metadata


def _edit_metadata(target: Path, **changes) -> None:
    metadata = _metadata(target)
    metadata.update(changes)
    (target / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")


def _refused(exercise, target: Path, features, what: str) -> str:
    """load_model must raise the exercise's ModelMismatchError; its message."""
    try:
        exercise.load_model(target, list(features))
    except exercise.ModelMismatchError as error:
        return str(error)
    except NotImplementedError:
        raise
    except Exception as error:
        raise AssertionError(
            f"{what}: load_model raised {type(error).__name__} ({str(error)[:200]}); expected "
            "a ModelMismatchError, raised after reading metadata.json and before opening "
            "model.skops."
        ) from None
    raise AssertionError(
        f"{what}, and load_model loaded the model anyway: raise ModelMismatchError."
    )


class _Planted:
    """A pickle that makes a folder when it is loaded: what a stranger's file could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def test_trusted_lists_exactly_what_the_pipeline_needs(exercise):
    """TRUSTED lists exactly the types your pipeline needs beyond skops's defaults"""
    trusted = exercise.TRUSTED
    assert isinstance(trusted, list | tuple) and all(isinstance(t, str) for t in trusted), (
        f"TRUSTED is {trusted!r}; expected a list of type names (strings)."
    )
    needed = _needed(exercise)
    missing = needed - set(trusted)
    assert not missing, (
        f"TRUSTED lacks {len(missing)} type(s) that your own price pipeline holds, so skops "
        "refuses to load your own model. Save your model once, list the types of YOUR file with "
        "skops.io.get_untrusted_types(file=...), check that your pipeline really holds each one, "
        "and write them into TRUSTED."
    )
    extra = sorted(set(trusted) - needed)
    assert not extra, (
        f"TRUSTED also trusts {extra}, which your pipeline does not contain. Every trusted type "
        "is one a stranger's file may use: trust only what your own model needs."
    )


def test_installed_versions(exercise):
    """installed_versions gives the installed python, scikit-learn, lightgbm and numpy versions"""
    got = exercise.installed_versions()
    assert isinstance(got, dict) and set(got) == set(VERSIONS), (
        f"installed_versions() has the keys {sorted(got) if isinstance(got, dict) else got!r}; "
        f"expected exactly {sorted(VERSIONS)}."
    )
    for library, version in VERSIONS.items():
        assert got[library] == version, (
            f"installed_versions()[{library!r}] is {got[library]!r}, but {library} {version} is "
            "installed. Give the short version string, e.g. "
            f"{version!r} (python's as platform.python_version() gives it)."
        )


def test_save_model_writes_model_and_metadata(exercise, folder):
    """save_model writes model.skops (skops) and metadata.json into an existing folder"""
    target = folder / "empty"  # made by a deploy script: the folder exists, empty
    target.mkdir()
    returned = _call_save(exercise, str(target))
    assert isinstance(returned, Path) and returned.resolve() == target.resolve(), (
        f"save_model returned {returned!r}; expected the folder it wrote to, as a Path (also "
        "when folder is given as a str)."
    )
    model_file = target / "model.skops"
    assert model_file.is_file(), "save_model wrote no model.skops into the folder."
    try:
        sio.get_untrusted_types(file=model_file)
    except Exception:
        raise AssertionError(
            "model.skops is not a skops file (skops cannot read it): write it with "
            "skops.io.dump, never with pickle or joblib."
        ) from None
    try:
        loaded = sio.load(model_file, trusted=sorted(_needed(exercise)))
        prices = _prices(loaded)
    except Exception as error:
        raise AssertionError(
            f"model.skops does not hold the fitted price pipeline ({type(error).__name__}: "
            f"{str(error)[:200]}): dump the whole fitted pipeline you are given."
        ) from None
    assert np.allclose(prices, _prices(_model(exercise))), (
        "model.skops holds a model that prices sales differently from the one saved: dump the "
        "whole fitted pipeline you are given."
    )
    assert (target / "metadata.json").is_file(), "save_model wrote no metadata.json."


def test_save_model_creates_the_folder(exercise, folder):
    """save_model creates a folder that does not exist yet, parents included"""
    target = folder / "models" / "price" / "v2"
    returned = _call_save(exercise, target)
    assert target.is_dir(), (
        "save_model did not create the folder it was given (models/price/v2, none of which "
        "existed): create it, with its parents, when it does not exist."
    )
    written = sorted(path.name for path in target.iterdir())
    assert {"model.skops", "metadata.json"} <= set(written), (
        f"save_model into a new folder wrote {written}; expected model.skops and metadata.json "
        "in it."
    )
    assert isinstance(returned, Path) and returned.resolve() == target.resolve(), (
        f"save_model returned {returned!r}; expected the folder it wrote to, as a Path."
    )


def test_metadata_records_versions_features_and_data(exercise, folder):
    """metadata.json records the installed versions, the features and the data fingerprint"""
    features = ["variant", "psa_grade", "rarity", "condition"]
    metadata = _metadata(_save(exercise, folder, features))
    missing = {"versions", "features", "data_fingerprint", "trained_at"} - set(metadata)
    assert not missing, f"metadata.json has no {sorted(missing)}; it needs all four keys."
    assert metadata["versions"] == VERSIONS, (
        f"metadata.json's versions are {metadata['versions']!r}; the installed versions are "
        f"{VERSIONS!r}."
    )
    recorded = metadata["features"]
    assert isinstance(recorded, list) and sorted(recorded) == sorted(features), (
        f"metadata.json's features are {recorded!r}; save_model was given {features!r}."
    )
    assert metadata["data_fingerprint"] == FINGERPRINT, (
        f"metadata.json's data_fingerprint is {metadata['data_fingerprint']!r}; save_model was "
        f"given {FINGERPRINT!r}: record it as given."
    )


def test_metadata_records_when_in_utc(exercise, folder):
    """trained_at is when save_model runs, ISO 8601 in UTC (rejects local time, import time)"""
    _model(exercise)  # trained before the clock moves
    with time_machine.travel(SAVED_AT, tick=False):
        before = datetime.now(UTC)
        target = _save(exercise, folder)
        after = datetime.now(UTC)
    metadata = _metadata(target)
    value = metadata.get("trained_at")
    try:
        when = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise AssertionError(
            f"trained_at is {value!r}, not an ISO 8601 date and time (e.g. "
            "'2025-03-01T09:30:00+00:00')."
        ) from None
    assert isinstance(value, str) and "T" in value, (
        f"trained_at is {value!r}, a date without a time: record the date and time, e.g. "
        "'2025-03-01T09:30:00+00:00'."
    )
    assert when.tzinfo is not None, (
        f"trained_at is {value!r}: without an offset nobody can tell which time zone it is in. "
        "Write the time in UTC, with its offset (+00:00)."
    )
    assert when.utcoffset() == timedelta(0), (
        f"trained_at is {value!r}, a local time: write it in UTC (offset +00:00), so that times "
        "from machines in different time zones compare."
    )
    # whole seconds are precise enough: a time written without its microseconds passes
    assert before.replace(microsecond=0) <= when <= after, (
        f"trained_at is {value!r}, but save_model ran at {before.isoformat()} (the check set "
        "the clock to that moment): read the clock inside save_model, each time it runs, not "
        "once when the file is imported."
    )


def test_own_model_round_trips(exercise, folder):
    """load_model gives back your own saved model, whatever the order of the features"""
    target = _save(exercise, folder)
    for features in (FEATURES, list(reversed(FEATURES))):
        try:
            loaded = exercise.load_model(target, list(features))
        except exercise.ModelMismatchError as error:
            raise AssertionError(
                f"load_model({features}) refused the model just saved with the same features "
                f"(in another order): {error}. The pipeline picks its columns by name, so "
                "compare the features as sets."
            ) from None
        except UntrustedTypesFoundException as error:
            raise AssertionError(
                f"skops refused your own model: {error}. Put those types in TRUSTED once you "
                "have checked that your pipeline holds them."
            ) from None
        assert np.allclose(_prices(loaded), _prices(_model(exercise))), (
            "The loaded model prices sales differently from the model that was saved."
        )


def test_refuses_untrusted_types(exercise, folder):
    """a file holding a type outside TRUSTED is refused (rejects trusted=get_untrusted_types)"""
    target = _save(exercise, folder)
    stranger = Pipeline([("hook", FunctionTransformer(os.system)), *_model(exercise).steps])
    sio.dump(stranger, target / "model.skops")
    planted = sorted(set(sio.get_untrusted_types(file=target / "model.skops")) - _needed(exercise))
    try:
        loaded = exercise.load_model(target, list(FEATURES))
    except UntrustedTypesFoundException:
        return
    except exercise.ModelMismatchError as error:
        raise AssertionError(
            f"load_model raised ModelMismatchError ({error}) for a file whose metadata matches: "
            "the model file held an untrusted type, and skops's UntrustedTypesFoundException "
            "should have gone through."
        ) from None
    except NotImplementedError:
        raise
    except Exception as error:
        raise AssertionError(
            f"load_model raised {type(error).__name__} ({str(error)[:200]}) for a stranger's "
            f"model.skops holding {planted}; expected skops's UntrustedTypesFoundException, "
            "from skops.io.load(..., trusted=TRUSTED), to go through."
        ) from None
    assert loaded is None, (
        f"load_model loaded a stranger's model.skops holding {planted} (a FunctionTransformer "
        "calling os.system). trusted= must be YOUR list, TRUSTED: "
        "trusted=get_untrusted_types(file=...) trusts whatever the stranger put in the file."
    )
    raise AssertionError(
        f"load_model returned None for a stranger's model.skops holding {planted}: let skops's "
        "UntrustedTypesFoundException go through, so that the service cannot start with it."
    )


def test_refuses_a_pickle_without_running_it(exercise, folder):
    """a pickle saved as model.skops is refused and none of its code runs (rejects joblib.load)"""
    target = _save(exercise, folder)
    marker = folder / "the-pickle-ran"
    (target / "model.skops").write_bytes(pickle.dumps(_Planted(marker)))
    try:
        exercise.load_model(target, list(FEATURES))
    except NotImplementedError:
        raise
    except Exception as error:
        refused = error
    else:
        refused = None
    assert not marker.exists(), (
        "Loading a stranger's model.skops RAN ITS CODE: the file was a pickle whose loading "
        f"created a folder, {marker.name}; it could as well have run os.system. Never "
        "pickle.load or joblib.load a file you did not make: load it with skops.io.load."
    )
    assert refused is not None, (
        "load_model did not raise for a model.skops that is not a skops file (it is a pickle): "
        "let skops.io.load refuse it."
    )


def test_refuses_other_versions(exercise, folder):
    """load_model refuses a model built with another version of any library, naming it and both"""
    target = _save(exercise, folder)
    recorded = _metadata(target)["versions"]
    for library, installed in VERSIONS.items():
        other = ".".join([*installed.split(".")[:-1], "999"])
        _edit_metadata(target, versions={**recorded, library: other})
        what = f"metadata.json says the model was built with {library} {other} ({installed} here)"
        message = _refused(exercise, target, FEATURES, what)
        named = any(name in message.lower() for name in NAMES.get(library, (library,)))
        assert named and other in message and installed in message, (
            f"The ModelMismatchError says {message!r}; name the library ({library}) and both "
            f"versions ({other} recorded, {installed} installed), so that whoever reads it "
            "knows what to fix."
        )


def test_refuses_other_features(exercise, folder):
    """load_model refuses missing or unexpected features, naming each"""
    target = _save(exercise, folder)
    cases = {
        "a missing feature (psa_grade)": (["rarity", "variant", "condition"], ["psa_grade"]),
        "an unexpected feature (platform)": ([*FEATURES, "platform"], ["platform"]),
        "a missing and an unexpected feature": (
            ["condition", "card_grade", "rarity", "variant"],
            ["psa_grade", "card_grade"],
        ),
    }
    for what, (features, named) in cases.items():
        message = _refused(exercise, target, features, f"load_model was given {what}")
        absent = [name for name in named if name not in message]
        assert not absent, (
            f"Given {what}, the ModelMismatchError says {message!r}: name every missing and "
            f"every unexpected feature ({', '.join(named)})."
        )


def test_reads_metadata_before_the_model_file(exercise, folder):
    """a mismatch is refused before model.skops is even opened (rejects loading it first)"""
    target = _save(exercise, folder)
    (target / "model.skops").write_bytes(b"not a model: never open me")
    _refused(exercise, target, [*FEATURES, "platform"], "With an unexpected feature")
    versions = {**_metadata(target)["versions"], "lightgbm": "3.3.5"}
    _edit_metadata(target, versions=versions)
    _refused(exercise, target, FEATURES, "With another lightgbm version")
