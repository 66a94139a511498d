"""WRONG: ships the candidate with the highest value of any metric, errors included."""

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
from sklearn import metrics

METRICS = {
    "accuracy": "share of all predictions that are right",
    "precision": "of the items flagged positive, the share that really are positive",
    "recall": "of the items that really are positive, the share that got flagged",
    "f1": "harmonic mean of precision and recall at one threshold",
    "roc_auc": "area under the ROC curve (true-positive rate against false-positive rate)",
    "average_precision": "area under the precision-recall curve (PR-AUC), over all thresholds",
    "mae": "mean absolute error, in the target's units",
    "rmse": "root mean squared error, in the target's units; squares each error first",
    "mape": "mean absolute percentage error: each error divided by the true value",
    "r2": "share of the target's variance explained, at most 1, no units",
    "ndcg_at_10": "normalised discounted cumulative gain of the first 10 results of a ranking",
}

REASONS = {
    "false_alarms_costly": (
        "A false positive costs far more than a miss, so what matters is how many of the flagged "
        "items are right."
    ),
    "misses_costly": (
        "A missed positive costs far more than a false alarm, so what matters is how many of the "
        "real positives get caught."
    ),
    "rare_positives": (
        "Positives are very rare and the threshold is not set yet: judge how well the scores put "
        "the few positives at the top, without the mass of easy negatives flattering the number."
    ),
    "typical_error_in_units": (
        "The typical error, in units people understand, and not dominated by a handful of "
        "extreme items."
    ),
    "order_at_top": "Only the order of the first few results matters: that is where people look.",
    "every_prediction_counts": "Every prediction counts the same, right or wrong.",
    "big_errors_worse": "A big error is much worse than several small ones adding up to it.",
    "relative_errors": "Errors as a share of the true value: cheap and dear items count the same.",
    "balance_both": "Misses and false alarms cost about the same.",
    "variance_explained": "How much of the target's variation the model explains, without units.",
}

PROBLEMS = {
    "spam_filter": (
        "PokéMarket's message inbox moves messages it flags as spam into a folder nobody opens. "
        "A real buyer's offer that lands there is a lost sale and an angry seller; a spam "
        "message that gets through costs a user one second to delete."
    ),
    "cancer_screening": (
        "The interview classic: a screening test for a cancer. Everyone it flags gets a cheap, "
        "safe follow-up exam that settles the question; a cancer it misses goes untreated."
    ),
    "price_prediction": (
        "The suggested price for a listing. Sellers read it in dollars, and the product team "
        "wants to say 'our suggestion is typically $X off'. Prices run from $0.01 bulk cards to "
        "$90,000 graded slabs; a few chase cards must not decide which model wins."
    ),
    "fraud": (
        "Scoring listings for scams: 3 listings in 1,000 are scams, and a model that flags "
        "nothing is 99.7% right. Trust & Safety will set the threshold later, from their "
        "costs; today you compare candidate models on the scores they give."
    ),
    "ranking": (
        "Search: a buyer types 'Charizard' and sees listings in the order a model ranks them. "
        "Almost every click lands on the first ten results, most on the first three."
    ),
}


class MetricChoice(NamedTuple):
    """The metric to report for one problem, and why."""

    metric: str  # one of the keys of METRICS
    reason: str  # one of the keys of REASONS


CHOICES: dict[str, MetricChoice] = {
    "spam_filter": MetricChoice("precision", "false_alarms_costly"),
    "cancer_screening": MetricChoice("recall", "misses_costly"),
    "price_prediction": MetricChoice("mae", "typical_error_in_units"),
    "fraud": MetricChoice("average_precision", "rare_positives"),
    "ranking": MetricChoice("ndcg_at_10", "order_at_top"),
}


def choose(problem: str) -> MetricChoice:
    """Your choice for one problem, read from CHOICES (no need to change this function)."""
    if problem not in PROBLEMS:
        raise KeyError(f"unknown problem {problem!r}; the keys are {list(PROBLEMS)}")
    if problem not in CHOICES:
        raise NotImplementedError(f"no metric yet for {problem!r}: add it to CHOICES")
    return CHOICES[problem]


