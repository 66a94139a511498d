"""Wrong: a reload per request needs loads for MORE than half of the requests (exactly half missed).

Three incidents, diagnosed from evidence

PokéMarket's card-price model runs in production, and this week you are on call. Every
listing shows a price-tier badge computed from the model's price (bulk under $1, mid to $20,
high to $200, chase above), and three alerts from this quarter came with three causes:

1. The badges' accuracy collapsed for a week: an upstream feed started sending the sale
   prices in cents. The model was fine; the prices it was scored against were not.
2. The p50 latency of /predict went from 50 ms to 2 s: a refactor moved the model loading
   into the request handler, so every request loaded the model again.
3. Nearly every listing got the bulk badge: the catalog join that adds each listing's rarity
   stopped matching (the card ids changed case), and the pipeline's fillna("Common") gave
   every listing the same rarity.

An alert names a SYMPTOM: accuracy down, latency up. One symptom has many possible causes
(accuracy drops after a feed in cents, a broken feature or a market that moved), so the
metric cannot tell you which. Each cause leaves its own fingerprint in the logs or the data:
diagnose from that, whatever the alert says, and when a symptom has no known fingerprint, say
that you do not know rather than guess.

The evidence of an alert is a dict (make_evidence builds one; it never names the incident):

- "metrics":   a DataFrame, one row per week in order: week, requests, accuracy,
               p50_latency_ms. The last row is the week under investigation; the rows before
               it are the baseline.
- "logs":      the service's structured log lines, a list of dicts, each with an "event":
               "service started", "loading model", "request" or "health check".
- "requests":  the week's scored requests whose sale is known: batch_id (the weekly batch of
               the sales feed), card_id, the model's FEATURES, predicted_usd, price_usd.
- "reference": the sales the model learned from: card_id, FEATURES, price_usd.

Write:

- cents_batches(requests, reference): the batch_ids of the requests, sorted, whose median
  price_usd is more than SCALE_LIMIT times the reference's median price_usd (prices in
  cents are 100 times too high; a market that moved is at most a few times higher).
- diagnose(evidence): one of the cause constants, read from the evidence:
    * CENTS_SCHEMA_BREAK when cents_batches finds a batch in cents;
    * MODEL_RELOADED_PER_REQUEST when the logs show the model loaded for at least half of the
      requests: 2 x (number of "loading model" events) >= (number of "request" events);
    * CONSTANT_FEATURE when a feature of FEATURES has a single value across all the requests
      (missing counts as a value: a column that is missing everywhere is constant too) while
      it has several in the reference;
    * UNKNOWN_CAUSE when none of those fingerprints is there but the metrics show a symptom:
      the last week's accuracy is more than ACCURACY_DROP below the mean accuracy of the weeks
      before it, or its p50 latency is more than LATENCY_FACTOR times their mean p50 latency;
    * NO_INCIDENT otherwise.
  A fingerprint names its cause whatever the metrics say (the evidence never holds two).
- fix_prices(requests, reference): a copy of requests in which price_usd is divided by 100
  in the batches cents_batches finds, and every other value is unchanged.
- fix_features(requests, cards): a copy of requests whose rarity is looked up again in the
  catalog `cards` by card_id; the rows, their order, their index and the other columns are
  unchanged.

Neither fix changes the frame it is given.

Done when: each incident gets its cause whatever metrics come with it, healthy evidence gets
NO_INCIDENT, a symptom without a fingerprint UNKNOWN_CAUSE, and after each fix the badges'
accuracy is back to normal.

Stuck? Run `mlings hint`.
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder

DATA = Path(__file__).resolve().parents[2] / "data"
FEATURES = ["rarity", "variant", "condition", "psa_grade"]
TIER_EDGES_USD = (1.0, 20.0, 200.0)

CENTS_SCHEMA_BREAK = "prices arrived in cents"
MODEL_RELOADED_PER_REQUEST = "model reloaded on every request"
CONSTANT_FEATURE = "a feature is constant"
UNKNOWN_CAUSE = "a symptom without a known cause"
NO_INCIDENT = "no incident"

SCALE_LIMIT = 10.0  # a batch's median price over 10 x the reference's: cents (x100)
ACCURACY_DROP = 0.1  # accuracy this far under the baseline's mean is a symptom
LATENCY_FACTOR = 2.0  # p50 latency over this many times the baseline's mean is a symptom


def model_input(frame: pd.DataFrame) -> pd.DataFrame:
    """The model's input columns (no need to change this function)."""
    return pd.DataFrame(
        {
            "rarity": frame["rarity"].fillna("unknown"),
            "variant": frame["variant"].fillna("unknown"),
            "condition": frame["condition"].fillna("graded"),
            "psa_grade": frame["psa_grade"].fillna(0.0),
        },
        index=frame.index,
    )


