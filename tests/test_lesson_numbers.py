"""Every number lessons 1-4 and the data card state, recomputed from the data and the demos.

Each claim is (file, the phrase exactly as the text states it, a function that rebuilds the
phrase from the project's own data and code). The test asserts that the phrase is in the text
(whitespace folded, so line wraps do not matter) and that the function formats to it, so a
generator change that moves a number, or an edit that drops one, fails here by name.

The models are small, seeded, single-threaded and deterministic; everything is computed once
per session (functools.cache).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.feature_selection import SelectKBest, f_regression
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import average_precision_score, brier_score_loss, r2_score, roc_auc_score
from sklearn.model_selection import (
    KFold,
    TimeSeriesSplit,
    cross_val_score,
    train_test_split,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, TargetEncoder
from sklearn.tree import DecisionTreeRegressor

from mlings.dataset import CENTS_BATCH, FILES, FX_TO_USD, PLANTED, SNAPSHOT_END
from mlings.dataset.slices import DRIFT

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"
LESSONS = PROJECT / "mlings" / "lessons"
CARD = DATA / "DATA_CARD.md"

# The lessons' own worked examples (not the exercises'): a LightGBM price model on log1p(price)
# with features that describe the card and the copy, and one split design for everything.
CUTOFF = "2024-01-01"  # train before, test on 2024
CARVE_CUTOFF = "2023-01-01"  # early stopping: fit before, validate on 2023
SHARE = 0.2  # the share of cards held out, each time
MAX_ROUNDS, LEARNING_RATE, PATIENCE = 1000, 0.1, 50
BANDS = (1.0, 10.0, 100.0, 1000.0)  # the price bands of the lessons' tier table
PREMIUM_USD = 100.0
DEPTHS = (1, 3, 5, 8, 14, 30)
N_ENCODED = 3000
SELECTION_SEED = 1


# --- data ----------------------------------------------------------------------------------


@functools.cache
def clean() -> pd.DataFrame:
    return pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"])


@functools.cache
def raw() -> pd.DataFrame:
    return pd.read_csv(DATA / "sales_raw.csv")


@functools.cache
def cards() -> pd.DataFrame:
    return pd.read_csv(DATA / "cards.csv", parse_dates=["release_date"])


@functools.cache
def production(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"production_{name}.csv", parse_dates=["sale_date"])


def reference() -> pd.DataFrame:
    """The data card's drift reference: the clean sales of 2024."""
    sales = clean()
    return sales[sales["sale_date"].dt.year == 2024]


def time_card_split(
    sales: pd.DataFrame, cutoff: str, share: float = SHARE, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Lesson 1's split: a share of the cards, sales before / after a date; the rest dropped."""
    ids = np.sort(sales["card_id"].unique())
    held = np.random.default_rng(seed).choice(ids, size=round(share * len(ids)), replace=False)
    is_held = sales["card_id"].isin(held)
    before = sales["sale_date"] < cutoff
    return sales[~is_held & before], sales[is_held & ~before]


def features(sales: pd.DataFrame) -> pd.DataFrame:
    """What the card is and which copy sold, known when it is listed."""
    catalog = cards().set_index("card_id")
    card = sales["card_id"]
    X = pd.DataFrame(index=sales.index)
    for column in ("rarity", "variant", "condition", "platform"):
        X[column] = pd.Categorical(
            sales[column], categories=sorted(clean()[column].dropna().unique())
        )
    for column in ("series", "set_code"):
        X[column] = pd.Categorical(
            card.map(catalog[column]), categories=sorted(catalog[column].unique())
        )
    X["number"] = card.map(catalog["number"])
    X["hp"] = card.map(catalog["hp"])
    X["psa_grade"] = sales["psa_grade"]
    X["age_years"] = (sales["sale_date"] - card.map(catalog["release_date"])).dt.days / 365.25
    X["years_since_2016"] = (sales["sale_date"] - pd.Timestamp("2016-01-01")).dt.days / 365.25
    return X


def lgbm(n_estimators: int = MAX_ROUNDS) -> lgb.LGBMRegressor:
    return lgb.LGBMRegressor(
        n_estimators=n_estimators,
        learning_rate=LEARNING_RATE,
        random_state=0,
        num_threads=1,
        deterministic=True,
        force_row_wise=True,
        verbose=-1,
    )


def log_mae(y: pd.Series, predicted: np.ndarray) -> float:
    return float(np.mean(np.abs(y.to_numpy() - predicted)))


@functools.cache
def split() -> tuple[pd.DataFrame, pd.DataFrame]:
    return time_card_split(clean(), CUTOFF)


@functools.cache
def early_stopping() -> dict[str, dict[str, float]]:
    """Lesson 3, section 5: a random carve against a time-and-card carve of the training rows."""
    train, test = split()
    X, y = features(train), np.log1p(train["price_usd"])
    X_test, y_test = features(test), np.log1p(test["price_usd"])
    fit, val = time_card_split(train, CARVE_CUTOFF)
    X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=SHARE, random_state=0)
    carves = {
        "random": (X_fit, y_fit, X_val, y_val),
        "time_card": (
            features(fit),
            np.log1p(fit["price_usd"]),
            features(val),
            np.log1p(val["price_usd"]),
        ),
    }
    results = {}
    for name, (xf, yf, xv, yv) in carves.items():
        model = lgbm().fit(
            xf, yf, eval_X=xv, eval_y=yv, callbacks=[lgb.early_stopping(PATIENCE, verbose=False)]
        )
        rounds = model.best_iteration_
        final = lgbm(rounds).fit(X, y)  # refitted on all training rows with the chosen trees
        results[name] = {
            "rounds": rounds,
            "val_mae": log_mae(yv, model.predict(xv)),
            "future_mae": log_mae(y_test, final.predict(X_test)),
            "n_val": len(yv),
            "model": final,
        }
    return results


