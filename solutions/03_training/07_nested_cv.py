"""Nested cross-validation: report the outer folds, not best_score_

After a grid search, `search.best_score_` is tempting to report: "our model scores R² 0.81".
But that number was used to pick the winner. Among many settings, the best-looking one is
partly the luckiest on those particular folds, so its score is biased upwards, and the more
settings you try, the more it flatters you. On data with nothing to learn, best_score_ can
still come out above the honest score. It is a selection criterion, not an estimate.

To estimate how the whole procedure ("search the grid, keep the best, refit") will do on new
sales, put it inside a second, outer cross-validation:

    for each outer fold:
        search the grid with inner_cv on the outer TRAINING rows only (GridSearchCV.fit)
        score the refitted winner on the outer TEST rows, which the search never saw

The report is the mean of the outer scores. Each outer fold may choose a different setting;
that is expected, and worth looking at: if the choices jump around, the setting barely matters
or the data is too small to tell.

The folds come ready-made, cut by time and card as everywhere in this module: outer_cv and
inner_cv are `mlings.folds.TimeCardSplit` splitters. They find each row's sale date and card by
its index label, so keep X a DataFrame and take its rows by position with `X.iloc[...]` (the
inner splitter then cuts its folds from the outer training rows only).

Write:

- nested_cv: for each fold of outer_cv, a GridSearchCV(model, param_grid, cv=inner_cv,
             scoring=scoring) fitted on the fold's training rows, scored with `scoring` on its
             test rows; a NestedResult with the outer scores and the setting chosen in each.

Done when: the reported score is the mean of the outer-fold scores (not best_score_), every
outer test fold is scored by a search that never saw it, and on a noise target the reported
R² is not above zero.

Stuck? Run `mlings hint`.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator
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
    for train, test in outer_cv.split(X, y):
        search = GridSearchCV(model, param_grid, cv=inner_cv, scoring=scoring)
        search.fit(X.iloc[train], y[train])
        scores.append(float(scorer(search, X.iloc[test], y[test])))
        chosen.append(search.best_params_)
    return NestedResult(outer_scores=scores, chosen=chosen)


if __name__ == "__main__":
    import pandas as pd
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold

    rng = np.random.default_rng(0)
    X, y = pd.DataFrame(rng.normal(size=(90, 20))), rng.normal(size=90)  # nothing to learn
    grid = {"alpha": [0.01, 0.1, 1.0, 10.0, 100.0, 1000.0]}
    inner, outer = KFold(3, shuffle=True, random_state=1), KFold(3, shuffle=True, random_state=2)
    search = GridSearchCV(Ridge(), grid, cv=inner).fit(X, y)
    result = nested_cv(Ridge(), grid, X, y, inner, outer)
    print(f"best_score_ {search.best_score_:.3f}  vs  nested {result.score:.3f}")
    print("chosen per outer fold:", result.chosen)
