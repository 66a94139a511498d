"""ALTERNATIVE: cross_validate runs the outer loop; the chosen settings come from the fitted
searches it returns."""

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import GridSearchCV, cross_validate


@dataclass
class NestedResult:
    outer_scores: list[float]
    chosen: list[dict]

    @property
    def score(self) -> float:
        """What to report: the mean of the outer-fold scores."""
        return float(np.mean(self.outer_scores))


def nested_cv(model, param_grid, X, y, inner_cv, outer_cv, scoring="r2"):
    """Grid search inside each outer training part, scored on the outer test part."""
    search = GridSearchCV(model, param_grid, cv=inner_cv, scoring=scoring)
    outer = cross_validate(search, X, y, cv=outer_cv, scoring=scoring, return_estimator=True)
    return NestedResult(
        outer_scores=outer["test_score"].tolist(),
        chosen=[fitted.best_params_ for fitted in outer["estimator"]],
    )
