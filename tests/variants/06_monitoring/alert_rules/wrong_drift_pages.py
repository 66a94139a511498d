"""Wrong: ignores user_visible, so a sustained drift or MAE breach pages like latency does.

Page a human only when users feel it

PokéMarket's card-price model is in production, and you are on call for it. Every minute the
monitoring samples four metrics: the price API's p99 latency and error rate (what sellers feel
when they ask for a price) and two they never see directly: the drift PSI of incoming prices
and the model's MAE on recently labelled sales. The first draft of the alerting paged on every
minute over a threshold: on the scripted day below that is nearly a thousand pages, for a
one-minute latency spike, for every minute of a long incident, and for drift that could wait
until morning. An on-call engineer paged that often stops reading pages.

A good rule pages a human only for trouble that is real AND that users feel now:

- sustained: the breach lasts `sustain` consecutive samples (N) before anything is decided;
  a shorter breach (a blip: a garbage-collection pause, one slow minute) is only logged;
- user-visible: latency and errors hurt sellers now, so they page; drift and an offline metric
  deserve a look in working hours, so they are logged, never paged;
- de-duplicated: one incident, one action, however long it lasts. The incident is over only
  after `recover` (R) consecutive samples that are not breaches; a breach that comes back
  sooner is the same incident flapping, not a new one. After that, the rule is armed again.

Each rule is a Rule (given): its name, the metric column it watches, its threshold, whether
users feel it, and its own N (sustain) and R (recover).

Write:

- evaluate: evaluate(stream, rules) replays the stream (a DataFrame, one row per minute in time
            order, a `minute` column and one column per metric; its index means nothing)
            through every rule and returns the list of actions, each a tuple (kind, rule name,
            start minute) with kind "page" or "log". For each rule, on its own:
            - a sample breaches the rule when its value is above the threshold (a value equal
              to it does not; a missing value, NaN, is not a breach);
            - a breach is a run of consecutive breaching samples; its start minute is the
              `minute` of its first sample (not the minute the decision is made);
            - a run that reaches `sustain` samples opens an incident: one "page" if the rule
              is user-visible, one "log" if not;
            - a run that ends before reaching `sustain` samples (or is cut off by the end of the
              stream) is a blip: one "log", and no incident;
            - while an incident is open the rule gives no action at all; the incident closes
              after `recover` consecutive samples that are not breaches, and only then may
              the rule act again.
            The order of the list does not matter.

Done when: exactly N consecutive breached samples page and N - 1 only log, a long breach pages
once, drift never pages, and the rule pages again only after it has recovered for R samples.

Stuck? Run `mlings hint`.
"""

import itertools  # noqa: F401 (one way to do it)
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Rule:
    """An alert rule on one metric of the stream (no need to change this class)."""

    name: str
    metric: str  # the stream's column it watches
    threshold: float  # a sample breaches the rule when it is above this
    user_visible: bool  # do users feel a breach now? Then it pages.
    sustain: int  # N: consecutive breaching samples that open an incident
    recover: int  # R: consecutive samples that are not breaches and close it


RULES = [
    Rule("api_latency", "p99_latency_ms", 1000.0, user_visible=True, sustain=5, recover=10),
    Rule("api_errors", "error_rate", 0.02, user_visible=True, sustain=3, recover=10),
    Rule("price_drift", "price_psi", 0.25, user_visible=False, sustain=30, recover=60),
    Rule("price_mae", "price_mae_usd", 300.0, user_visible=False, sustain=30, recover=60),
]


def pokemarket_stream(seed: int = 0) -> pd.DataFrame:
    """A scripted day of PokéMarket's metrics, one row per minute (no need to change this)."""
    rng = np.random.default_rng(seed)
    minutes = np.arange(24 * 60)
    latency = 250.0 * np.exp(rng.normal(0.0, 0.15, size=minutes.size))
    latency[95] = 2400.0  # a garbage-collection pause
    latency[400:404] = 1300.0  # four slow minutes
    latency[610:650] = 2000.0  # the model is reloaded on every request...
    latency[656:660] = 1800.0  # ...and flaps once before the fix holds
    latency[700] = np.nan  # the metrics scraper missed a minute
    latency[1210:1226] = 1600.0  # a second incident, hours later
    errors = 0.003 * np.exp(rng.normal(0.0, 0.2, size=minutes.size))
    errors[612:649] = 0.09  # requests time out during the first incident
    errors[900:902] = 0.04  # two minutes of a partner's outage
    hourly_psi = np.r_[rng.uniform(0.03, 0.08, size=13), rng.uniform(0.3, 0.4, size=11)]
    psi = np.repeat(hourly_psi, 60)  # recomputed every hour on the last hour's listings
    labelled = 180.0 + np.clip(minutes - 1000, 0, None) * 0.55 + rng.normal(0.0, 5.0, minutes.size)
    mae = pd.Series(labelled).rolling(30, min_periods=1).mean()  # over the last 30 minutes
    return pd.DataFrame(
        {
            "minute": minutes,
            "p99_latency_ms": latency.round(1),
            "error_rate": errors.round(4),
            "price_psi": psi.round(3),
            "price_mae_usd": mae.round(2).to_numpy(),
        }
    )


def evaluate(stream: pd.DataFrame, rules: list[Rule]) -> list[tuple[str, str, int]]:
    """The actions (kind, rule name, start minute) the rules take on the stream."""
    actions = []
    minutes = stream["minute"].to_numpy()
    for rule in rules:
        values = stream[rule.metric].to_numpy(dtype=float)
        run, start = 0, 0
        in_incident, calm = False, 0
        for minute, value in zip(minutes, values, strict=True):
            breach = value > rule.threshold  # NaN compares False: not a breach
            if in_incident:
                calm = 0 if breach else calm + 1
                if calm >= rule.recover:
                    in_incident = False
                continue
            if breach:
                if run == 0:
                    start = int(minute)
                run += 1
                if run == rule.sustain:
                    kind = "page"
                    actions.append((kind, rule.name, start))
                    in_incident, calm, run = True, 0, 0
            elif run:
                actions.append(("log", rule.name, start))  # a blip
                run = 0
        if run:
            actions.append(("log", rule.name, start))  # a blip cut off by the end
    return actions


if __name__ == "__main__":
    stream = pokemarket_stream()
    naive = sum(int((stream[rule.metric] > rule.threshold).sum()) for rule in RULES)
    actions = sorted(evaluate(stream, RULES), key=lambda action: action[2])
    pages = [action for action in actions if action[0] == "page"]
    print(f"Paging on every breached minute: {naive} pages in a day.")
    print(f"Your rules: {len(pages)} pages, {len(actions) - len(pages)} logs.")
    for kind, name, minute in actions:
        print(f"  {minute // 60:02d}:{minute % 60:02d}  {kind:4}  {name}")
