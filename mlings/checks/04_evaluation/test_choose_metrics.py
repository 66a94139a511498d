"""Checks for 04_evaluation/01_choose_metrics: the right metric for five problems, and why."""

from collections.abc import Mapping

import numpy as np
import pytest
from sklearn import metrics

METRICS = {
    "accuracy",
    "precision",
    "recall",
    "f1",
    "roc_auc",
    "average_precision",
    "mae",
    "rmse",
    "mape",
    "r2",
    "ndcg_at_10",
}
REASONS = {
    "false_alarms_costly",
    "misses_costly",
    "rare_positives",
    "typical_error_in_units",
    "order_at_top",
    "every_prediction_counts",
    "big_errors_worse",
    "relative_errors",
    "balance_both",
    "variance_explained",
}
PROBLEMS = ("spam_filter", "cancer_screening", "price_prediction", "fraud", "ranking")


def _choice(exercise, problem):
    """The learner's (metric, reason) for one problem, validated for shape."""
    choice = exercise.choose(problem)
    if isinstance(choice, Mapping) and {"metric", "reason"} <= choice.keys():
        return choice["metric"], choice["reason"]
    try:
        metric, reason = choice
    except (TypeError, ValueError):
        raise AssertionError(
            f"choose({problem!r}) returned {choice!r}; expected a MetricChoice(metric, reason)."
        ) from None
    return metric, reason


def _check(exercise, problem, metric, reason, why_metric, wrong_metrics, why_reason):
    got_metric, got_reason = _choice(exercise, problem)
    message = f"{problem}: you chose {got_metric!r}. "
    message += wrong_metrics.get(got_metric, why_metric)
    assert got_metric == metric, message
    assert got_reason == reason, (
        f"{problem}: {got_metric!r} is the right metric, but the reason {got_reason!r} does not "
        f"explain why. {why_reason}"
    )


def test_every_problem_has_a_valid_choice(exercise):
    """gives every problem a metric from METRICS and a reason code from REASONS"""
    for problem in PROBLEMS:
        metric, reason = _choice(exercise, problem)
        assert metric in METRICS, (
            f"{problem}: the metric {metric!r} is not one of the keys of METRICS "
            f"({', '.join(sorted(METRICS))})."
        )
        assert reason in REASONS, (
            f"{problem}: the reason {reason!r} is not one of the keys of REASONS "
            f"({', '.join(sorted(REASONS))})."
        )


def test_rejects_accuracy_everywhere(exercise):
    """no problem is judged by a metric blind to which mistake costs (rejects plain accuracy)"""
    picked = [p for p in PROBLEMS if _choice(exercise, p)[0] == "accuracy"]
    assert not picked, (
        f"You chose accuracy for {', '.join(picked)}. Accuracy counts every right answer the "
        "same, so it hides the mistakes that matter: on rare positives it rewards flagging "
        "nothing, and it ignores which mistake (a false alarm or a miss) is the expensive one."
    )


def test_spam_filter(exercise):
    """spam filter: the metric fits the problem and the reason explains it"""
    _check(
        exercise,
        "spam_filter",
        "precision",
        "false_alarms_costly",
        "A real message flagged as spam is a lost sale; a spam message let through costs a "
        "second. The expensive mistake is the false alarm: measure how many flagged messages "
        "really are spam.",
        {
            "recall": "Recall counts how much spam gets caught, and ignores the real messages "
            "thrown away with it, which is the expensive mistake here.",
            "f1": "F1 weighs both mistakes the same, but here a false alarm costs a sale and a "
            "miss costs a second.",
        },
        "The point is that a false positive (a real message hidden) is the expensive mistake.",
    )


def test_cancer_screening(exercise):
    """cancer screening: the metric fits the problem and the reason explains it"""
    _check(
        exercise,
        "cancer_screening",
        "recall",
        "misses_costly",
        "A false alarm costs a cheap, safe follow-up exam; a miss leaves a cancer untreated. "
        "Measure how many of the real cancers get caught.",
        {
            "precision": "Precision asks how many flagged people are sick; but a false alarm "
            "only costs a follow-up exam, while a missed cancer goes untreated. That is the "
            "spam filter's metric, the other way round.",
            "f1": "F1 weighs both mistakes the same, but a miss is far worse than a follow-up.",
        },
        "The point is that a missed positive is the expensive mistake.",
    )