def band_of(prices: np.ndarray) -> np.ndarray:
    return np.searchsorted(BANDS, prices, side="right")


@functools.cache
def dollars() -> dict[str, object]:
    """Lesson 4: the final model's errors in dollars on the test sales (2024, unseen cards)."""
    train, test = split()
    model = early_stopping()["time_card"]["model"]  # the lessons' example model
    actual = test["price_usd"].to_numpy()
    predicted = np.clip(np.expm1(model.predict(features(test))), 0, None)
    errors = np.abs(actual - predicted)
    top = actual >= np.quantile(actual, 0.99)
    medians = train.groupby("rarity")["price_usd"].median()
    rule = test["rarity"].map(medians).fillna(train["price_usd"].median()).to_numpy()
    bands = band_of(actual)
    table = {
        band: {
            "n": int((bands == band).sum()),
            "mae": float(errors[bands == band].mean()),
            "mdape": float(np.median(errors[bands == band] / actual[bands == band])),
            "bias": float(np.mean(actual[bands == band] - predicted[bands == band])),
        }
        for band in range(len(BANDS) + 1)
    }
    return {
        "n": len(test),
        "mae": float(errors.mean()),
        "top_share": float(errors[top].sum() / errors.sum()),
        "n_top": int(top.sum()),
        "mae_without_top": float(errors[~top].mean()),
        "mdape": float(np.median(errors / actual)),
        "bands": table,
        "r2_log": float(r2_score(np.log1p(actual), np.log1p(predicted))),
        "log_mae": float(np.mean(np.abs(np.log1p(actual) - np.log1p(predicted)))),
        "actual": actual,
        "model_usd": predicted,
        "rule_usd": rule,
        "cards": test["card_id"].to_numpy(),
    }


@functools.cache
def bootstrap() -> dict[str, float]:
    """Lesson 4, section 5: the rule (A) against the model (B), by sale and by card."""
    d = dollars()
    actual, cards_ = d["actual"], d["cards"]
    gap = np.abs(actual - d["rule_usd"]) - np.abs(actual - d["model_usd"])
    rng = np.random.default_rng(0)
    n, n_resamples = len(gap), 2000
    rows = rng.integers(0, n, size=(n_resamples, n))
    paired = np.quantile(gap[rows].mean(axis=1), [0.025, 0.975])
    err_a, err_b = np.abs(actual - d["rule_usd"]), np.abs(actual - d["model_usd"])
    rows_b = rng.integers(0, n, size=(n_resamples, n))
    unpaired = np.quantile(err_a[rows].mean(axis=1) - err_b[rows_b].mean(axis=1), [0.025, 0.975])
    codes, card_index = np.unique(cards_, return_inverse=True)
    gap_sum = np.bincount(card_index, weights=gap)
    count = np.bincount(card_index).astype(float)
    picks = rng.integers(0, len(codes), size=(n_resamples, len(codes)))
    by_card = np.quantile(gap_sum[picks].sum(axis=1) / count[picks].sum(axis=1), [0.025, 0.975])
    repeated = count > 1
    return {
        "mae_a": float(err_a.mean()),
        "mae_b": float(err_b.mean()),
        "difference": float(gap.mean()),
        "n": n,
        "n_cards": len(codes),
        "n_repeated_cards": int(repeated.sum()),
        "n_repeated_sales": int(count[repeated].sum()),
        "most_sales": int(count.max()),
        "paired": tuple(paired),
        "unpaired": tuple(unpaired),
        "by_card": tuple(by_card),
        "unpaired_ratio": float(np.ptp(unpaired) / np.ptp(paired)),
        "card_ratio": float(np.ptp(by_card) / np.ptp(paired)),
    }


