"""Frames to CSV bytes, the same bytes on every run and every machine."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FLOAT_FORMATS = {"psa_grade": "{:g}", "psa_population": "{:.0f}"}  # others: two decimals
DATETIME_FORMATS = {"scraped_at": "%Y-%m-%d %H:%M:%S"}  # others: dates


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV with fixed number and date formats and "\\n" line ends."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            text = values.dt.strftime(DATETIME_FORMATS.get(column, "%Y-%m-%d"))
        elif pd.api.types.is_float_dtype(values):
            form = FLOAT_FORMATS.get(column, "{:.2f}")
            text = values.map(lambda v, f=form: "" if pd.isna(v) else f.format(v))
        else:
            continue
        out[column] = text.astype(object).where(values.notna(), None)
    return out.to_csv(index=False, lineterminator="\n", na_rep="").encode("utf-8")


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write the frame's CSV bytes to path."""
    path.write_bytes(csv_bytes(frame))
    return path