def test_price_prediction(exercise):
    """price prediction: the metric fits the problem and the reason explains it"""
    _check(
        exercise,
        "price_prediction",
        "mae",
        "typical_error_in_units",
        "The team wants to say 'typically $X off' and a few chase cards must not decide: the "
        "mean absolute error is that number, in dollars.",
        {
            "rmse": "RMSE squares each error, so a handful of $50,000 slabs would decide which "
            "model wins; the problem says they must not. MAE is the typical error in dollars.",
            "mape": "MAPE divides by the true price: a $0.01 card predicted at $0.10 is a 900% "
            "error and swamps everything else, and it is not 'dollars off'.",
            "r2": "R² has no units, so nobody can say 'typically $X off' with it, and squared "
            "errors let the chase cards dominate it.",
        },
        "The point is a typical error in dollars that a few extreme cards do not dominate.",
    )


def test_fraud(exercise):
    """fraud: the metric fits the problem and the reason explains it"""
    _check(
        exercise,
        "fraud",
        "average_precision",
        "rare_positives",
        "Scams are 0.3% of listings and no threshold is set yet: compare models on how well "
        "their scores put the rare scams at the top, over all thresholds.",
        {
            "roc_auc": "ROC-AUC counts false alarms as a share of the 997 honest listings in "
            "1,000, so a model whose top scores are mostly honest listings still looks "
            "excellent. The precision-recall curve is judged on the flagged listings: average "
            "precision.",
            "precision": "Precision needs a threshold, and Trust & Safety has not set one yet; "
            "compare models over every threshold.",
            "recall": "Recall needs a threshold, and Trust & Safety has not set one yet; "
            "compare models over every threshold.",
            "f1": "F1 needs a threshold, and Trust & Safety has not set one yet; compare models "
            "over every threshold.",
        },
        "The point is that positives are rare and the threshold is not set yet.",
    )


def test_ranking(exercise):
    """ranking: the metric fits the problem and the reason explains it"""
    _check(
        exercise,
        "ranking",
        "ndcg_at_10",
        "order_at_top",
        "Buyers only look at the first ten results: a ranking metric that rewards putting the "
        "best listings first, NDCG@10, fits.",
        {},
        "The point is that only the order of the first results matters.",
    )