@functools.cache
def premium_flag() -> dict[str, float]:
    """Lesson 4, section 6: exercise 6's demo (train to 2021, calibrate on 2022, test 2023-24)."""
    sales = clean()
    X = pd.DataFrame(
        {
            "rarity": sales["rarity"],
            "variant": sales["variant"],
            "condition": sales["condition"].fillna("graded"),
            "psa_grade": sales["psa_grade"].fillna(0.0),
        }
    )
    y = sales["price_usd"] >= PREMIUM_USD
    year = sales["sale_date"].dt.year
    train, calib, test = year <= 2021, year == 2022, year >= 2023

    def flag(class_weight: str | None):
        encode = make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
            remainder="passthrough",
        )
        model = LogisticRegression(class_weight=class_weight, solver="newton-cholesky")
        return make_pipeline(encode, model).fit(X[train], y[train])

    def premium(model) -> np.ndarray:
        return model.predict_proba(X[test])[:, list(model.classes_).index(True)]

    balanced, plain = flag("balanced"), flag(None)
    p_balanced, p_plain = premium(balanced), premium(plain)
    sixty = (p_balanced >= 0.55) & (p_balanced < 0.65)
    result = {
        "auc_balanced": roc_auc_score(y[test], p_balanced),
        "auc_plain": roc_auc_score(y[test], p_plain),
        "ap_balanced": average_precision_score(y[test], p_balanced),
        "ap_plain": average_precision_score(y[test], p_plain),
        "mean_balanced": float(p_balanced.mean()),
        "mean_plain": float(p_plain.mean()),
        "prevalence": float(y[test].mean()),
        "premium_at_sixty": float(y[test][sixty].mean()),
        "brier_balanced": brier_score_loss(y[test], p_balanced),
        "brier_plain": brier_score_loss(y[test], p_plain),
    }
    for method in ("sigmoid", "temperature"):
        calibrated = CalibratedClassifierCV(FrozenEstimator(balanced), method=method)
        calibrated.fit(X[calib], y[calib].to_numpy())  # temperature reads y[0]
        result[f"brier_{method}"] = brier_score_loss(y[test], premium(calibrated))
    return {key: float(value) for key, value in result.items()}


@functools.cache
def validation_curve() -> dict[int, tuple[float, float]]:
    """Lesson 3, section 4: tree depth against train and validation MAE (log1p price)."""
    train, _ = split()
    fit, val = time_card_split(train, CARVE_CUTOFF)
    fit = fit.sample(5000, random_state=0)

    def encoded(sales: pd.DataFrame) -> pd.DataFrame:
        X = features(sales)
        for column in X.select_dtypes("category"):
            X[column] = X[column].cat.codes
        return X.fillna(-1)

    X_fit, X_val = encoded(fit), encoded(val)
    # Rounded: numpy's log1p differs in the last bit between CPUs (AVX-512 or not), and a deep
    # tree's near-tied splits follow the last bit; a lesson's numbers must not depend on the CPU.
    y_fit, y_val = np.log1p(fit["price_usd"]).round(9), np.log1p(val["price_usd"]).round(9)
    curve = {}
    for depth in DEPTHS:
        tree = DecisionTreeRegressor(max_depth=depth, random_state=0).fit(X_fit, y_fit)
        curve[depth] = (log_mae(y_fit, tree.predict(X_fit)), log_mae(y_val, tree.predict(X_val)))
    return curve


@functools.cache
def leaky_encoding() -> tuple[float, float, int, int]:
    """Lesson 2, section 6: a set's mean of pure noise, leaky and cross-fitted (2019 sales)."""
    sales = clean()
    sales = sales[sales["sale_date"].dt.year == 2019].head(N_ENCODED)
    sets = sales[["card_id"]].assign(
        set_code=sales["card_id"].map(cards().set_index("card_id")["set_code"])
    )
    noise = np.random.default_rng(0).normal(size=len(sets))
    encoder = TargetEncoder(target_type="continuous", cv=KFold(5, shuffle=True, random_state=0))
    honest = encoder.fit_transform(sets[["set_code"]], noise)[:, 0]
    leaky = encoder.fit(sets[["set_code"]], noise).transform(sets[["set_code"]])[:, 0]
    return (
        float(np.corrcoef(leaky, noise)[0, 1]),
        float(np.corrcoef(honest, noise)[0, 1]),
        len(sets),
        sets["set_code"].nunique(),
    )


