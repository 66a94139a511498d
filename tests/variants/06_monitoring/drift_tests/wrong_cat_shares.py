"""Wrong: categorical_drift runs chi2_contingency on each sample's SHARES, not its counts.

Drift tests: which test, and when a p-value matters

The PSI puts one number on a shift. The on-call engineers at PokéMarket want the alerts that
wake them backed by a statistical test suited to each kind of column, and they want to be woken
only for drift that matters. Every week the monitor compares the production sales with the
reference, the 2024 sales the card-price model learned from, three ways.

Prices, a continuous column: the two-sample Kolmogorov-Smirnov test (scipy.stats.ks_2samp).
Its statistic D is the largest vertical gap between the two samples' empirical CDFs: D = 0.15
means that below some price lie 15 percentage points more of one sample than of the other.
D is the effect size; the p-value only says whether a gap that large could be chance at this
sample size. At production volumes everything is "significant": prices 10% higher in 50,000
sales give p = 1e-9 with D = 0.02, a shift no price model notices. At small sizes a large D is
often chance: 15 sales against 15 give D = 0.33 and p = 0.39. Alert only when both hold: p below
alpha AND D at least min_effect.

Rarity, a categorical column: a chi-square test. The drifted quarter sells two rarities the
reference has never seen (Black White Rare and Mega Hyper Rare). Count over the UNION of both
samples' categories: a category one sample lacks counts 0 there. Dropping it hides the biggest
news. A goodness-of-fit test against the reference's shares (scipy.stats.chisquare) cannot
take it at all (its expected count is 0), and patching that with a floor makes the statistic
whatever the floor says. The test of homogeneity (scipy.stats.chi2_contingency) on the table of
counts treats both samples as the samples they are, and a new category is just a column with a
0 in the reference's row. Name the new categories in the result too: a p-value says THAT
something changed, not WHAT.

Weekly batches: is one week unlike the others? A one-way test across the batches. Prices are
heavy-tailed (bulk cards at cents, vintage slabs at $50,000), and a one-way ANOVA on raw prices
compares MEANS, which a handful of slabs decide: a week in which one collector sold five
vintage slabs looks like a different market. The Kruskal-Wallis test (scipy.stats.kruskal)
compares ranks, and an ANOVA on log prices (scipy.stats.f_oneway) works on a scale where prices
are roughly normal; either will do. Note what this test cannot see: the drifted quarter's 65%
price rise is the same every week, so only its cents batch stands out. A market-wide shift
needs a comparison with the reference.

Write:

- ks_drift:          {"statistic": D, "p_value": p, "drift": ...} of
                     scipy.stats.ks_2samp(reference, current) with its defaults (two-sided);
                     drift is True only when p_value < alpha AND statistic >= min_effect (a
                     p-value equal to alpha is no drift; a D equal to min_effect is enough).
- categorical_drift: {"statistic", "p_value", "drift", "new_categories"} of a chi-square test
                     of homogeneity (scipy.stats.chi2_contingency) on the table of counts with
                     one row per sample and one column per category of the UNION of both
                     samples (0 where a sample has none); drift is True when p_value < alpha;
                     new_categories is the sorted list of the categories current has and
                     reference has not ([] if none). Both samples are sequences of labels
                     (lists, arrays or Series).
- batch_price_test:  {"statistic", "p_value"} of a one-way test of frame["price_usd"] across
                     the groups of frame[by]: Kruskal-Wallis on the prices, or a one-way ANOVA
                     on log prices (np.log1p or np.log); not an ANOVA on raw prices.

Done when: a tiny but "significant" shift in 50,000 sales does not alert while a real one does,
a rarity the reference never had is drift and is named, and the stable quarter's weeks pass
while the drifted quarter's, with their cents batch, do not.

Stuck? Run `mlings hint`.
"""

from collections.abc import Sequence

import pandas as pd
from scipy import stats


def ks_drift(
    reference: Sequence[float],
    current: Sequence[float],
    min_effect: float = 0.1,
    alpha: float = 0.05,
) -> dict:
    """KS test of current against reference; drift only if significant AND large enough."""
    result = stats.ks_2samp(reference, current)
    statistic, p_value = float(result.statistic), float(result.pvalue)
    drift = p_value < alpha and statistic >= min_effect
    return {"statistic": statistic, "p_value": p_value, "drift": drift}


def categorical_drift(reference: Sequence, current: Sequence, alpha: float = 0.001) -> dict:
    """Chi-square test of homogeneity over the union of categories, and the new categories."""
    ref_counts = pd.Series(reference).value_counts()
    cur_counts = pd.Series(current).value_counts()
    table = (
        pd.DataFrame(
            {
                "reference": ref_counts / ref_counts.sum(),
                "current": cur_counts / cur_counts.sum(),
            }
        )
        .fillna(0)
        .T
    )
    statistic, p_value, _, _ = stats.chi2_contingency(table.to_numpy())
    statistic, p_value = float(statistic), float(p_value)
    new_categories = sorted(set(cur_counts.index) - set(ref_counts.index))
    drift = p_value < alpha
    return {
        "statistic": statistic,
        "p_value": p_value,
        "drift": drift,
        "new_categories": new_categories,
    }


def batch_price_test(frame: pd.DataFrame, by: str = "batch_id") -> dict:
    """A one-way test of price_usd across the groups of frame[by], robust to heavy tails."""
    groups = [prices.to_numpy() for _, prices in frame.groupby(by)["price_usd"]]
    result = stats.kruskal(*groups)
    return {"statistic": float(result.statistic), "p_value": float(result.pvalue)}


if __name__ == "__main__":
    from pathlib import Path

    import numpy as np

    data = Path(__file__).resolve().parents[2] / "data"
    clean = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    reference = clean[clean["sale_date"].dt.year == 2024]
    for name in ["production_stable.csv", "production_drifted.csv"]:
        current = pd.read_csv(data / name)
        ks = ks_drift(reference["price_usd"], current["price_usd"])
        rarity = categorical_drift(reference["rarity"], current["rarity"])
        weeks = batch_price_test(current)
        print(name)
        print(f"  price KS   D={ks['statistic']:.3f} p={ks['p_value']:.2g} drift={ks['drift']}")
        print(f"  rarity     p={rarity['p_value']:.2g} drift={rarity['drift']}", end="")
        print(f" new={rarity['new_categories']}")
        print(f"  by batch   p={weeks['p_value']:.2g}")
    rng = np.random.default_rng(0)
    prices = rng.lognormal(np.log(6.5), 2.0, size=(2, 50_000))
    ks = ks_drift(prices[0], prices[1] * 1.1)
    print(f"prices x1.1 in 50,000 sales: D={ks['statistic']:.3f} p={ks['p_value']:.2g}", end="")
    print(f" drift={ks['drift']}")
