"""Checks for 06_monitoring/07_retraining_trigger: retrain on evidence, promote on proof."""

import functools
import numbers

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder

from mlings.dataset import make_cards, make_sales
from mlings.dataset.slices import DRIFT

FEATURES = ["rarity", "variant", "condition", "psa_grade"]
HIGH, LOW = 0.5, 0.05  # PSI of a drifted and of a calm week
BASELINE = 0.5  # the baseline log MAE of the replays: decay above 0.55 with the default margin


class Stub:
    """A stand-in price model whose log_mae is known: it misses each row's log1p price by error.

    error: a number (every row), a dict week -> number (by the rows' week), or a list (one per
    row, in order).
    """

    def __init__(self, error):
        self.error = error

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        truth = np.log1p(X["truth"].to_numpy(dtype=float))
        if isinstance(self.error, dict):
            return np.expm1(truth + X["week"].map(self.error).fillna(0.0).to_numpy(dtype=float))
        return np.expm1(truth + np.asarray(self.error, dtype=float))


def _recent(week: int, truth=None) -> tuple[pd.DataFrame, pd.Series]:
    """Labelled sales of one week for the stand-ins: X holds the truth, y equals it."""
    if truth is None:
        truth = np.random.default_rng(week).lognormal(2.0, 1.0, 9).round(2)
    return pd.DataFrame({"week": week, "truth": truth}), pd.Series(truth, name="price_usd")


def _version(exercise, name: str, error, offline: float = 10.0):
    return exercise.ModelVersion(name, Stub(error), offline)


def _timeline(exercise, weeks, high=(), labelled_from=None):
    """Records of the given weeks: PSI HIGH in the weeks of `high`, labels from labelled_from."""
    records = []
    for week in weeks:
        psi = HIGH if week in high else LOW
        if labelled_from is not None and week < labelled_from:
            records.append(exercise.WeekRecord(week, psi, None, None))
        else:
            records.append(exercise.WeekRecord(week, psi, *_recent(week)))
    return records


class Retrainer:
    """retrain(week) for the checks: hands out the planned challengers and logs each call."""

    def __init__(self, exercise, challengers=None, error=0.1):
        self.challengers = challengers or {}
        self.default = _version(exercise, "challenger", error)
        self.calls: list[int] = []

    def __call__(self, week):
        self.calls.append(int(week))
        return self.challengers.get(int(week), self.default)


def _weeks(value, what: str) -> list[int]:
    items = list(value)
    assert all(isinstance(w, numbers.Integral) for w in items), (
        f"Replay.{what} is {items!r}; expected a list of week numbers (ints)."
    )
    return [int(w) for w in items]


def _replay(exercise, timeline, champion, retrain, **policy):
    policy.setdefault("baseline_log_mae", BASELINE)
    result = exercise.replay(timeline, champion, retrain, **policy)
    for field in ("retrained", "promoted", "champion"):
        assert hasattr(result, field), (
            f"replay returned {type(result).__name__}, without {field}: return a Replay."
        )
    retrained = _weeks(result.retrained, "retrained")
    assert retrain.calls == retrained, (
        f"replay called retrain for weeks {retrain.calls} but reports {retrained} as retrained: "
        "call retrain(week) exactly once in each week it retrains, and list those weeks."
    )
    return retrained, _weeks(result.promoted, "promoted"), result.champion


def _decide(exercise, week, psi, error, last, **policy) -> bool:
    state = exercise.WeekState(week, psi, error)
    policy.setdefault("baseline_log_mae", BASELINE)
    got = exercise.should_retrain(state, last, **policy)
    assert isinstance(got, bool | np.bool_), (
        f"should_retrain returned {got!r} ({type(got).__name__}); expected True or False."
    )
    return bool(got)


def _call(week, psi, error, last, **policy) -> str:
    policy.setdefault("baseline_log_mae", BASELINE)
    args = ", ".join(f"{key}={value}" for key, value in policy.items())
    return f"should_retrain(WeekState({week}, psi={psi}, log_mae={error}), {last}, {args})"


def _promoted(got, call: str) -> bool:
    assert isinstance(got, bool | np.bool_), (
        f"{call} returned {got!r} ({type(got).__name__}); expected True or False."
    )
    return bool(got)