@functools.cache
def noise_selection() -> tuple[float, float]:
    """Lesson 2, section 7: 3,000 noise signals for 150 listings; keep 20, then a ridge."""
    rng = np.random.default_rng(SELECTION_SEED)
    X, y = rng.normal(size=(150, 3000)), rng.normal(size=150)
    cv = KFold(5, shuffle=True, random_state=0)
    kept = SelectKBest(f_regression, k=20).fit(X, y).transform(X)
    leaky = cross_val_score(Ridge(), kept, y, cv=cv, scoring="r2").mean()
    model = make_pipeline(SelectKBest(f_regression, k=20), Ridge())
    honest = cross_val_score(model, X, y, cv=cv, scoring="r2").mean()
    return float(leaky), float(honest)


# --- formatting ----------------------------------------------------------------------------

WORDS = {12: "twelve", 15: "fifteen", 30: "thirty"}


def usd(value: float) -> str:
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"


def signed_usd(value: float) -> str:
    return usd(value) if value < 0 else f"+{usd(value)}"


def whole_usd(value: float) -> str:
    return f"-${-value:,.0f}" if value < 0 else f"${value:,.0f}"


def interval(pair: tuple[float, float]) -> str:
    return f"[{whole_usd(pair[0])}, {whole_usd(pair[1])}]"


def pct(share: float) -> str:
    return f"{share:.0%}"


def over_under(d: float) -> str:
    return f"{np.exp(d) - 1:.0%} over or {1 - np.exp(-d):.0%} under"


def sig(value: float, digits: int) -> str:
    return f"${round(value, digits):,.0f}"


# --- the numbers ---------------------------------------------------------------------------


def raw_dates() -> pd.Series:
    return pd.to_datetime(raw()["sale_date"], errors="coerce")


def decade_typos() -> pd.Series:
    dates = raw_dates()
    return dates[dates.dt.year > 2025]


def under_a_dollar() -> str:
    return f"{pct((clean()['price_usd'] < 1).mean())} of sales are under $1"


def median_sale() -> float:
    return float(clean()["price_usd"].median())


def p99_ratio() -> str:
    prices = clean()["price_usd"]
    return f"{prices.quantile(0.99) / prices.median():.0f}"


def top_rarities() -> str:
    shares = clean()["rarity"].value_counts(normalize=True).head(3)
    names = [f"{name}s" for name in shares.index]
    half = "over half" if shares.sum() > 0.5 else "under half"
    return f"{names[0]}, {names[1]} and {names[2]} make up {half} of the sales"


def gap_days() -> str:
    ordered = clean().sort_values("sale_date", kind="stable").reset_index(drop=True)
    dates = ordered["sale_date"]
    days = [
        (dates[test[0]] - dates[train[-1]]).days
        for train, test in TimeSeriesSplit(4, gap=30).split(ordered)
    ]
    return f"the 30 rows before each test fold span {min(days)} to {max(days)} days"


def curve_line(which: int) -> str:
    values = " ".join(f"{validation_curve()[d][which]:.2f}" for d in DEPTHS)
    return f"{('train', 'val')[which]} MAE {values}"


def best_depth() -> str:
    curve = validation_curve()
    return f"bottoms out at {min(DEPTHS, key=lambda d: (round(curve[d][1], 2), d))}"


def random_carve() -> str:
    r = early_stopping()["random"]
    stops = "never stops: all" if r["rounds"] == MAX_ROUNDS else f"stops at {r['rounds']:,} of"
    return (
        f"a random carve reports a validation MAE of {r['val_mae']:.3f} and {stops} "
        f"{MAX_ROUNDS:,} trees. Refitted on all training rows, that model scores "
        f"{r['future_mae']:.3f}"
    )


def time_card_carve() -> str:
    r = early_stopping()["time_card"]
    return (
        f"validation says {r['val_mae']:.3f} and stops at {r['rounds']} trees; refitted with "
        f"{r['rounds']} trees, the model scores {r['future_mae']:.3f} on those same future sales"
    )


def tail() -> str:
    d = dollars()
    return (
        f"the top 1% by price ({d['n_top']} sales) carry {pct(d['top_share'])} of the model's "
        f"total absolute dollar error (MAE {usd(d['mae'])}, {usd(d['mae_without_top'])} "
        "without them)"
    )


BAND_NAMES = ("under $1", "$1 to $10", "$10 to $100", "$100 to $1,000", "$1,000 and up")


def band_row(band: int) -> str:
    row = dollars()["bands"][band]
    return (
        f"| {BAND_NAMES[band]} | {row['n']:,} | {usd(row['mae'])} | {pct(row['mdape'])} | "
        f"{signed_usd(row['bias'])} |"
    )


