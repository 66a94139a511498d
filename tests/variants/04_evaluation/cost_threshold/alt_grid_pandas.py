"""ALTERNATIVE: a grid of thresholds 0.00, 0.01, ..., 1.00 and a pandas cost table."""

import numpy as np
import pandas as pd

COST_NEEDLESS_CHECK_USD = 4.0
COST_MISSED_PREMIUM_USD = 16.0


def review_cost(p, premium, threshold, cost_fp, cost_fn) -> float:
    frame = pd.DataFrame({"p": p, "premium": premium})
    checked = frame["p"] >= threshold
    needless = (checked & ~frame["premium"]).sum()
    missed = (~checked & frame["premium"]).sum()
    return float(needless * cost_fp + missed * cost_fn)


def best_threshold(p, premium, cost_fp, cost_fn) -> float:
    grid = np.round(np.linspace(0.0, 1.0, 101), 2)  # the app stores probabilities to the cent
    table = pd.Series({t: review_cost(p, premium, t, cost_fp, cost_fn) for t in grid})
    return float(table.idxmin())


def choose_and_evaluate(p_val, premium_val, p_test, premium_test, cost_fp, cost_fn):
    threshold = best_threshold(p_val, premium_val, cost_fp, cost_fn)
    return threshold, review_cost(p_test, premium_test, threshold, cost_fp, cost_fn) / len(p_test)
