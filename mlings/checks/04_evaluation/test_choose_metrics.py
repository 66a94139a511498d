"""Checks for 04_evaluation/01_choose_metrics: the right metric for five problems, and why."""

from collections.abc import Mapping

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
    """rejects "accuracy everywhere": no problem here is judged by the share of right answers"""
    picked = [p for p in PROBLEMS if _choice(exercise, p)[0] == "accuracy"]
    assert not picked, (
        f"You chose accuracy for {', '.join(picked)}. Accuracy counts every right answer the "
        "same, so it hides the mistakes that matter: on rare positives it rewards flagging "
        "nothing, and it ignores which mistake (a false alarm or a miss) is the expensive one."
    )


def test_spam_filter(exercise):
    """spam filter: precision, because a real buyer's message in the spam folder costs a sale"""
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
    """cancer screening: recall, because a missed cancer is far worse than a follow-up exam"""
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
    """price prediction: MAE in dollars (rejects RMSE, MAPE and R² for this problem)"""
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
    """fraud: average precision (PR-AUC), because scams are rare (rejects ROC-AUC)"""
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
    """ranking: NDCG of the first ten results, where the clicks are"""
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