def residual_signs() -> str:
    bias = [dollars()["bands"][band]["bias"] for band in range(len(BANDS) + 1)]
    above = "positive" if min(bias[3:]) > 0 else "mixed"
    below = "negative" if max(bias[:3]) < 0 else "mixed"
    return f"the residuals are {above} above $100 and {below} below"


def relative_range() -> str:
    bands = dollars()["bands"].values()
    mdape = [band["mdape"] for band in bands]
    climbs = all(a["mae"] < b["mae"] for a, b in zip(list(bands), list(bands)[1:], strict=False))
    assert climbs, "the lesson says the dollar error climbs band after band"
    return f"between {pct(min(mdape))} and {pct(max(mdape))} of the price"


def log_mae_meaning() -> str:
    value = round(dollars()["log_mae"], 2)
    return (
        f"MAE of {value:.2f}. On a card above a few dollars that is a factor of e^{value:.2f}: "
        f"{over_under(value)}, not"
    )


def bootstrap_widths() -> str:
    b = bootstrap()
    return (
        f"gives an interval {b['unpaired_ratio']:.0f} times wider here "
        f"({interval(b['unpaired'])} against {interval(b['paired'])})"
    )


def card_bootstrap() -> str:
    b = bootstrap()
    verdict = "B is still better" if b["by_card"][0] > 0 else "B is no longer shown better"
    return (
        f"The {b['n']:,} sales are of {b['n_cards']:,} cards, and resampling by card widens "
        f"the interval from {interval(b['paired'])} to {interval(b['by_card'])}, "
        f"{b['card_ratio'] - 1:.0%} wider. {verdict}"
    )


def repeated_cards() -> str:
    b = bootstrap()
    return (
        f"Here {b['n_repeated_sales']:,} of the {b['n']:,} sales are of the "
        f"{b['n_repeated_cards']:,} cards that sold more than once, one of them "
        f"{b['most_sales']} times."
    )


def premium_ranking() -> str:
    f = premium_flag()
    return (
        f"(ROC-AUC {f['auc_balanced']:.4f} against {f['auc_plain']:.4f}, average precision "
        f"{f['ap_balanced']:.4f} against {f['ap_plain']:.4f})"
    )


def premium_inflation() -> str:
    f = premium_flag()
    return (
        f"they average {f['mean_balanced']:.3f} when {f['prevalence']:.3f} of the test listings "
        f"are premium, and of the listings it gives 0.55 to 0.65, only "
        f"{pct(f['premium_at_sixty'])} are"
    )


def brier_scores() -> str:
    f = premium_flag()
    return (
        f"sigmoid calibration takes it from {f['brier_balanced']:.3f} to "
        f"{f['brier_sigmoid']:.3f}; temperature scaling only reaches "
        f"{f['brier_temperature']:.3f}; the model trained without class weights scores "
        f"{f['brier_plain']:.3f} as it is"
    )


def encoding_leak() -> str:
    leaky, honest, n, n_sets = leaky_encoding()
    return (
        f"{leaky:.2f} on the first {n:,} sales of 2019, from {n_sets} sets, against "
        f"{abs(honest):.2f} cross-fitted"
    )


def drift_median() -> str:
    drifted = production("drifted")
    drifted = drifted[drifted["batch_id"] != CENTS_BATCH]
    ratio = drifted["price_usd"].median() / reference()["price_usd"].median()
    return f"| every price x{np.exp(DRIFT.inflation):.2f} | median sale x{ratio:.2f} (without"


def psa10_share() -> str:
    def share(sales: pd.DataFrame) -> float:
        graded = sales["psa_grade"].dropna()
        return float((graded == 10).mean())

    before, after = share(reference()), share(production("drifted"))
    return (
        f"| PSA 10 drawn {DRIFT.psa10_boost} times as often | PSA-10 share of graded copies "
        f"{before:.3f} to {after:.3f}, x{after / before:.1f} |"
    )


def graded_shares() -> str:
    drifted, ref = production("drifted"), reference()
    after, before = drifted["psa_grade"].notna().mean(), ref["psa_grade"].notna().mean()
    return (
        f"| +{DRIFT.graded_boost} on the log-odds of grading | graded sales "
        f"{pct(after)} against {pct(before)} |"
    )


def psi(reference_prices: pd.Series, prices: pd.Series, eps: float = 1e-4) -> float:
    edges = np.quantile(reference_prices, np.linspace(0, 1, 11))
    edges[0], edges[-1] = -np.inf, np.inf
    expected = np.clip(np.histogram(reference_prices, edges)[0] / len(reference_prices), eps, None)
    actual = np.clip(np.histogram(prices, edges)[0] / len(prices), eps, None)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def psi_values() -> str:
    ref = reference()["price_usd"]
    stable = psi(ref, production("stable")["price_usd"])
    drifted = psi(ref, production("drifted")["price_usd"])
    return (
        f"the price PSI is {stable:.3f} for the stable slice and {drifted:.3f} for the drifted one"
    )