def candidates(problem: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The exercise's evaluation set and two candidates (a copy: the learner may edit theirs)."""
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


# The candidate each problem's right metric prefers (the tempting wrong metrics prefer the other:
# recall for spam, precision for screening, RMSE and R² for prices, ROC-AUC for fraud).
SHIP = {
    "spam_filter": "cautious",
    "cancer_screening": "eager",
    "price_prediction": "steady",
    "fraud": "sharp",
    "ranking": "top_first",
}
THRESHOLD = 0.5


def _reference(metric: str, y_true, y_pred) -> float:
    flagged = (np.asarray(y_pred) >= THRESHOLD).astype(int)
    return float(
        {
            "accuracy": lambda: metrics.accuracy_score(y_true, flagged),
            "precision": lambda: metrics.precision_score(y_true, flagged, zero_division=0.0),
            "recall": lambda: metrics.recall_score(y_true, flagged, zero_division=0.0),
            "f1": lambda: metrics.f1_score(y_true, flagged, zero_division=0.0),
            "roc_auc": lambda: metrics.roc_auc_score(y_true, y_pred),
            "average_precision": lambda: metrics.average_precision_score(y_true, y_pred),
            "mae": lambda: metrics.mean_absolute_error(y_true, y_pred),
            "rmse": lambda: metrics.root_mean_squared_error(y_true, y_pred),
            "mape": lambda: metrics.mean_absolute_percentage_error(y_true, y_pred),
            "r2": lambda: metrics.r2_score(y_true, y_pred),
            "ndcg_at_10": lambda: metrics.ndcg_score([y_true], [y_pred], k=10),
        }[metric]()
    )


# Small hand-made cases: scores exactly at the threshold, a regression with one far miss, and a
# ranking of 14 results whose best are not all first.
LABELS = np.array([1, 0, 1, 1, 0, 0, 1, 0, 0, 1])
SCORES = np.array([0.5, 0.5, 0.9, 0.3, 0.1, 0.7, 0.5, 0.2, 0.49, 0.8])
PRICES = np.array([2.0, 15.0, 40.0, 7.5, 120.0, 3.0, 60.0])
GUESSES = np.array([2.5, 12.0, 46.0, 7.0, 60.0, 3.3, 58.0])
GRADES = np.array([2, 0, 3, 1, 0, 0, 2, 1, 0, 0, 3, 0, 1, 0], dtype=float)
RANKING = np.linspace(1.0, 0.1, 14)
CASES = {
    **{m: (LABELS, SCORES) for m in ("accuracy", "precision", "recall", "f1")},
    **{m: (LABELS, SCORES) for m in ("roc_auc", "average_precision")},
    **{m: (PRICES, GUESSES) for m in ("mae", "rmse", "mape", "r2")},
    "ndcg_at_10": (GRADES, RANKING),
}


def test_score_agrees_with_scikit_learn(exercise):
    """score computes every metric of METRICS as scikit-learn does (rejects flagging with >)"""
    for metric, (y_true, y_pred) in CASES.items():
        got = exercise.score(metric, y_true.copy(), y_pred.copy())
        expected = _reference(metric, y_true, y_pred)
        shown = f"{got:,.4f}" if isinstance(got, int | float | np.floating) else repr(got)
        message = f"score({metric!r}, ...) gave {shown}; scikit-learn gives {expected:,.4f}."
        if metric in ("accuracy", "precision", "recall", "f1"):
            strict = _reference(metric, y_true, y_pred - 1e-9)
            if got == pytest.approx(strict) and strict != pytest.approx(expected):
                message += (
                    " Three scores here are exactly THRESHOLD; a score at the threshold is "
                    "flagged (>=, not >)."
                )
            else:
                message += " A decision metric flags the scores at or above THRESHOLD first."
        if metric == "ndcg_at_10":
            message += " NDCG of one query: the grades and scores as one row each, k=10."
        ok = isinstance(got, int | float | np.floating) and got == pytest.approx(expected)
        assert ok, message


def test_ship_minds_the_direction(exercise):
    """ship keeps the better candidate whether the metric is an error or a score"""
    for problem in PROBLEMS:
        y, _ = candidates(problem)
        good = y * 0.9 + 0.05 if problem not in ("price_prediction", "ranking") else y * 1.01
        bad = 1 - good if problem != "price_prediction" else y * 3.0
        if problem == "ranking":
            bad = -good
        got = exercise.ship(problem, y, {"close": good, "far_off": bad})
        metric = _choice(exercise, problem)[0]
        assert got == "close", (
            f"{problem}: ship chose the candidate far from the truth over one that is nearly "
            f"perfect (your metric: {metric!r}). An error such as MAE is best when lowest; a "
            "score such as precision or NDCG is best when highest."
        )


def test_ship_follows_the_right_metric(exercise):
    """ship picks the candidate the problem's metric prefers, on the exercise's candidates"""
    for problem in PROBLEMS:
        y, models = candidates(problem)
        got = exercise.ship(problem, y, models)
        metric = _choice(exercise, problem)[0]
        values = ", ".join(f"{k} {_reference(metric, y, v):,.3f}" for k, v in models.items())
        assert got == SHIP[problem], (
            f"{problem}: ship chose {got!r}. By your metric {metric!r} the candidates score "
            f"{values}. The candidates disagree on purpose: which one wins depends on the "
            "metric, so the metric has to fit the problem."
        )