def test_drift_triggers_a_retrain(exercise):
    """should_retrain on drift: PSI strictly above psi_threshold (rejects >=, ignoring the param)"""
    for threshold in (None, 0.1, 0.3):
        policy = {} if threshold is None else {"psi_threshold": threshold}
        limit = 0.2 if threshold is None else threshold
        for psi, want in ((limit + 0.01, True), (limit, False), (limit - 0.05, False)):
            for error in (None, 0.3):
                got = _decide(exercise, 30, psi, error, None, **policy)
                message = f"{_call(30, psi, error, None, **policy)} is {got}; expected {want}."
                if psi == limit:
                    message += " A PSI equal to the threshold is not drift: use >."
                else:
                    message += f" Drift means a PSI above psi_threshold ({limit} here)."
                assert got == want, message


def test_decay_triggers_a_retrain(exercise):
    """should_retrain on decay: log_mae above baseline x (1 + margin), even without drift"""
    cases = [  # (baseline, margin or None for the default 0.1, log_mae, want)
        (0.5, None, 0.56, True),
        (0.5, None, 0.54, False),
        (0.5, None, 0.52, False),
        (0.5, 0.25, 0.63, True),
        (0.5, 0.25, 0.625, False),
        (0.5, 0.25, 0.6, False),
        (1.0, 0.5, 1.55, True),
        (1.0, 0.5, 1.5, False),
        (1.0, 0.5, 1.2, False),
    ]
    for baseline, margin, error, want in cases:
        policy = {"baseline_log_mae": baseline}
        if margin is not None:
            policy["decay_margin"] = margin
        got = _decide(exercise, 30, 0.0, error, None, **policy)
        limit = baseline * (1 + (0.1 if margin is None else margin))
        message = f"{_call(30, 0.0, error, None, **policy)} is {got}; expected {want}."
        if want:
            message += (
                f" The error is above baseline_log_mae x (1 + decay_margin) = {limit:g}: that "
                "is decay, and decay alone is enough (drift OR decay)."
            )
        elif error == limit:
            message += f" An error equal to the limit {limit:g} is not decay: use >."
        else:
            message += (
                f" The limit is baseline_log_mae x (1 + decay_margin) = {limit:g}: the margin "
                "is a share of the baseline, and an error just above the baseline is not decay."
            )
        assert got == want, message


def test_no_labels_no_decay(exercise):
    """a week without labels (log_mae None) shows no decay, but its drift still counts"""
    got = _decide(exercise, 30, 0.0, None, None)
    assert got is False, (
        f"{_call(30, 0.0, None, None)} is {got}; a week without labels has no error to judge: "
        "only drift can trigger it."
    )
    got = _decide(exercise, 30, HIGH, None, None)
    assert got is True, (
        f"{_call(30, HIGH, None, None)} is {got}; drift is known without labels and must "
        "still trigger a retrain."
    )


def test_cooldown(exercise):
    """no retrain within cooldown_weeks of the last; exactly cooldown_weeks later is allowed"""
    cases = [  # (cooldown or None for the default 4, last, week, want)
        (None, 30, 31, False),
        (None, 30, 33, False),
        (None, 30, 34, True),
        (None, 30, 40, True),
        (None, None, 30, True),
        (2, 30, 31, False),
        (2, 30, 32, True),
        (6, 30, 35, False),
        (6, 30, 36, True),
        (0, 30, 30, True),
    ]
    for cooldown, last, week, want in cases:
        policy = {} if cooldown is None else {"cooldown_weeks": cooldown}
        got = _decide(exercise, week, HIGH, 2.0, last, **policy)
        weeks = 4 if cooldown is None else cooldown
        message = f"{_call(week, HIGH, 2.0, last, **policy)} is {got}; expected {want}."
        if last is None:
            message += " No retrain yet (None): there is no cooldown to wait for."
        elif want:
            message += (
                f" {week - last} weeks after the last retrain, with a cooldown of {weeks}, a "
                "retrain is allowed again: block only when week - last_retrain_week < "
                "cooldown_weeks."
            )
        else:
            message += (
                f" Only {week - last} weeks after the last retrain, within the cooldown of "
                f"{weeks}: however strong the evidence, wait."
            )
        assert got == want, message
    got = _decide(exercise, 40, LOW, 0.3, 30)
    assert got is False, (
        f"{_call(40, LOW, 0.3, 30)} is {got}: the cooldown is over, but there is no evidence "
        "(no drift, no decay), so there is nothing to retrain for."
    )


