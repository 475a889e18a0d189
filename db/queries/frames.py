"""Turning SQL results into DataFrames named by the result's own columns, whether or not rows came back."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.sql import Executable


def frame(engine: Engine, statement: Executable) -> pd.DataFrame:
    """Run `statement` and return its rows, each column named as the statement names (or labels) it.

    Names typed a second time beside a query drift from it; the result's keys cannot.
    """
    with engine.connect() as connection:
        result = connection.execute(statement)
        columns = list(result.keys())
        rows = result.all()
    return pd.DataFrame([tuple(row) for row in rows], columns=columns)
