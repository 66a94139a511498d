"""WRONG: tunes once on all the rows, then cross-validates the winning setting."""

from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.metrics import get_scorer
from sklearn.model_selection import GridSearchCV


@dataclass
class NestedResult:
    outer_scores: list[float]  # one per outer fold: the tuned model's score on its test rows
    chosen: list[dict]  # the setting the inner search chose in each outer fold

    @property
    def score(self) -> float:
        """What to report: the mean of the outer-fold scores."""
        return float(np.mean(self.outer_scores))


def nested_cv(
    model: BaseEstimator, param_grid: dict, X, y, inner_cv, outer_cv, scoring: str = "r2"
) -> NestedResult:
    """Grid search inside each outer training part, scored on the outer test part."""
    y = np.asarray(y)
    scorer = get_scorer(scoring)
    scores, chosen = [], []
    search = GridSearchCV(model, param_grid, cv=inner_cv, scoring=scoring).fit(X, y)
    for train, test in outer_cv.split(X, y):
        tuned = clone(model).set_params(**search.best_params_).fit(X.iloc[train], y[train])
        scores.append(float(scorer(tuned, X.iloc[test], y[test])))
        chosen.append(search.best_params_)
    return NestedResult(outer_scores=scores, chosen=chosen)


if __name__ == "__main__":
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(90, 20)), rng.normal(size=90)  # nothing to learn
    grid = {"alpha": [0.01, 0.1, 1.0, 10.0, 100.0, 1000.0]}
    inner, outer = KFold(3, shuffle=True, random_state=1), KFold(3, shuffle=True, random_state=2)
    search = GridSearchCV(Ridge(), grid, cv=inner).fit(X, y)
    result = nested_cv(Ridge(), grid, X, y, inner, outer)
    print(f"best_score_ {search.best_score_:.3f}  vs  nested {result.score:.3f}")
    print("chosen per outer fold:", result.chosen)
