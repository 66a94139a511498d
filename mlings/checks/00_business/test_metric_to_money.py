"""Checks for 00_business/03_metric_to_money: MAE and a fraud flag's precision/recall in dollars."""

import math
from numbers import Real

import numpy as np
import pytest

PRICES_USD = np.array([0.50, 3.0, 12.0, 45.0, 250.0, 1800.0])
PREDS_USD = PRICES_USD * np.array([1.3, 0.8, 1.1, 0.9, 1.15, 0.92])
CENT = 0.01  # a dollar MAE rounded to the cent is still right


def _mae_message(got, pred_usd, actual_usd):
    log_pred, log_actual = np.log1p(pred_usd), np.log1p(actual_usd)
    expected = float(np.mean(np.abs(pred_usd - actual_usd)))
    log_mae = float(np.mean(np.abs(log_pred - log_actual)))
    message = f"dollar_mae gave {got!r}; expected about {expected:.4f} dollars."
    if isinstance(got, Real) and math.isclose(got, log_mae, rel_tol=1e-6):
        message += " That is the MAE in log space: turn predictions and actuals back into dollars"
        message += " with np.expm1 before taking the error."
    elif isinstance(got, Real) and math.isclose(got, math.expm1(log_mae), rel_tol=1e-6):
        message += " That is np.expm1 of the log-space MAE: back-transform every prediction and"
        message += " actual value first, then average the absolute dollar differences."
    return expected, message


def test_dollar_mae_back_transforms(exercise):
    """computes MAE on the dollar scale (rejects MAE in log space)"""
    got = exercise.dollar_mae(np.log1p(PREDS_USD), np.log1p(PRICES_USD))
    expected, message = _mae_message(got, PREDS_USD, PRICES_USD)
    assert isinstance(got, Real), (
        f"dollar_mae returned {type(got).__name__}; expected one number (a float)."
    )
    assert got == pytest.approx(expected, abs=CENT), message


def test_dollar_mae_back_transforms_each_value(exercise):
    """back-transforms every value, not the average (rejects np.expm1 of the log-space MAE)"""
    actual = np.array([1.0, 20.0, 400.0, 8000.0])
    pred = actual * np.array([0.5, 1.5, 0.95, 1.2])
    got = exercise.dollar_mae(list(np.log1p(pred)), list(np.log1p(actual)))
    expected, message = _mae_message(got, pred, actual)
    assert got == pytest.approx(expected, abs=CENT), message + " (Inputs here were plain lists.)"


def test_monthly_error_cost(exercise):
    """turns an MAE into dollars a month, for the listings and cost per dollar it is given"""
    got = exercise.monthly_error_cost(4.0, 50_000, 0.08)
    assert got == pytest.approx(16_000), (
        f"monthly_error_cost(4.0, 50_000, 0.08) gave {got!r}; expected 16000: on average $4 off "
        "on each of 50,000 listings, and each dollar off costs $0.08."
    )
    got = exercise.monthly_error_cost(2.5, 12_000, 0.10)
    assert got == pytest.approx(3_000), (
        f"monthly_error_cost(2.5, 12_000, 0.10) gave {got!r}; expected 3000. Use the arguments "
        "the function is given, not the module's constants: the next market has other numbers."
    )


def test_ranks_models_by_dollars(exercise):
    """ranks two price models by dollars a month, not by log error"""
    actual = np.array([1.0, 2.0, 3.0, 4.0, 5000.0])
    model_a = actual * np.array([1.0, 1.0, 1.0, 1.0, 1.1])  # perfect on bulk, 10% off the chase
    model_b = actual * np.array([1.5, 1.5, 1.5, 1.5, 1.01])  # 50% off on bulk, 1% off the chase
    cost_a = exercise.monthly_error_cost(
        exercise.dollar_mae(np.log1p(model_a), np.log1p(actual)), 50_000, 0.08
    )
    cost_b = exercise.monthly_error_cost(
        exercise.dollar_mae(np.log1p(model_b), np.log1p(actual)), 50_000, 0.08
    )
    assert cost_b == pytest.approx(44_000) and cost_a == pytest.approx(400_000), (
        "Model A is perfect on bulk cards but 10% off on a $5,000 card; model B is 50% off on "
        "bulk but 1% off on the $5,000 card. In log space A looks better; in dollars B costs "
        f"$44,000 a month and A $400,000. Your functions gave A ${cost_a:,.2f} and "
        f"B ${cost_b:,.2f}."
    )


def test_fraud_flag_value(exercise):
    """values a fraud flag: losses prevented on caught scams minus what false alarms cost"""
    got = exercise.fraud_flag_value(0.4, 0.8, 200, 150.0, 25.0)
    assert got == pytest.approx(18_000), (
        f"fraud_flag_value(precision=0.4, recall=0.8, ...) gave {got!r}; expected 18000: 160 of "
        "200 scams caught save $24,000, and 400 flags at 40% precision mean 240 false alarms "
        "costing $6,000."
    )
    got = exercise.fraud_flag_value(0.8, 0.5, 200, 150.0, 25.0)
    assert got == pytest.approx(14_375), (
        f"fraud_flag_value(precision=0.8, recall=0.5, ...) gave {got!r}; expected 14375: 100 "
        "scams caught save $15,000; 100 catches at 80% precision means 125 flags, so 25 false "
        "alarms costing $625."
    )
    got = exercise.fraud_flag_value(0.5, 0.6, 1_000, 60.0, 10.0)
    assert got == pytest.approx(30_000), (
        f"fraud_flag_value(precision=0.5, recall=0.6, scams_per_month=1,000, "
        f"loss_per_scam_usd=60, cost_per_false_alarm_usd=10) gave {got!r}; expected 30000: 600 "
        "scams caught save $36,000, and 1,200 flags mean 600 false alarms costing $6,000. Use "
        "every argument the function is given, not the module's constants."
    )


def test_fraud_flag_charges_false_alarms(exercise):
    """charges every false alarm (rejects ignoring false-positive cost)"""
    cheap = exercise.fraud_flag_value(0.4, 0.8, 200, 150.0, 25.0)
    dear = exercise.fraud_flag_value(0.4, 0.8, 200, 150.0, 35.0)
    assert cheap - dear == pytest.approx(2_400), (
        "When a false alarm costs $35 instead of $25, the flag's value should drop by $2,400 "
        f"(240 false alarms x $10); it went from {cheap!r} to {dear!r}. Holding an honest "
        "seller's listing is not free."
    )


def test_crying_wolf_loses_money(exercise):
    """a flag that cries wolf (5% precision) loses money, however high its recall"""
    got = exercise.fraud_flag_value(0.05, 0.9, 200, 150.0, 25.0)
    assert got == pytest.approx(-58_500), (
        f"At 5% precision and 90% recall, fraud_flag_value gave {got!r}; expected -58500: the "
        "180 caught scams save $27,000, but 3,600 flags mean 3,420 false alarms costing $85,500."
    )