def train_price_model(sales: pd.DataFrame) -> Pipeline:
    """The production price model, fitted on log1p(price) (no need to change this function)."""
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["rarity", "variant", "condition"]),
        remainder="passthrough",
    )
    return make_pipeline(encode, Ridge(alpha=1.0)).fit(
        model_input(sales), np.log1p(sales["price_usd"])
    )


def predict_usd(model: Pipeline, frame: pd.DataFrame) -> np.ndarray:
    """The model's prices in dollars (no need to change this function)."""
    return np.clip(np.expm1(model.predict(model_input(frame))), 0.0, None)


def badge_accuracy(requests: pd.DataFrame) -> float:
    """Share of requests whose badge, from predicted_usd, matches the sale's tier, from
    price_usd (no need to change this function)."""
    predicted = np.searchsorted(TIER_EDGES_USD, requests["predicted_usd"], side="right")
    actual = np.searchsorted(TIER_EDGES_USD, requests["price_usd"], side="right")
    return float(np.mean(predicted == actual))


def make_logs(n_requests: int, reload_per_request: bool, seed: int) -> list[dict]:
    """A day of the service's log lines (no need to change this function)."""
    rng = np.random.default_rng(seed)
    clock = pd.Timestamp("2025-03-24 08:00:00")
    logs: list[dict] = []

    def line(event: str, **fields) -> None:
        nonlocal clock
        clock += pd.Timedelta(milliseconds=float(rng.uniform(50, 20_000)))
        logs.append({"time": clock.isoformat(timespec="milliseconds"), "event": event, **fields})

    def load() -> float:
        ms = round(float(rng.normal(1900, 60)), 1)
        line("loading model", path="models/price-v7.skops", ms=ms)
        return ms

    line("service started", version="price-api 2.4.0")
    load()
    for i in range(n_requests):
        ms = load() if reload_per_request else 0.0
        ms += round(float(rng.gamma(9.0, 5.5)), 1)
        line("request", path="/predict", request_id=f"r{i:06d}", status=200, ms=ms)
        if i % 25 == 24:
            line("health check", path="/health", status=200, ms=round(float(rng.uniform(1, 3)), 1))
    return logs


def make_evidence(incident: str = "healthy", data: Path = DATA) -> dict:
    """The evidence of one alert, from the data files (no need to change this function).

    incident: "healthy", "cents", "reload" or "constant". The evidence never says which.
    """
    clean = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    reference = clean.loc[clean["sale_date"].dt.year == 2024, ["card_id", *FEATURES, "price_usd"]]
    model = train_price_model(reference)
    stable = pd.read_csv(data / "production_stable.csv")
    stable["predicted_usd"] = predict_usd(model, stable)
    weeks = sorted(stable["batch_id"].unique())[1:-1]  # whole weeks: 2025-W02 ... 2025-W13
    last = weeks[-1]
    requests = stable[stable["batch_id"].isin(weeks[-4:])].reset_index(drop=True)
    requests.insert(0, "request_id", [f"r{i:06d}" for i in range(len(requests))])
    requests = requests[
        ["request_id", "batch_id", "card_id", *FEATURES, "predicted_usd", "price_usd"]
    ]
    if incident == "cents":
        in_cents = requests["batch_id"].eq(last)
        requests.loc[in_cents, "price_usd"] = np.round(requests.loc[in_cents, "price_usd"] * 100, 2)
    elif incident == "constant":
        requests["rarity"] = "Common"  # the failed join, filled
        requests["predicted_usd"] = predict_usd(model, requests)
    elif incident not in ("healthy", "reload"):
        raise ValueError(f"unknown incident {incident!r}")
    logs = make_logs(200, reload_per_request=incident == "reload", seed=len(incident))
    rng = np.random.default_rng(7)
    metrics = pd.DataFrame(
        {
            "week": weeks,
            "requests": [int(stable["batch_id"].eq(week).sum()) * 40 for week in weeks],
            "accuracy": [badge_accuracy(stable[stable["batch_id"] == week]) for week in weeks],
            "p50_latency_ms": np.round(rng.normal(50.0, 2.0, len(weeks)), 1),
        }
    )
    metrics.loc[metrics.index[-1], "accuracy"] = badge_accuracy(
        requests[requests["batch_id"] == last]
    )
    served = [line["ms"] for line in logs if line["event"] == "request"]
    metrics.loc[metrics.index[-1], "p50_latency_ms"] = float(np.median(served))
    return {"metrics": metrics, "logs": logs, "requests": requests, "reference": reference}


