"""WRONG: fraud_flag_value uses the module's scam count and refund, not its arguments."""

from collections.abc import Sequence

import numpy as np

LISTINGS_PER_MONTH = 50_000  # listings that get a suggested price each month
COST_PER_DOLLAR_OFF_USD = 0.08  # what one dollar of price error costs PokéMarket, on average

SCAMS_PER_MONTH = 200  # scam listings posted each month
LOSS_PER_SCAM_USD = 150.0  # the refund PokéMarket pays when a scam goes through
COST_PER_FALSE_ALARM_USD = 25.0  # review time, a delayed sale and an annoyed honest seller


def dollar_mae(log_pred: Sequence[float], log_actual: Sequence[float]) -> float:
    """Mean absolute error in US dollars; both inputs are log1p(price_usd)."""
    pred_usd = np.expm1(np.asarray(log_pred, dtype=float))
    actual_usd = np.expm1(np.asarray(log_actual, dtype=float))
    return float(np.mean(np.abs(pred_usd - actual_usd)))


def monthly_error_cost(
    mae_usd: float, listings_per_month: int, cost_per_dollar_off: float
) -> float:
    """Dollars a month that pricing errors of `mae_usd` on average cost PokéMarket."""
    return mae_usd * listings_per_month * cost_per_dollar_off


def fraud_flag_value(
    precision: float,
    recall: float,
    scams_per_month: float,
    loss_per_scam_usd: float,
    cost_per_false_alarm_usd: float,
) -> float:
    """Net dollars a month: losses prevented on caught scams minus the cost of false alarms.

    precision = caught scams / flagged listings; recall = caught scams / all scams. Both > 0.
    """
    caught = recall * SCAMS_PER_MONTH
    flagged = caught / precision
    false_alarms = flagged - caught
    return caught * LOSS_PER_SCAM_USD - false_alarms * cost_per_false_alarm_usd


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    actual = np.log1p(rng.lognormal(mean=2.0, sigma=1.5, size=1_000))
    pred = actual + rng.normal(0.0, 0.1, size=1_000)
    mae = dollar_mae(pred, actual)
    print(f"log-space MAE {np.mean(np.abs(pred - actual)):.3f}, dollar MAE ${mae:.2f}")
    cost = monthly_error_cost(mae, LISTINGS_PER_MONTH, COST_PER_DOLLAR_OFF_USD)
    print(f"pricing errors cost ${cost:,.0f}/month")
    value = fraud_flag_value(0.4, 0.8, SCAMS_PER_MONTH, LOSS_PER_SCAM_USD, COST_PER_FALSE_ALARM_USD)
    print(f"the fraud flag is worth ${value:,.0f}/month")
