"""ALTERNATIVE: matplotlib's Figure API without pyplot, ax.plot markers, sklearn metrics."""

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from sklearn.metrics import mean_absolute_error, root_mean_squared_error


def predict_usd(model, X: pd.DataFrame) -> np.ndarray:
    return np.maximum(np.expm1(model.predict(X)), 0)


def dollar_report(model, X: pd.DataFrame, actual_usd) -> dict[str, float]:
    predicted = predict_usd(model, X)
    return {
        "mae_usd": mean_absolute_error(actual_usd, predicted),
        "rmse_usd": root_mean_squared_error(actual_usd, predicted),
    }


def plot_residuals(actual_usd, predicted_usd, path: str | Path) -> Figure:
    fig = Figure(figsize=(6, 4), layout="constrained")  # not pyplot's: nothing to close
    ax = fig.add_subplot()
    residual = pd.Series(actual_usd).to_numpy(float) - pd.Series(predicted_usd).to_numpy(float)
    ax.plot(predicted_usd, residual, marker=".", linestyle="none")
    ax.axhline(y=0, linestyle="--", color="grey")
    ax.set(
        xscale="log",
        xlabel="Suggested (predicted) price, $",
        ylabel="Error, actual minus predicted, $",
        title="Where the price model misses",
    )
    fig.savefig(Path(path), dpi=80)
    return fig
