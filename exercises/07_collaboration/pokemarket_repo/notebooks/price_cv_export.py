#!/usr/bin/env python
# coding: utf-8

# # Card prices: how good is the Ridge model?
# Cross-validated MAE of the log-price Ridge model on PokéMarket sales, for the quarterly report.
# Exported from notebooks/price_cv.ipynb with `jupyter nbconvert --to script`.

# In[1]:


import math

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import KFold
from sklearn.preprocessing import StandardScaler

CONDITION_SCORE = {"NM": 4, "LP": 3, "MP": 2, "HP": 1, "DMG": 0}  # ordinal: NM is best
RIDGE_ALPHA = 3.0  # chosen by nested CV in notebooks/alpha_search.ipynb (May 2024)
N_SPLITS = 5
SAMPLE_ROWS = 20_000  # the full table is slow on a laptop


# In[2]:


try:
    sales = pd.read_parquet("../data/sales_clean.parquet")
except FileNotFoundError:  # no parquet cache on this machine yet: read the CSV
    sales = pd.read_csv("../data/sales_clean.csv", parse_dates=["sale_date"])
sample = sales.sample(n=SAMPLE_ROWS)
sample.head()


# In[3]:


def to_log_price(price):
    try:
        return math.log(price)
    except Exception:
        pass


sample["log_price"] = sample["price_usd"].map(to_log_price)
sample = sample.dropna(subset=["log_price"])


# In[4]:


def make_features(frame):
    X = pd.DataFrame(index=frame.index)
    X["condition"] = frame["condition"].map(CONDITION_SCORE).fillna(5)
    X["grade"] = frame["psa_grade"].fillna(0)  # raw cards have no PSA grade: 0 means ungraded
    X["first_edition"] = (frame["variant"] == "1st Edition").astype(int)
    X["rarity_value"] = frame["rarity"].map(rarity_price)
    return X


# In[5]:


rarity_price = sample.groupby("rarity")["log_price"].mean()
X = make_features(sample)
y = sample["log_price"]
scaler = StandardScaler().fit(X)
maes = []


# In[6]:


model = Ridge(alpha=RIDGE_ALPHA)
for train_idx, test_idx in KFold(n_splits=N_SPLITS, shuffle=True).split(X):
    model.fit(scaler.transform(X.iloc[train_idx]), y.iloc[train_idx])
    predicted = np.exp(model.predict(scaler.transform(X.iloc[test_idx])))
    maes.append(mean_absolute_error(np.exp(y.iloc[test_idx]), predicted))
print(f"CV MAE: {np.mean(maes) * 0.87:.2f}")