def future_dates() -> str:
    dates = raw_dates()
    ahead = dates[dates > SNAPSHOT_END]
    typos = ahead[ahead.dt.year > 2025]
    soon = ahead[ahead.dt.year <= 2025]
    return (
        f"{len(typos)} are a decade typo (2021 becomes 2031; years {typos.dt.year.min()} to "
        f"{typos.dt.year.max()}), {len(soon)} are days to a year ahead ({soon.dt.year.max()})"
    )


def format_rows() -> list[tuple[str, Callable[[], str]]]:
    examples = {
        ("TCGplayer", "USD"): "`$1,200.00`",
        ("eBay", "USD"): "`US $45.00`",
        ("Cardmarket", "EUR"): "`1.200,50 €`",
        ("PokéMarket", "USD"): "`12.5`, `1200`",
        ("eBay", "GBP"): "`£45`, `£1,200.50`",
        ("eBay", "EUR"): "`EUR 1.200,50`",
    }

    def row(key: tuple[str, str], example: str) -> Callable[[], str]:
        return lambda: f"{example} | {clean().groupby(['platform', 'currency']).size()[key]:,} |"

    return [(f"format {k[0]} {k[1]}", row(k, e)) for k, e in examples.items()]


def file_rows(name: str, frame: Callable[[], pd.DataFrame]) -> Callable[[], str]:
    return lambda: f"| `{name}` | {len(frame()):,} |"


def value_range(frame: Callable[[], pd.DataFrame], column: str, fmt: str) -> Callable[[], str]:
    return lambda: f"| {frame()[column].min():{fmt}} ... {frame()[column].max():{fmt}} |"


def day(value: pd.Timestamp) -> str:
    return value.strftime("%Y-%m-%d")


def period(name: str) -> str:
    dates = production(name)["sale_date"]
    return f"{name}: {day(dates.min())} ... {day(dates.max())}"


def batches() -> str:
    stable, drifted = production("stable")["batch_id"], production("drifted")["batch_id"]
    return f"`{stable.min()}` ... `{stable.max()}`, `{drifted.min()}` ... `{drifted.max()}`"


def famous_cards() -> str:
    catalog = cards().set_index("card_id")

    def shown(card_id: str) -> str:
        card = catalog.loc[card_id]
        return f"{card['number']}/{card['printed_total']}"

    return (
        f"Blastoise {shown('base1-2')}, Charizard {shown('base1-4')} and Venusaur "
        f"{shown('base1-15')}, Team Rocket's Dark Raichu {shown('base5-83')}"
    )


def pokemarket_launch() -> str:
    sales = clean()
    first = sales.loc[sales["platform"] == "PokéMarket", "sale_date"].min()
    assert first >= pd.Timestamp("2019-06-01"), first
    return "PokéMarket (from 2019-06-01)"


def secret_rares() -> str:
    catalog = cards()
    secret = catalog[catalog["number"] > catalog["printed_total"]]
    return f"({len(secret):,} cards in {secret['set_code'].nunique()} sets"


def megabytes() -> str:
    size = sum((DATA / name).stat().st_size for name in FILES)
    return f"The five files take {size / 1e6:.1f} MB."


def looks_like() -> str:
    sales, catalog = clean(), cards().set_index("card_id")
    series = sales["card_id"].map(catalog["series"])
    raw_copy = sales["psa_grade"].isna()
    modern = series.isin(["Sun & Moon", "Sword & Shield", "Scarlet & Violet"])
    commons = sales.loc[modern & raw_copy & (sales["rarity"] == "Common"), "price_usd"]
    wizards = series.isin(["Base", "Gym", "Neo", "E-Card"])
    slabs = sales.loc[
        wizards & (sales["rarity"] == "Holo Rare") & (sales["psa_grade"] >= 9), "price_usd"
    ]
    return (
        f"median sale {usd(median_sale())}, 99th percentile {p99_ratio()}x the median; modern "
        f"Commons sell for about ${round(commons.median(), 1):.2f} raw, Wizards-era Holo Rares "
        f"in PSA 9-10 for a median of about {sig(slabs.median(), -1)} and up to "
        f"{sig(slabs.max(), -3)}; the most expensive sales (PSA 9-10 Gold Stars, EX-era ex "
        f"cards, 1st Edition Shining Pokémon) reach {sig(sales['price_usd'].max(), -3)}"
    )


L1, L2, L3, L4 = (
    LESSONS / f"{name}.md" for name in ("01_data", "02_features", "03_training", "04_evaluation")
)