def test_promote_on_a_lower_recent_error(exercise):
    """promote only a strictly lower log_mae on the recent sales; a tie keeps the champion"""
    X, y = _recent(40)
    champion = _version(exercise, "champion", 0.3)
    for error, want in ((0.1, True), (-0.2, True), (0.3, False), (0.5, False), (-0.4, False)):
        call = f"promote(champion off by {0.3}, challenger off by {abs(error)}, recent sales)"
        got = _promoted(exercise.promote(champion, _version(exercise, "new", error), X, y), call)
        message = f"{call} gave {got}; expected {want}: the lower log_mae on the recent sales wins."
        if abs(error) == 0.3:
            message += " A tie is no proof: the champion stays (use <, not <=)."
        assert got == want, message


def test_promote_ignores_offline_mae(exercise):
    """promote judges the recent sales (rejects the registry's offline_mae_usd, old validation)"""
    X, y = _recent(41)
    cases = [  # (champion log_mae, offline), (challenger log_mae, offline), want
        ((0.3, 90.0), (0.4, 5.0), False),
        ((0.3, 5.0), (0.2, 90.0), True),
    ]
    for (champ_error, champ_offline), (chall_error, chall_offline), want in cases:
        champion = _version(exercise, "champion", champ_error, champ_offline)
        challenger = _version(exercise, "challenger", chall_error, chall_offline)
        got = _promoted(exercise.promote(champion, challenger, X, y), "promote(...)")
        assert got == want, (
            f"promote gave {got}: on the recent sales the challenger's log_mae is "
            f"{chall_error} and the champion's {champ_error}, while their offline_mae_usd are "
            f"{chall_offline} and {champ_offline}. The offline numbers come from each model's "
            "own validation data of its training period; only the recent sales show today's "
            "market. Compare log_mae on recent_X, recent_y."
        )


def test_promote_uses_log_mae(exercise):
    """promote compares log_mae, relative misses (rejects the dollar MAE, ruled by one slab)"""
    X, y = _recent(42, truth=np.array([1.0, 1.0, 1.0, 1.0, 1000.0]))
    steady = 0.1  # 10% off on every sale: about $0.20 on the $1 cards, $105 on the $1,000 one
    slab_exact = [0.4, 0.4, 0.4, 0.4, 0.0]  # 40% off the $1 cards, exact on the $1,000 one
    for champ_error, chall_error, want in ((steady, slab_exact, False), (slab_exact, steady, True)):
        champion = _version(exercise, "champion", champ_error)
        challenger = _version(exercise, "challenger", chall_error)
        got = _promoted(exercise.promote(champion, challenger, X, y), "promote(...)")
        assert got == want, (
            f"promote gave {got}: on four $1 sales and one $1,000 sale, one model is 10% off on "
            "every sale, the other about 50% off on the $1 cards and exact on the $1,000 one. "
            f"By log_mae the first is better; expected {want}. In dollars the one expensive "
            "card decides alone: compare with log_mae."
        )


def _price_model() -> Pipeline:
    categories = make_pipeline(
        SimpleImputer(strategy="constant", fill_value="graded"),
        OneHotEncoder(handle_unknown="ignore"),
    )
    features = ColumnTransformer(
        [
            ("categories", categories, ["rarity", "variant", "condition"]),
            ("grade", SimpleImputer(strategy="constant", fill_value=0.0), ["psa_grade"]),
        ]
    )
    regressor = TransformedTargetRegressor(Ridge(alpha=1.0), func=np.log1p, inverse_func=np.expm1)
    return Pipeline([("features", features), ("regressor", regressor)])


@functools.cache
def _markets(seed: int):
    """A 2024 model and a model of the drifted market, each with its offline MAE, and the
    drifted market's recent sales."""
    cards = make_cards(n=500)
    old = make_sales(cards, [seed, 1], 900, "2024-01-01", "2024-12-31")
    drifted = make_sales(cards, [seed, 2], 1200, "2025-07-01", "2025-10-31", drift=DRIFT)
    versions = {}
    for name, sales in (("price-2024", old), ("price-2025", drifted.iloc[:800])):
        valid = sales.iloc[::4]  # its own validation split, from the period it learned
        train = sales.drop(valid.index)
        model = _price_model().fit(train[FEATURES], train["price_usd"])
        offline = float(np.mean(np.abs(model.predict(valid[FEATURES]) - valid["price_usd"])))
        versions[name] = (model, offline)
    recent = drifted.iloc[800:]
    return versions, recent[FEATURES], recent["price_usd"]


