"""Checks for 00_business/05_heuristic_baseline: per-rarity medians, fitted before a cutoff."""

import numpy as np
import pandas as pd
import pytest

CUTOFF = pd.Timestamp("2023-07-01")
TYPICAL_PRICE = {
    "Common": 0.30,
    "Uncommon": 0.60,
    "Rare": 2.50,
    "Holo Rare": 9.00,
    "Ultra Rare": 40.0,
}
NEW_RARITY = "Illustration Rare"  # first sold after the cutoff
HALF_CENT = 0.0051  # prices rounded to the cent are still right
CENT = 0.01  # and so is an MAE rounded to the cent


def make_sales(seed: int = 0, n: int = 300) -> pd.DataFrame:
    """Sales over two years in shuffled order, skewed prices, a new rarity after the cutoff."""
    rng = np.random.default_rng(seed)
    rarity = rng.choice(list(TYPICAL_PRICE), size=n)
    price = np.array([TYPICAL_PRICE[r] for r in rarity]) * rng.lognormal(0.0, 0.9, size=n)
    day = rng.integers(0, 730, size=n)
    day[:5] = (CUTOFF - pd.Timestamp("2022-01-01")).days  # some sales on the cutoff day itself
    sales = pd.DataFrame(
        {
            "listing_id": np.arange(n),
            "rarity": rarity,
            "sale_date": pd.Timestamp("2022-01-01") + pd.to_timedelta(day, unit="D"),
            "price_usd": np.round(price, 2),
        }
    )
    new = pd.DataFrame(
        {
            "listing_id": np.arange(n, n + 6),
            "rarity": NEW_RARITY,
            "sale_date": pd.to_datetime(["2023-08-01", "2023-09-15", "2023-10-02"] * 2),
            "price_usd": [55.0, 61.5, 48.0, 70.25, 52.0, 66.0],
        }
    )
    return pd.concat([sales, new], ignore_index=True).sample(frac=1.0, random_state=seed)


def _reference(sales: pd.DataFrame) -> tuple[dict, float, float]:
    earlier = sales[sales["sale_date"] < CUTOFF]
    later = sales[sales["sale_date"] >= CUTOFF]
    medians = earlier.groupby("rarity")["price_usd"].median().to_dict()
    overall = float(earlier["price_usd"].median())
    predicted = later["rarity"].map(medians).fillna(overall).to_numpy(dtype=float)
    mae = float(np.mean(np.abs(later["price_usd"].to_numpy(dtype=float) - predicted)))
    return medians, overall, mae


def _as_dict(by_rarity) -> dict:
    return {str(k): float(v) for k, v in dict(by_rarity).items()}


def test_splits_by_date(exercise):
    """cuts by date: before the cutoff vs from it on (rejects a cut by row position)"""
    sales = make_sales()
    earlier, later = exercise.split_by_date(sales, CUTOFF)
    assert len(earlier) + len(later) == len(sales), (
        f"split_by_date returned {len(earlier)} + {len(later)} rows for {len(sales)} sales; "
        "every sale belongs to exactly one side."
    )
    misplaced = earlier["sale_date"][earlier["sale_date"] >= CUTOFF]
    if len(misplaced) and (misplaced == CUTOFF).all():
        why = "Sales on the cutoff day itself belong to the later part."
    else:
        why = "The sales are in no particular order: select by sale_date, not by row position."
    assert misplaced.empty, (
        f"split_by_date put {len(misplaced)} sales dated on or after the cutoff in the earlier "
        f"part. {why}"
    )
    assert (later["sale_date"] >= CUTOFF).all(), (
        "split_by_date put sales dated before the cutoff in the later part; sales on the cutoff "
        "day itself belong to the later part."
    )
    assert set(earlier["listing_id"]) | set(later["listing_id"]) == set(sales["listing_id"]), (
        "split_by_date lost or duplicated some sales."
    )
    for name, part in (("earlier", earlier), ("later", later)):
        assert list(part.columns) == list(sales.columns), (
            f"split_by_date's {name} part has the columns {list(part.columns)}; a split keeps "
            f"every column of the sales ({list(sales.columns)}): later steps need them."
        )


def test_fits_median_per_rarity(exercise):
    """fits the median price of each rarity, and the overall median (rejects the mean)"""
    sales = make_sales(seed=1)
    earlier = sales[sales["sale_date"] < CUTOFF]
    medians, overall, _ = _reference(sales)
    baseline = exercise.fit_baseline(earlier)
    got = _as_dict(baseline.by_rarity)
    assert set(got) == set(medians), (
        f"fit_baseline gave prices for rarities {sorted(got)}; expected one for each rarity in "
        f"the sales it was given: {sorted(medians)}."
    )
    means = earlier.groupby("rarity")["price_usd"].mean().to_dict()
    one_price = len(set(got.values())) == 1
    for rarity, median in medians.items():
        message = (
            f"fit_baseline gave {rarity} a price of {got[rarity]:.4f}; the median price of its "
            f"sales is {median:.4f}."
        )
        if one_price:
            message += (
                " Every rarity got the same price: a Common and an Ultra Rare are different "
                "markets, so take the median within each rarity."
            )
        elif got[rarity] == pytest.approx(means[rarity]):
            message += " That is the mean; card prices are skewed, so use the median."
        assert got[rarity] == pytest.approx(median, abs=HALF_CENT), message
    assert float(baseline.overall) == pytest.approx(overall, abs=HALF_CENT), (
        f"fit_baseline's overall price is {baseline.overall!r}; the median of all the sales it "
        f"was given is {overall:.4f}."
    )


