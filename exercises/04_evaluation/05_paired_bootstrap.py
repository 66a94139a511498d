"""A paired bootstrap confidence interval

The new price model (B) has an MAE of $81.83 on 400 test sales; the per-rarity median rule
it would replace (A) has $84.46. Is B better, or did it get lucky with these 400 sales? A
single number cannot say. A bootstrap can: resample the test sales with replacement many
times, recompute the difference MAE(A) - MAE(B) on each resample, and read a confidence
interval off the spread.

Resample PAIRED: both models priced the SAME sales, so each resample draws sales (rows) and
takes both models' errors on those same sales. A $5,000 slab is hard for both models; pairing
keeps that, and the interval measures only how the models differ. Resampling each model's
errors separately (unpaired) mixes in which sales happened to be drawn, and gives a much wider
interval: compare a model with itself, and the paired interval is exactly [0, 0] while the
unpaired one is not.

Write:

- mae_difference:      MAE(A) - MAE(B) on the given sales (positive: B is better);
- paired_bootstrap_ci: (low, high), the percentile confidence interval of that difference from
                       `n_resamples` paired resamples, seeded with `seed` so the same call
                       always gives the same interval. Either scipy.stats.bootstrap(...,
                       paired=True, method="percentile", rng=np.random.default_rng(seed)) or
                       your own resampling of row indices. (Use percentile intervals: scipy's
                       default, BCa, returns NaN with a warning when every resample gives the
                       same difference, e.g. a model compared with itself.)
- verdict:             "b_better" if the whole interval is above 0, "a_better" if it is all
                       below 0, else "inconclusive".

Done when: a model compared with itself gives (0.0, 0.0), and the interval is as narrow as
pairing makes it.

Stuck? Run `mlings hint`.
"""

from collections.abc import Sequence

import numpy as np
from scipy import stats  # noqa: F401 (one way to do it)


def mae_difference(
    actual: Sequence[float], pred_a: Sequence[float], pred_b: Sequence[float]
) -> float:
    """MAE of model A minus MAE of model B, on the same sales."""
    # TODO
    raise NotImplementedError("mae_difference: mean |actual - A| minus mean |actual - B|")


def paired_bootstrap_ci(
    actual: Sequence[float],
    pred_a: Sequence[float],
    pred_b: Sequence[float],
    *,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of MAE(A) - MAE(B), resampling sales (rows) in pairs."""
    # TODO: the same resampled rows for both models' errors.
    raise NotImplementedError("paired_bootstrap_ci: resample rows, recompute the difference")


def verdict(low: float, high: float) -> str:
    """Which model wins, from an interval of MAE(A) - MAE(B)."""
    # TODO
    raise NotImplementedError("verdict: which side of 0 is the interval on?")


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    price = rng.lognormal(2.0, 1.5, size=400)
    a = price * rng.lognormal(0.0, 0.45, size=400)
    b = price * rng.lognormal(0.0, 0.40, size=400)
    low, high = paired_bootstrap_ci(price, a, b)
    print(f"MAE(A) - MAE(B) = {mae_difference(price, a, b):.2f}, 95% CI [{low:.2f}, {high:.2f}]")
    print(verdict(low, high))
    print("A against itself:", paired_bootstrap_ci(price, a, a))
