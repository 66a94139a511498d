"""Alternative: bin indices with np.searchsorted + np.bincount, sum via scipy rel_entr.

Population stability index, done right

The card-price model went live at PokéMarket in January 2025. It learned prices from the sales
up to 2024, and every week a new batch of production sales arrives. Before you trust the model
on a batch you ask: do these sales still look like the ones it learned from? The reference for
that question is the last year of clean sales (2024). The population stability index (PSI) is
the number most monitoring dashboards put on it, and it is easy to compute wrong.

PSI cuts the values into bins and compares each sample's SHARE of values in each bin:

    PSI = sum over the bins of (cur - ref) · ln(cur / ref)

where cur and ref are the current and the reference sample's shares in the bin.

Three details decide whether that number means anything:

1. The bins come from the REFERENCE: cut once, at the reference's quantiles (10 bins: its
   deciles), and used for both samples. Each bin then holds the same slice of the reference
   whatever the price scale. Cut each sample at its own quantiles and both have 10% in every
   bin by construction: PSI is 0 whatever happened. Cut bins of equal WIDTH on prices from
   $0.01 to $90,000 and nearly every sale lands in the first bin: PSI is near 0 again. And the
   order of the arguments matters: the bins are the reference's, so psi(a, b) != psi(b, a).
2. The outer edges are open: a price below the reference's lowest counts in the first bin, one
   above its highest in the last. New extremes are drift; dropping them hides it.
3. A bin can be empty (share 0) and ln(0) is -inf: floor every share at a small epsilon.

Ties: thousands of bulk cards sell at the same price ($0.99, $0.10), and one price can sit on
several quantiles. Repeated edges make empty, zero-width bins (pd.cut refuses them outright):
keep each edge once (np.unique). Missing values: drop them, or the PSI is NaN, a NaN never
crosses a threshold, and the monitor goes silent.

The usual rule of thumb reads a PSI below 0.1 as stable, 0.1 to 0.25 as a moderate shift worth
a look, and above 0.25 as a major shift. PSI is relative to the reference's spread: PokéMarket
prices span four orders of magnitude, so a 50% rise of every price is only about 0.03 on the
whole market (each price decile covers a x2 to x3 range) but 0.09 to 0.23 within one rarity
(0.16 for the Illustration Rares).

Write:

- psi:       the PSI of `current` against `reference` (two samples of numbers: lists, arrays or
             Series). Missing values (NaN) are dropped from both first. The edges are the
             reference's quantiles at 0, 1/bins, 2/bins, ..., 1 (np.quantile's default method),
             each kept once; the lowest and highest edge are open (-inf and +inf), so every
             value of both samples falls in a bin. A value equal to an inner edge may go to
             either side, the same way for both samples. A sample's share in a bin is its count
             there divided by its number of values; every share is floored at eps (a share
             below eps becomes eps); return the sum above as a float.
- psi_level: "stable" for a PSI below 0.1, "moderate" from 0.1 to 0.25 (both included),
             "major" above 0.25.

Done when: identical samples score below 0.01, a 50% price rise of the Illustration Rares
scores 0.1 to 0.25, an empty bin stays finite, and bins, eps, ties and missing values are
handled.

Stuck? Run `mlings hint`.
"""

from collections.abc import Sequence

import numpy as np
from scipy.special import rel_entr


def psi(
    reference: Sequence[float], current: Sequence[float], bins: int = 10, eps: float = 1e-4
) -> float:
    """Population stability index of current against reference, on the reference's quantiles."""
    ref = np.asarray(reference, dtype=float)
    cur = np.asarray(current, dtype=float)
    ref, cur = ref[~np.isnan(ref)], cur[~np.isnan(cur)]
    # the inner edges only: the outer ones are open, so below the first inner edge is bin 0
    inner = np.unique(np.quantile(ref, np.arange(bins + 1) / bins))[1:-1]
    n_bins = len(inner) + 1
    ref_share = np.bincount(np.searchsorted(inner, ref, side="right"), minlength=n_bins) / ref.size
    cur_share = np.bincount(np.searchsorted(inner, cur, side="right"), minlength=n_bins) / cur.size
    r = np.clip(ref_share, eps, None)
    c = np.clip(cur_share, eps, None)
    # (c - r) ln(c / r) = c ln(c / r) + r ln(r / c): the two relative entropies
    return float(rel_entr(c, r).sum() + rel_entr(r, c).sum())


def psi_level(value: float) -> str:
    """The rule of thumb: "stable", "moderate" or "major"."""
    return "stable" if value < 0.1 else "moderate" if value <= 0.25 else "major"


if __name__ == "__main__":
    from pathlib import Path

    import pandas as pd

    data = Path(__file__).resolve().parents[2] / "data"
    clean = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    reference = clean[clean["sale_date"].dt.year == 2024]
    prices = reference["price_usd"]
    for name in ["production_stable.csv", "production_drifted.csv"]:
        value = psi(prices, pd.read_csv(data / name)["price_usd"])
        print(f"{name:24} price PSI {value:.3f} ({psi_level(value)})")
    value = psi(prices, prices * 1.5)
    print(f"{'every price x1.5':24} price PSI {value:.3f} ({psi_level(value)})")
    for rarity in ["Uncommon", "Holo Rare", "Illustration Rare"]:
        same = reference.loc[reference["rarity"] == rarity, "price_usd"]
        value = psi(same, same * 1.5)
        print(f"{rarity + ' x1.5':24} price PSI {value:.3f} ({psi_level(value)})")