THRESHOLD = 0.5  # scores at or above it are flagged positive
ERRORS = {"mae", "rmse", "mape"}  # lower is better; every other metric: higher is better


def score(metric: str, y_true, y_pred) -> float:
    """The value of one metric of METRICS for these predictions (see the module docstring)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred, dtype=float)
    flagged = (y_pred >= THRESHOLD).astype(int)
    match metric:
        case "accuracy":
            return float(metrics.accuracy_score(y_true, flagged))
        case "precision":
            return float(metrics.precision_score(y_true, flagged, zero_division=0.0))
        case "recall":
            return float(metrics.recall_score(y_true, flagged, zero_division=0.0))
        case "f1":
            return float(metrics.f1_score(y_true, flagged, zero_division=0.0))
        case "roc_auc":
            return float(metrics.roc_auc_score(y_true, y_pred))
        case "average_precision":
            return float(metrics.average_precision_score(y_true, y_pred))
        case "mae":
            return float(metrics.mean_absolute_error(y_true, y_pred))
        case "rmse":
            return float(metrics.root_mean_squared_error(y_true, y_pred))
        case "mape":
            return float(metrics.mean_absolute_percentage_error(y_true, y_pred))
        case "r2":
            return float(metrics.r2_score(y_true, y_pred))
        case "ndcg_at_10":
            return float(metrics.ndcg_score([y_true], [y_pred], k=10))
    raise KeyError(f"unknown metric {metric!r}; the keys are {list(METRICS)}")


def ship(problem: str, y_true, candidates: Mapping[str, np.ndarray]) -> str:
    """The candidate your metric for this problem prefers."""
    metric = choose(problem).metric
    values = {name: score(metric, y_true, pred) for name, pred in candidates.items()}
    return max(values, key=values.__getitem__)


def sample_candidates(problem: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """An evaluation set and two candidates' predictions (no need to change this function)."""
    rng = np.random.default_rng(7)
    if problem in ("spam_filter", "cancer_screening"):
        y = (rng.random(400) < 0.3).astype(int)
        cautious = np.where(y == 1, rng.uniform(0.3, 0.9, 400), rng.uniform(0.0, 0.52, 400))
        eager = np.where(y == 1, rng.uniform(0.45, 1.0, 400), rng.uniform(0.1, 0.75, 400))
        return y, {"cautious": cautious, "eager": eager}
    if problem == "fraud":
        y = np.zeros(1000, dtype=int)
        y[rng.choice(1000, 5, replace=False)] = 1
        honest = rng.uniform(0.0, 0.9, 1000)
        sharp = np.where(y == 1, 0.0, honest)
        sharp[np.flatnonzero(y)[:3]] = [0.99, 0.97, 0.95]
        broad = np.where(y == 1, rng.uniform(0.8, 0.85, 1000), honest)
        return y, {"sharp": sharp, "broad": broad}
    if problem == "price_prediction":
        y = np.round(np.exp(rng.normal(3.0, 1.0, 500)), 2)
        slabs = y >= np.quantile(y, 0.99)
        steady = np.where(slabs, y * 0.2, y * np.exp(rng.normal(0.0, 0.15, 500)))
        tail_fit = np.where(slabs, y, y * np.exp(rng.normal(0.0, 0.3, 500)))
        return y, {"steady": steady, "tail_fit": tail_fit}
    y = np.array([3, 2, 3, 0, 1, 2, 0, 0, 1, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0], dtype=float)
    ideal = np.argsort(np.argsort(-y, kind="stable"), kind="stable")
    top_first = 1 - ideal / 20
    overall = rng.permutation(top_first)
    return y, {"top_first": top_first, "overall": overall}


if __name__ == "__main__":
    for name in PROBLEMS:
        truth, predictions = sample_candidates(name)
        metric = choose(name).metric
        values = {k: f"{score(metric, truth, p):,.3f}" for k, p in predictions.items()}
        print(f"{name}: {metric} {values} -> ship {ship(name, truth, predictions)!r}")