def test_promote_real_models(exercise):
    """a model of the new market is promoted over the 2024 model, never the other way round"""
    for seed in (1, 2):
        versions, recent_X, recent_y = _markets(seed)
        old = exercise.ModelVersion("price-2024", *versions["price-2024"])
        new = exercise.ModelVersion("price-2025", *versions["price-2025"])
        call = "promote(champion=price-2024, challenger=price-2025, recent drifted sales)"
        got = _promoted(exercise.promote(old, new, recent_X, recent_y), call)
        assert got is True, (
            f"{call} gave {got}: the model trained on the drifted market is closer on its "
            "recent sales and must be promoted."
        )
        call = "promote(champion=price-2025, challenger=price-2024, recent drifted sales)"
        got = _promoted(exercise.promote(new, old, recent_X, recent_y), call)
        assert got is False, (
            f"{call} gave {got}: the 2024 model has the lower offline MAE "
            f"(${old.offline_mae_usd:.2f} vs ${new.offline_mae_usd:.2f}, each on its own old "
            "validation data) but is worse on the recent sales: keep the champion."
        )


def test_replay_drift_burst_respects_the_cooldown(exercise):
    """replay: a drift burst retrains once per cooldown (rejects blocked weeks restarting it)"""
    cases = [({}, [30, 34, 38]), ({"cooldown_weeks": 3}, [30, 33, 36, 39])]
    cases += [({"cooldown_weeks": 5}, [30, 35, 40]), ({"psi_threshold": 0.6}, [])]
    for policy, want in cases:
        timeline = _timeline(exercise, range(27, 45), high=range(30, 42))
        champion = _version(exercise, "champion", 0.1)
        retrain = Retrainer(exercise, error=0.1)  # ties: never promoted
        retrained, promoted, _ = _replay(exercise, timeline, champion, retrain, **policy)
        message = (
            f"With PSI {HIGH} in weeks 30 to 41 and the policy {policy or 'defaults'}, replay "
            f"retrained in weeks {retrained}; expected {want}."
        )
        if policy and retrained == [30, 34, 38]:
            message += (
                " That is what the default policy does: pass psi_threshold, decay_margin and "
                "cooldown_weeks on to should_retrain."
            )
        elif retrained[:1] == want[:1] and len(retrained) < len(want):
            message += (
                " The cooldown counts from the last RETRAIN: a week blocked by the cooldown "
                "does not restart it."
            )
        elif len(retrained) > len(want):
            message += (
                " That is more often than the cooldown allows: every retrain, promoted or "
                "not, is the last retrain the cooldown counts from."
            )
        assert retrained == want, message
        assert promoted == [], (
            f"replay promoted in weeks {promoted}, but every challenger ties the champion on "
            "the recent sales: a tie keeps the champion."
        )


def test_replay_decay_without_drift(exercise):
    """replay: the champion's log_mae on each week's recent sales triggers a retrain, no drift"""
    cases = [  # (policy, expected retrains)
        ({}, [33, 37, 41]),
        ({"decay_margin": 1.5}, []),
        ({"baseline_log_mae": 1.0}, []),
    ]
    errors = {week: (1.0 if week >= 33 else 0.1) for week in range(27, 45)}
    for policy, want in cases:
        timeline = _timeline(exercise, range(27, 45))
        champion = _version(exercise, "champion", errors)
        retrain = Retrainer(exercise, error=errors)  # the same errors: never promoted
        retrained, _, _ = _replay(exercise, timeline, champion, retrain, **policy)
        setting = {"baseline_log_mae": BASELINE, **policy}
        assert retrained == want, (
            f"No drift; the champion's log_mae on the recent sales is 0.1 in weeks 27-32 and "
            f"1.0 from week 33. With {setting}, replay retrained in weeks {retrained}, expected "
            f"{want}. Each week, measure the champion's log_mae on the week's recent_X, "
            "recent_y and pass it, with every policy parameter, to should_retrain."
        )


