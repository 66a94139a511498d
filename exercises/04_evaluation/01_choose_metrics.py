"""Choose the metric

PokéMarket's new ML guild is writing a cheat sheet: for each kind of problem, the ONE number
the team reports and compares models on. Pick the wrong one and every decision after it is
wrong too: a fraud model that "is 99.7% accurate" may not catch a single scam.

PROBLEMS holds five problems: three of PokéMarket's own, and two classics every ML engineer is
asked about in interviews. For each one, pick a metric from METRICS and the reason code from
REASONS that explains why that metric is the right one for it.

Task: fill in CHOICES with one MetricChoice(metric, reason) per key of PROBLEMS.
Done when: every problem has a metric and a reason, each metric fits its problem, and each
reason explains that metric.

Stuck? Run `mlings hint`.
"""

from typing import NamedTuple

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


# TODO: add one entry per key of PROBLEMS, for example
#     "some_problem": MetricChoice("accuracy", "every_prediction_counts"),
CHOICES: dict[str, MetricChoice] = {}


def choose(problem: str) -> MetricChoice:
    """Your choice for one problem, read from CHOICES (no need to change this function)."""
    if problem not in PROBLEMS:
        raise KeyError(f"unknown problem {problem!r}; the keys are {list(PROBLEMS)}")
    if problem not in CHOICES:
        raise NotImplementedError(f"no metric yet for {problem!r}: add it to CHOICES")
    return CHOICES[problem]
