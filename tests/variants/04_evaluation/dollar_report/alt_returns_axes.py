"""ALTERNATIVE: returns the Axes, uses a pandas frame and plt.subplots with a suptitle."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd


def predict_usd(model, X: pd.DataFrame) -> np.ndarray:
    return np.expm1(model.predict(X)).clip(min=0)


def dollar_report(model, X: pd.DataFrame, actual_usd) -> dict[str, float]:
    frame = pd.DataFrame({"actual": np.asarray(actual_usd), "predicted": predict_usd(model, X)})
    error = frame["actual"] - frame["predicted"]
    return {"mae_usd": error.abs().mean(), "rmse_usd": np.sqrt((error**2).mean())}


def plot_residuals(actual_usd, predicted_usd, path: str | Path):
    frame = pd.DataFrame({"predicted": np.asarray(predicted_usd, dtype=float)})
    frame["residual"] = np.asarray(actual_usd, dtype=float) - frame["predicted"]
    fig, ax = plt.subplots()
    ax.scatter(frame["predicted"], frame["residual"])
    ax.axhline(0)
    ax.semilogx()
    ax.set_xlabel("predicted USD")
    ax.set_ylabel("error in USD (actual - predicted)")
    fig.suptitle("Residuals")
    fig.savefig(path)
    plt.close("all")
    return ax
