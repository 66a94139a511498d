"""A systematic EDA summary

Before engineering a single feature, look at the data the same way every time. PokéMarket's
pricing team asks for the same few numbers about every new batch of sales: how many there are,
what a typical price is, how lopsided the prices are, which rarities dominate, and how much is
missing. Eyeballing a histogram is a start; a function that computes the numbers exactly, the
same way on every batch, is what you can put in a report and compare week to week.

Card prices are heavily skewed: most sales are bulk cards worth cents, a few are slabs worth
thousands. The skew of the price says how lopsided it is; the skew of log1p(price) (the scale
the price models use) shows whether a log transform tames it.

Write summarize(sales): given a sales table (columns as in data/sales_clean.csv, any order,
possibly with missing values), return a dict with these keys:

- "n_sales":        the number of rows (an int);
- "median_price":   the median of price_usd;
- "price_skew":     the skewness of price_usd, as pandas' Series.skew() computes it (the
                    bias-corrected sample skewness);
- "log_price_skew": the same skewness of numpy's np.log1p(price_usd);
- "top_rarities":   the 3 most common rarities, most common first, each with its share of the
                    sales (a fraction between 0 and 1), as a dict {rarity: share} or a Series;
- "missing_share":  for every column, the share of its values that are missing (a fraction
                    between 0 and 1), as a dict {column: share} or a Series.

Done when: every number matches an exact computation on the same table.

Stuck? Run `mlings hint`.
"""

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "data"


def summarize(sales: pd.DataFrame) -> dict:
    """The EDA summary of a sales table: counts, price shape, top rarities, missing shares."""
    # TODO: fill in each entry; every one is a line or two of pandas.
    raise NotImplementedError("summarize: compute the six entries of the summary")


if __name__ == "__main__":
    summary = summarize(pd.read_csv(DATA / "sales_clean.csv", parse_dates=["sale_date"]))
    for key, value in summary.items():
        print(f"{key}: {value}")