def test_replay_counts_weeks_not_records(exercise):
    """replay: the cooldown counts week numbers, not records (the timeline can skip weeks)"""
    cases = [
        ([*range(1, 15), *range(27, 31)], {13, 14, 27, 28}, [13, 27]),
        ([30, 31, 35, 36], {30, 31, 35, 36}, [30, 35]),
    ]
    for weeks, high, want in cases:
        timeline = _timeline(exercise, weeks, high=high)
        retrain = Retrainer(exercise)
        champion = _version(exercise, "champion", 0.1)
        retrained, _, _ = _replay(exercise, timeline, champion, retrain)
        assert retrained == want, (
            f"The timeline holds weeks {weeks} (some weeks had no traffic), with drift in weeks "
            f"{sorted(high)}; replay retrained in weeks {retrained}, expected {want}. The "
            "cooldown is in weeks: compare week numbers, not positions in the timeline."
        )


def test_replay_promotes_over_the_current_champion(exercise):
    """replay: a challenger must beat the CURRENT champion on the week's recent sales"""
    first = _version(exercise, "first", 0.4)
    planned = {
        30: _version(exercise, "W30", 0.2, offline=90.0),
        34: _version(exercise, "W34", 0.3, offline=0.5),
        38: _version(exercise, "W38", 0.1, offline=90.0),
    }
    timeline = _timeline(exercise, range(27, 45), high={30, 34, 38})
    retrain = Retrainer(exercise, planned)
    retrained, promoted, champion = _replay(exercise, timeline, first, retrain)
    assert retrained == [30, 34, 38], (
        f"Drift in weeks 30, 34 and 38 only, 4 weeks apart: replay retrained in weeks "
        f"{retrained}, expected [30, 34, 38]."
    )
    message = (
        f"replay promoted in weeks {promoted}; expected [30, 38]. On the recent sales the first "
        "champion's log_mae is 0.4, the week-30 challenger's 0.2, the week-34 challenger's 0.3 "
        "(better than the first champion, worse than the one promoted in week 30, though its "
        "offline_mae_usd is the best), the week-38 one's 0.1."
    )
    if 34 in promoted:
        message += " Compare each challenger with the champion serving at that moment."
    assert promoted == [30, 38], message
    assert champion is planned[38], (
        f"replay ended with the champion {getattr(champion, 'name', champion)!r}; the last one "
        "promoted, W38, serves at the end."
    )


def test_replay_without_labels_keeps_the_champion(exercise):
    """replay: a retrain without labelled sales starts the cooldown but promotes nothing"""
    timeline = _timeline(exercise, range(27, 37), high={27, 30, 31}, labelled_from=29)
    champion = _version(exercise, "champion", 0.3)
    retrain = Retrainer(exercise, error=0.0)  # a perfect challenger
    retrained, promoted, final = _replay(exercise, timeline, champion, retrain)
    assert retrained == [27, 31], (
        f"Drift in weeks 27, 30 and 31, labels from week 29: replay retrained in weeks "
        f"{retrained}, expected [27, 31]. Week 27 has no labels but drift is enough to "
        "retrain, and its cooldown then blocks week 30."
    )
    assert promoted == [31], (
        f"replay promoted in weeks {promoted}, expected [31]: in week 27 there are no labelled "
        "sales to prove the challenger better, so the champion stays; in week 31 the "
        "challenger wins on the recent sales."
    )
    assert final is retrain.default, "After the promotion in week 31, its challenger serves."


def test_replay_judges_decay_on_the_new_champion(exercise):
    """replay: after a promotion, decay is the new champion's error (rejects the first one's)"""
    errors = {week: (1.0 if week >= 29 else 0.1) for week in range(27, 45)}
    champion = _version(exercise, "first", errors)
    retrain = Retrainer(exercise, error=0.1)
    timeline = _timeline(exercise, range(27, 45))
    retrained, promoted, _ = _replay(exercise, timeline, champion, retrain)
    assert (retrained, promoted) == ([29], [29]), (
        f"The first champion decays from week 29 (log_mae 1.0); the challenger of week 29 "
        f"(log_mae 0.1) is promoted. replay retrained in weeks {retrained} and promoted in "
        f"{promoted}; expected [29] and [29]: from then on the serving model's log_mae is 0.1, "
        "no decay. Measure the error of the current champion each week."
    )