def test_predicts_with_fallback(exercise):
    """predicts each rarity's median, and the overall median for a rarity it never saw"""
    baseline = exercise.Baseline(by_rarity={"Common": 0.25, "Rare": 3.0}, overall=1.5)
    rarities = pd.Series(["Rare", "Common", NEW_RARITY, "Rare"], index=[10, 3, 7, 0])
    got = np.asarray(exercise.predict(baseline, rarities), dtype=float)
    expected = [3.0, 0.25, 1.5, 3.0]
    assert got.shape == (4,) and np.allclose(got, expected), (
        f"predict gave {got.tolist()} for rarities {rarities.tolist()}; expected {expected}: "
        "each rarity's median, in the same order, and the overall median (1.5) for "
        "a rarity the baseline never saw."
    )


def test_fits_on_earlier_sales_only(exercise):
    """fits on earlier sales only: wild later prices leave it alone (rejects fitting on all rows)"""
    sales = make_sales(seed=2)
    wild = sales.copy()
    is_later = wild["sale_date"] >= CUTOFF
    wild.loc[is_later, "price_usd"] = wild.loc[is_later, "price_usd"] * 1000 + 5000
    calm_fit, _ = exercise.score_baseline(sales, CUTOFF)
    wild_fit, _ = exercise.score_baseline(wild, CUTOFF)
    calm, moved = _as_dict(calm_fit.by_rarity), _as_dict(wild_fit.by_rarity)
    changed = sorted(r for r in calm if r not in moved or moved[r] != pytest.approx(calm[r]))
    assert not changed and set(moved) == set(calm), (
        "Making prices after the cutoff wildly higher changed the fitted prices for "
        f"{', '.join(changed) or 'the set of rarities'}. The baseline must be fitted on sales "
        "before the cutoff only; otherwise it has seen the answers it is scored on."
    )
    assert float(wild_fit.overall) == pytest.approx(float(calm_fit.overall)), (
        "Making prices after the cutoff wildly higher changed the overall fallback median "
        f"({calm_fit.overall!r} to {wild_fit.overall!r}); fit it on earlier sales only."
    )
    assert NEW_RARITY not in calm, (
        f"The fitted baseline knows '{NEW_RARITY}', which is only sold after the cutoff: it was "
        "fitted on later sales too."
    )


def test_scores_on_later_sales(exercise):
    """scores the MAE in dollars on later sales only, new rarity at the overall median"""
    sales = make_sales(seed=3)
    medians, overall, mae = _reference(sales)
    _, got = exercise.score_baseline(sales, CUTOFF)
    everything = float(
        np.mean(np.abs(sales["price_usd"] - sales["rarity"].map(medians).fillna(overall)))
    )
    message = (
        f"score_baseline gave an MAE of {got!r}; expected {mae:.4f} on sales from the cutoff on."
    )
    later = sales[sales["sale_date"] >= CUTOFF]
    peeked = sales.groupby("rarity")["price_usd"].median()
    peeked_mae = float(np.mean(np.abs(later["price_usd"] - later["rarity"].map(peeked))))
    known = later[later["rarity"].isin(list(medians))]
    known_mae = float(np.mean(np.abs(known["price_usd"] - known["rarity"].map(medians))))
    if got == pytest.approx(everything):
        message += " That is the error on every sale; score only the later ones."
    elif got == pytest.approx(known_mae):
        message += (
            f" That leaves out the later sales of {NEW_RARITY}, a rarity first sold after the "
            "cutoff. Score them too, at the overall median: new rarities are part of what "
            "happens in production."
        )
    elif got == pytest.approx(peeked_mae):
        message += (
            " That is the error of medians fitted on every sale, including the later ones being "
            "scored: fit on the earlier sales only."
        )
    assert got == pytest.approx(mae, abs=CENT), message


def test_beats_a_global_price(exercise):
    """the per-rarity median beats one price for every card (rejects a global mean or median)"""
    sales = make_sales(seed=4)
    earlier = sales[sales["sale_date"] < CUTOFF]
    later = sales[sales["sale_date"] >= CUTOFF]
    _, _, expected = _reference(sales)
    _, got = exercise.score_baseline(sales, CUTOFF)
    message = f"score_baseline's MAE is {got!r}; the per-rarity median should score {expected:.4f}."
    for name, price in (
        ("mean", earlier["price_usd"].mean()),
        ("median", earlier["price_usd"].median()),
    ):
        if got == pytest.approx(float(np.mean(np.abs(later["price_usd"] - price)))):
            message += f" That is the error of one global {name} price for every card; a Common "
            message += "and an Ultra Rare deserve different prices, so group by rarity."
    assert got == pytest.approx(expected, abs=CENT), message
