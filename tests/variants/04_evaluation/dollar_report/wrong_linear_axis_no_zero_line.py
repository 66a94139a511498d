"""WRONG: a linear x axis and no reference line at zero."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure


def predict_usd(model, X: pd.DataFrame) -> np.ndarray:
    """Predicted prices in dollars; `model.predict(X)` gives log1p(price_usd)."""
    return np.clip(np.expm1(model.predict(X)), 0.0, None)


def dollar_report(model, X: pd.DataFrame, actual_usd) -> dict[str, float]:
    """{"mae_usd": ..., "rmse_usd": ...} of the model's predictions, in dollars."""
    errors = np.asarray(actual_usd, dtype=float) - predict_usd(model, X)
    return {
        "mae_usd": float(np.mean(np.abs(errors))),
        "rmse_usd": float(np.sqrt(np.mean(errors**2))),
    }


def plot_residuals(actual_usd, predicted_usd, path: str | Path) -> Figure:
    """Residuals (actual - predicted, USD) against predicted prices (USD, log scale), saved."""
    actual = np.asarray(actual_usd, dtype=float)
    predicted = np.asarray(predicted_usd, dtype=float)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.scatter(predicted, actual - predicted, s=8, alpha=0.5)
    ax.set_xlabel("Predicted price (USD)")
    ax.set_ylabel("Residual: actual - predicted (USD)")
    ax.set_title("Price model residuals on the test sales")
    fig.savefig(path)
    plt.close(fig)
    return fig


if __name__ == "__main__":
    from sklearn.compose import make_column_transformer
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    data = Path(__file__).resolve().parents[2] / "data"
    sales = pd.read_csv(data / "sales_clean.csv", parse_dates=["sale_date"])
    X = pd.DataFrame(
        {
            "rarity": sales["rarity"],
            "variant": sales["variant"],
            "condition": sales["condition"].fillna("graded"),
            "psa_grade": sales["psa_grade"].fillna(0.0),
        }
    )
    is_train = sales["sale_date"] < "2024-01-01"
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["rarity", "variant", "condition"]),
        remainder="passthrough",
    )
    model = make_pipeline(encode, Ridge()).fit(X[is_train], np.log1p(sales["price_usd"][is_train]))
    print(dollar_report(model, X[~is_train], sales["price_usd"][~is_train]))
    plot_residuals(sales["price_usd"][~is_train], predict_usd(model, X[~is_train]), "residuals.png")
    print("saved residuals.png")