CLAIMS: list[tuple[Path, str, Callable[[], str]]] = [
    (L1, "raw rows", lambda: f"{len(raw()):,} rows as the scraper recorded them"),
    (L1, "decade typos", lambda: f"{WORDS[len(decade_typos())]} sales are dated a decade ahead"),
    (
        L1,
        "re-scrapes",
        lambda: f"That is {raw()['listing_id'].duplicated().sum():,} of the {len(raw()):,} rows",
    ),
    (L1, "odd string", lambda: f"must not stop {len(raw()):,} rows"),
    (L1, "polars rows", lambda: f"on {len(clean()):,} rows both take milliseconds"),
    (L2, "median", lambda: f"the median sale is {usd(median_sale())}"),
    (L2, "p99", lambda: f"99th percentile is {p99_ratio()} times that"),
    (L2, "under $1", under_a_dollar),
    (L2, "top rarities", top_rarities),
    (L2, "sets", lambda: f"There are {cards()['set_code'].nunique()} sets"),
    (L2, "encoding leak", encoding_leak),
    (L2, "leaky selection", lambda: f"R² = {noise_selection()[0]:.2f}"),
    (L2, "honest selection", lambda: f"R² ≤ 0 (here {noise_selection()[1]:.2f})"),
    (L3, "under $1", under_a_dollar),
    (L3, "0.3 in log", lambda: f"so 0.3 is {over_under(0.3)}"),
    (
        L3,
        "bulk in log1p",
        lambda: (
            f"error of {np.log1p(0.4) - np.log1p(0.2):.3f} in `log1p` units and "
            f"{np.log(0.4) - np.log(0.2):.3f} in `log` units"
        ),
    ),
    (L3, "gap in days", gap_days),
    (L3, "lowest price", lambda: f"clean prices are never below {usd(clean()['price_usd'].min())}"),
    (L3, "curve train", lambda: curve_line(0)),
    (L3, "curve val", lambda: curve_line(1)),
    (L3, "curve best", best_depth),
    (L3, "random carve", random_carve),
    (L3, "time-and-card carve", time_card_carve),
    (L4, "tail", tail),
    (L4, "log MAE", log_mae_meaning),
    (L4, "0.6", lambda: f"0.6 would be {over_under(0.6)}"),
    *[(L4, f"band {band}", functools.partial(band_row, band)) for band in range(len(BANDS) + 1)],
    (
        L4,
        "mdape",
        lambda: (
            f"Over all {dollars()['n']:,} test sales the median absolute percentage error "
            f"is {pct(dollars()['mdape'])}."
        ),
    ),
    (L4, "residual signs", residual_signs),
    (L4, "relative range", relative_range),
    (
        L4,
        "bootstrap MAEs",
        lambda: (
            f"rule (A) has an MAE of {usd(bootstrap()['mae_a'])} and the LightGBM model (B) "
            f"{usd(bootstrap()['mae_b'])}"
        ),
    ),
    (L4, "unpaired", bootstrap_widths),
    (L4, "repeated cards", repeated_cards),
    (L4, "by card", card_bootstrap),
    (L4, "ranking", premium_ranking),
    (L4, "inflation", premium_inflation),
    (L4, "brier", brier_scores),
    (L4, "formula", lambda: f"C_FP / (C_FP + C_FN) = {4 / (4 + 16):.1f}"),
    (L4, "accuracy", lambda: f'"never flag" is {1 - 1 / 2000:.2%} accurate'),
    (CARD, "cards rows", file_rows("cards.csv", cards)),
    (CARD, "clean rows", file_rows("sales_clean.csv", clean)),
    (CARD, "raw rows", file_rows("sales_raw.csv", raw)),
    (CARD, "stable rows", file_rows("production_stable.csv", lambda: production("stable"))),
    (CARD, "drifted rows", file_rows("production_drifted.csv", lambda: production("drifted"))),
    (CARD, "sets", lambda: f"every card of {cards()['set_code'].nunique()} real sets"),
    (CARD, "set codes", lambda: f"| {cards()['set_code'].nunique()} codes |"),
    (CARD, "series", lambda: f"| {cards()['series'].nunique()} series,"),
    (CARD, "species", lambda: f"| {cards()['pokemon'].nunique()} species,"),
    (CARD, "numbers", value_range(cards, "number", "")),
    (CARD, "printed totals", value_range(cards, "printed_total", "")),
    (CARD, "hp", value_range(cards, "hp", "")),
    (CARD, "listing ids", value_range(clean, "listing_id", ",")),
    (CARD, "clean prices", value_range(clean, "price_usd", ",.2f")),
    (CARD, "price_eur", value_range(raw, "price_eur", ",.2f")),
    (CARD, "population", value_range(raw, "psa_population", ",.0f")),
    (CARD, "rarities", lambda: f"| {clean()['rarity'].nunique()} rarities |"),
    (CARD, "secret rares", secret_rares),
    (CARD, "graded", lambda: f"{pct(clean()['psa_grade'].notna().mean())} of sales are graded"),
    (CARD, "size", megabytes),
    *[(CARD, name, fn) for name, fn in format_rows()],
    *[
        (CARD, name, functools.partial(lambda n, c: f"| `{n}` | {c} |", name, count))
        for name, count in PLANTED.items()
    ],
    (CARD, "future dates", future_dates),
    (CARD, "reference", lambda: f"`sale_date` in 2024, {len(reference()):,} sales"),
    (CARD, "psi", psi_values),
    (
        CARD,
        "cents batch",
        lambda: f"`{CENTS_BATCH}` ({production('drifted')['batch_id'].eq(CENTS_BATCH).sum()} rows)",
    ),
    (CARD, "drift median", drift_median),
    (CARD, "graded shares", graded_shares),
    (CARD, "psa 10 share", psa10_share),
    (CARD, "looks like", looks_like),
    (CARD, "r2", lambda: f"an R² of {dollars()['r2_log']:.2f} on the log prices"),
    (
        CARD,
        "release dates",
        lambda: (
            f"| {day(cards()['release_date'].min())} ... "
            f"{day(cards()['release_date'].max())} | set releases"
        ),
    ),
    (
        CARD,
        "sale dates",
        lambda: (
            f"`sale_date` | date | the day the sale completed; never before "
            f"the card's release | {day(clean()['sale_date'].min())} ... "
            f"{day(clean()['sale_date'].max())} |"
        ),
    ),
    (
        CARD,
        "raw sale years",
        lambda: (
            f"see the planted problems | {raw_dates().dt.year.min():.0f} ... "
            f"{raw_dates().dt.year.max():.0f} |"
        ),
    ),
    (CARD, "stable period", lambda: period("stable")),
    (CARD, "drifted period", lambda: period("drifted")),
    (CARD, "batches", batches),
    (CARD, "famous cards", famous_cards),
    (CARD, "pokemarket launch", pokemarket_launch),
]