def cents_batches(requests: pd.DataFrame, reference: pd.DataFrame) -> list[str]:
    """The batches (sorted) whose median price is more than SCALE_LIMIT times the reference's."""
    reference_median = float(reference["price_usd"].median())
    medians = requests.groupby("batch_id")["price_usd"].median()
    return sorted(str(batch) for batch in medians[medians > SCALE_LIMIT * reference_median].index)


def diagnose(evidence: dict) -> str:
    """The cause the evidence shows, or UNKNOWN_CAUSE / NO_INCIDENT."""
    requests, reference = evidence["requests"], evidence["reference"]
    if cents_batches(requests, reference):
        return CENTS_SCHEMA_BREAK
    events = [line.get("event") for line in evidence["logs"]]
    if 2 * events.count("loading model") > events.count("request"):
        return MODEL_RELOADED_PER_REQUEST
    for feature in FEATURES:
        if requests[feature].nunique(dropna=False) == 1 < reference[feature].nunique(dropna=False):
            return CONSTANT_FEATURE
    metrics = evidence["metrics"]
    baseline, last = metrics.iloc[:-1], metrics.iloc[-1]
    accuracy_down = last["accuracy"] < baseline["accuracy"].mean() - ACCURACY_DROP
    latency_up = last["p50_latency_ms"] > LATENCY_FACTOR * baseline["p50_latency_ms"].mean()
    if accuracy_down or latency_up:
        return UNKNOWN_CAUSE
    return NO_INCIDENT


def fix_prices(requests: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """The requests with the prices of every batch in cents back in dollars."""
    fixed = requests.copy()
    in_cents = fixed["batch_id"].isin(cents_batches(requests, reference))
    fixed.loc[in_cents, "price_usd"] = fixed.loc[in_cents, "price_usd"] / 100
    return fixed


def fix_features(requests: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """The requests with rarity looked up again in the catalog."""
    rarity_of = cards.drop_duplicates("card_id").set_index("card_id")["rarity"]
    fixed = requests.copy()
    fixed["rarity"] = fixed["card_id"].map(rarity_of)
    return fixed


if __name__ == "__main__":
    cards = pd.read_csv(DATA / "cards.csv")
    for incident in ["healthy", "cents", "reload", "constant"]:
        evidence = make_evidence(incident)
        metrics = evidence["metrics"]
        print(f"--- alert: {incident} (the evidence does not say so)")
        print(metrics.tail(3).to_string(index=False))
        print("diagnosis:", diagnose(evidence))
        requests = evidence["requests"]
        print(f"  badge accuracy of the requests: {badge_accuracy(requests):.3f}", end="")
        if incident == "cents":
            fixed = fix_prices(requests, evidence["reference"])
            print(f", after fix_prices: {badge_accuracy(fixed):.3f}", end="")
        if incident == "constant":
            model = train_price_model(evidence["reference"])
            fixed = fix_features(requests, cards)
            fixed["predicted_usd"] = predict_usd(model, fixed)
            print(f", after fix_features: {badge_accuracy(fixed):.3f}", end="")
        print()
