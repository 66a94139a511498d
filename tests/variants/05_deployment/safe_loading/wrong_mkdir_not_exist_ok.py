"""Wrong: save_model calls folder.mkdir(parents=True) without exist_ok, so an existing folder fails.

Load only what you trust

PokéMarket's pricing service now runs a LightGBM price model, and model files reach it from
more places than your laptop: a colleague's retrain, a contractor's experiment, a file in a
shared bucket. The service loads whatever file it is pointed at. As its ML engineer, you make
sure that loading a model file can never hurt the service.

A pickle (and a joblib file, which is a pickle) is not data: it is a small program that
rebuilds objects, and it may call ANY function while doing so. joblib.load on a stranger's file
runs the stranger's code on the pricing server: os.system included. skops.io stores a model as
data instead (a zip of JSON and arrays) and builds only the types you say you trust:
`skops.io.load(file, trusted=[...])` trusts plain scikit-learn and numpy types by default, and
raises skops.io.exceptions.UntrustedTypesFoundException, naming them, for any other type in the
file. The list you trust is reasoned from what YOUR pipeline contains, written down once.
`skops.io.get_untrusted_types(file=...)` tells what a file holds: use it to read your own
model's file; passing its answer straight to trusted= trusts whatever a stranger put in.

A model file also needs its story, in a metadata.json beside it: the library versions it was
built with (a model pickled or dumped with one scikit-learn can behave differently, or fail, in
another), the features it expects, a fingerprint of its training data, and when it was trained.
load_model reads the metadata FIRST and refuses a mismatch before it even opens the model file.

Write:

- TRUSTED:            the type names your price pipeline needs beyond skops's defaults: exactly
                      those, written out as a list of strings;
- installed_versions: {"python", "scikit-learn", "lightgbm", "numpy"}: the installed version of
                      each, as a string ("3.11.9", "1.9.1", ...);
- save_model:         create `folder` if needed, write the model to folder/model.skops with skops
                      and folder/metadata.json with the keys "versions" (installed_versions()),
                      "features" (the feature names given), "data_fingerprint" (as given) and
                      "trained_at" (when save_model runs, ISO 8601 in UTC, e.g.
                      "2025-03-01T09:30:00+00:00"); return the folder as a Path;
- load_model:         read folder/metadata.json first, and raise ModelMismatchError when any
                      recorded version differs from the installed one (the message names the
                      library and both versions), or when the features given differ from the
                      recorded ones (the message names every missing feature, recorded but
                      not given, and every unexpected one, given but not recorded; their order
                      does not matter: the pipeline picks its columns by name). Only then load
                      folder/model.skops with trusted=TRUSTED, letting skops's
                      UntrustedTypesFoundException through; return the model.

Done when: your own model round-trips, a stranger's file with an untrusted type or a pickle
inside is refused without running any of its code, and a version or feature mismatch is
refused before the model file is read.

Stuck? Run `mlings hint`.
"""

import json
import platform
from datetime import UTC, datetime
from pathlib import Path

import lightgbm
import numpy as np
import pandas as pd
import sklearn
import skops.io as sio
from lightgbm import LGBMRegressor
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OrdinalEncoder

CATEGORIES = ["rarity", "variant", "condition"]
FEATURES = [*CATEGORIES, "psa_grade"]
MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"

# Read once from a model file saved here: sio.get_untrusted_types(file=folder / MODEL_FILE).
# OrderedDict is the Booster's parameter dict; the other two are LightGBM's own model types.
TRUSTED: list[str] = [
    "collections.OrderedDict",
    "lightgbm.basic.Booster",
    "lightgbm.sklearn.LGBMRegressor",
]


class ModelMismatchError(Exception):
    """A model file that does not fit this service (no need to change this class)."""


def train_price_model(sales: pd.DataFrame) -> Pipeline:
    """LightGBM price model: raw rows in, dollars out (no need to change this function)."""
    # LightGBM reads numbers (or pandas "category" columns, not pandas 3's str): the encoder
    # turns each category into a code, and a missing or unseen one into -1.
    codes = OrdinalEncoder(
        handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-1
    )
    features = ColumnTransformer(
        [("codes", codes, CATEGORIES), ("grade", "passthrough", ["psa_grade"])]
    )
    trees = LGBMRegressor(
        n_estimators=40, num_leaves=15, min_child_samples=10, n_jobs=1, verbose=-1, random_state=0
    )
    regressor = TransformedTargetRegressor(trees, func=np.log1p, inverse_func=np.expm1)
    model = Pipeline([("features", features), ("regressor", regressor)])
    return model.fit(sales[FEATURES], sales["price_usd"])


def installed_versions() -> dict[str, str]:
    """The installed versions of python, scikit-learn, lightgbm and numpy."""
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "lightgbm": lightgbm.__version__,
        "numpy": np.__version__,
    }


def save_model(model: Pipeline, folder: str | Path, features, data_fingerprint: str) -> Path:
    """Write model.skops and metadata.json into folder; the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True)
    sio.dump(model, folder / MODEL_FILE)
    metadata = {
        "versions": installed_versions(),
        "features": list(features),
        "data_fingerprint": data_fingerprint,
        "trained_at": datetime.now(UTC).isoformat(),
    }
    (folder / METADATA_FILE).write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    return folder


def load_model(folder: str | Path, features) -> Pipeline:
    """The model in folder, once its metadata matches this service; only trusted types."""
    folder = Path(folder)
    metadata = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    installed = installed_versions()
    for library, version in installed.items():
        recorded = metadata["versions"].get(library)
        if recorded != version:
            raise ModelMismatchError(
                f"trained with {library} {recorded}, this is {version}: retrain or pin {recorded}"
            )
    recorded_features = set(metadata["features"])
    missing = sorted(recorded_features - set(features))
    unexpected = sorted(set(features) - recorded_features)
    if missing or unexpected:
        raise ModelMismatchError(
            f"features differ: missing {missing or 'none'}, unexpected {unexpected or 'none'}"
        )
    return sio.load(folder / MODEL_FILE, trusted=TRUSTED)


if __name__ == "__main__":
    import hashlib
    import tempfile

    data = Path(__file__).resolve().parents[2] / "data"
    sales_file = data / "sales_clean.csv"
    sales = pd.read_csv(sales_file)
    model = train_price_model(sales)
    fingerprint = "sha256:" + hashlib.sha256(sales_file.read_bytes()).hexdigest()
    with tempfile.TemporaryDirectory() as tmp:
        folder = save_model(model, Path(tmp) / "price-model", FEATURES, fingerprint)
        print((folder / METADATA_FILE).read_text(encoding="utf-8"))
        print("types beyond skops's defaults:", sio.get_untrusted_types(file=folder / MODEL_FILE))
        served = load_model(folder, list(reversed(FEATURES)))
        print("loaded; first prices:", served.predict(sales[FEATURES].head(3)).round(2))
        try:
            load_model(folder, [*FEATURES, "platform"])
        except ModelMismatchError as error:
            print("refused:", error)