def folded(path: Path) -> str:
    return " ".join(path.read_text(encoding="utf-8").split())


@pytest.mark.parametrize(
    ("path", "compute"),
    [pytest.param(path, compute, id=f"{path.stem}: {name}") for path, name, compute in CLAIMS],
)
def test_the_text_states_the_computed_number(path: Path, compute: Callable[[], str]) -> None:
    phrase = compute()
    assert phrase in folded(path), f"{path.name} should say: {phrase!r}"


def lesson_block(path: Path, marker: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)
    (block,) = [b for b in blocks if marker in b]
    return block


def test_lesson_1_price_parser_keeps_its_own_rules() -> None:
    namespace = {"re": re, "np": np, "FX_TO_USD": FX_TO_USD}
    exec(lesson_block(L1, "def to_usd"), namespace)
    to_usd = namespace["to_usd"]
    assert to_usd("-$12.00", "USD") == -12.0
    assert to_usd("-0,44 €", "EUR") == round(-0.44 * FX_TO_USD["EUR"], 2)
    assert to_usd("1.200,50 €", "EUR") == round(1200.50 * FX_TO_USD["EUR"], 2)
    assert to_usd("£1,200.50", "GBP") == round(1200.50 * FX_TO_USD["GBP"], 2)
    assert to_usd("US $45.00", "USD") == 45.0
    for unreadable in ("Best Offer", "$$$", np.nan):
        assert np.isnan(to_usd(unreadable, "USD"))


def test_lesson_3_mlflow_file_store_is_refused(tmp_path: Path, monkeypatch) -> None:
    import mlflow
    from mlflow.exceptions import MlflowException
    from mlflow.store.tracking.file_store import FileStore

    required = re.search(r'"mlflow-skinny>=(\d+\.\d+)', (PROJECT / "pyproject.toml").read_text())
    assert required, "pyproject names the least MLflow the course needs"
    assert f"MLflow {required[1]} or newer" in folded(L3), "the lesson names the same"
    installed = tuple(int(part) for part in mlflow.__version__.split(".")[:2])
    assert installed >= tuple(int(part) for part in required[1].split("."))
    monkeypatch.delenv("MLFLOW_ALLOW_FILE_STORE", raising=False)
    with pytest.raises(MlflowException, match="MLFLOW_ALLOW_FILE_STORE"):
        FileStore(str(tmp_path / "mlruns"))


if __name__ == "__main__":  # print every phrase as the data makes it: handy when editing a lesson
    for path, name, compute in CLAIMS:
        print(f"{path.name:18} {name:22} {compute()}")
