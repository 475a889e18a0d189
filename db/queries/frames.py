"""Turning SQL results into DataFrames with the same columns whether or not rows came back."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.sql import Executable


def frame(engine: Engine, statement: Executable, columns: Sequence[str]) -> pd.DataFrame:
    """Run `statement` and return its rows under `columns`."""
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    return pd.DataFrame([tuple(row) for row in rows], columns=list(columns))
